"""Quality gates: scores on labelled sets written for the project must not fall below the pinned floors."""

import json
from pathlib import Path

import pytest

from barometer.evaluation import score_events



DATA = Path(__file__).parent / "data"
FLOORS = json.loads((DATA / "quality_floor.json").read_text())


@pytest.mark.model
def test_quality_events_gate(analyse):
    rows = [json.loads(line) for line in (DATA / "events_gold.jsonl").read_text().splitlines() if line.strip()]
    predicted = [list(analyse(row["text"], row["date"]).events) for row in rows]
    score = score_events(predicted, [row["events"] for row in rows])
    floor = FLOORS["events"]
    assert score.precision >= floor["precision"], score
    assert score.recall >= floor["recall"], score
    assert score.f1 >= floor["f1"], score


def test_quality_plover_scoring_matches_triples_and_categories(tmp_path):
    from barometer.evaluation import evaluate_events, plover_category, read_plover_gold
    from barometer.models import Actor, Event

    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("\n".join(json.dumps(r) for r in [
        {"text": "Chile criticised Peru.", "event": "DISAPPROVE", "source": [{"code": "CHL"}], "target": [{"code": "PER"}]},
        {"text": "Chile and Peru agreed.", "event": "AGREE", "source": [{"code": "CHL"}, {"code": "PER"}], "target": ""},
    ]))
    gold = read_plover_gold(gold_file)

    def event(code, source, target):
        actor = lambda c: Actor(text=c, start=0, end=1, name=c, country=c, role=None, kind="state", code=c)
        return Event(source=actor(source), target=actor(target) if target else None, code=code, root=code[:2],
                     name="", quad_class=1, goldstein=0.0, plover=None, verb="", sentence="", start=0, end=1,
                     negated=False, reported=False, date=None)

    report = evaluate_events(gold, [[event("111", "CHL", "PER")], [event("0871", "CHL", None)]])
    assert plover_category("0871") == "RETREAT" and plover_category("111") == "DISAPPROVE"
    assert plover_category("010") is None
    assert (report.triples.true_positives, report.triples.predicted, report.triples.expected) == (1, 2, 3)
    assert report.categories.true_positives == 1 and report.confusion[("AGREE", "RETREAT")] == 1


def test_quality_brat_quote_scoring(tmp_path):
    from barometer.evaluation import evaluate_quotes, read_brat_attributions
    from barometer.models import Actor, Quote

    text = 'Ana Ruiz said the port would reopen. "We are ready," she added.'
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc.txt").write_text(text)
    (tmp_path / "attributions" / "doc_ab12.ann").write_text(
        "T1\tSource 0 8\tAna Ruiz\nT2\tCue 9 13\tsaid\nT3\tContent 14 35\tthe port would reopen\n"
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
        "T4\tSource 53 56\tshe\nT5\tCue 57 62\tadded\nT6\tContent 38 50\tWe are ready\n"
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4\n")
    (document,) = read_brat_attributions(tmp_path)
    assert [a.kind for a in document.attributions] == ["indirect", "direct"]
    ruiz = Actor(text="Ana Ruiz", start=0, end=8, name="Ana Ruiz", country=None, role=None, kind="person", code="")
    quotes = [Quote(text="the port would reopen", start=14, end=35, kind="indirect", cue="said", speaker=ruiz),
              Quote(text="We are ready,", start=37, end=50, kind="direct", cue="added", speaker=ruiz),
              Quote(text="Ana Ruiz said", start=0, end=13, kind="indirect", cue="said", speaker=None)]
    direct, indirect = evaluate_quotes([document], [quotes])
    assert (direct.span.precision, direct.span.recall, direct.speaker_accuracy) == (1.0, 1.0, 1.0)
    assert (indirect.span.precision, indirect.span.recall) == (0.5, 1.0)


@pytest.mark.model
def test_quality_quotes_gate(analyse):
    rows = [json.loads(line) for line in (DATA / "quotes_gold.jsonl").read_text().splitlines() if line.strip()]
    right = predicted = expected = speakers = judged = 0
    for row in rows:
        quotes = analyse(row["text"], "2025-06-01").quotes
        found = {(q.text, q.kind): q for q in quotes}
        predicted += len(quotes)
        expected += len(row["quotes"])
        for text, kind, speaker in row["quotes"]:
            quote = found.get((text, kind))
            right += quote is not None
            if quote is not None and speaker is not None:
                judged += 1
                speakers += quote.speaker is not None and quote.speaker.name == speaker
    floor = FLOORS["quotes"]
    assert right / predicted >= floor["precision"]
    assert right / expected >= floor["recall"]
    assert speakers / judged >= floor["speaker_accuracy"]


def test_quality_plover_scoring_reads_a_joint_act_as_plover_writes_it():
    """"Chile and Peru signed a treaty" is coded Chile->Peru and Peru->Chile; PLOVER's gold writes both as
    sources with no target. The two halves score as (CHL, none) and (PER, none); a one-way act does not."""
    from barometer.evaluation import event_triples
    from barometer.models import Actor, Event

    def actor(code, start):
        return Actor(text=code, start=start, end=start + 5, name=code, country=code, role=None, kind="state", code=code)

    def event(code, source, target):
        return Event(source=source, target=target, code=code, root=code[:2], name="", quad_class=1, goldstein=0.0,
                     plover=None, verb="signed treaty", sentence="", start=0, end=40, negated=False, reported=False,
                     date=None)

    chile, peru = actor("CHL", 0), actor("PER", 10)
    assert event_triples([event("057", chile, peru), event("057", peru, chile)]) == [
        ("CHL", None, "SUPPORT"), ("PER", None, "SUPPORT")]
    assert event_triples([event("190", chile, peru), event("190", peru, chile)]) == [
        ("CHL", "PER", "FIGHT"), ("PER", "CHL", "FIGHT")]
