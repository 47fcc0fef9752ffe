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
