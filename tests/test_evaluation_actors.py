"""Actor evaluation: gold sources and targets matched to resolved actors by text, scored on country and sector."""

import json

from barometer.evaluation import evaluate_actors, read_plover_gold
from barometer.models import Actor


def _actor(text, sentence, code, country, role=None, kind="group"):
    start = sentence.index(text)
    return Actor(text=text, start=start, end=start + len(text), name=text, country=country, role=role, kind=kind,
                 code=code)


def test_evaluation_actors_scores_found_country_and_sector(tmp_path):
    first = "Norwegian troops and the UN envoy met Icelandic fishermen."
    second = "Chilean police arrested protesters."
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"event": "CONSULT", "text": first, "date": "2024-01-01",
         "source": [{"actorText": "Norwegian troops", "code": "NOR", "sector": "MIL"},
                    {"actorText": "UN envoy", "code": "IGO"}],
         "target": [{"actorText": "Icelandic fishermen", "code": "ISL", "sector": "AGR"}]},
        {"event": "ARREST", "text": second, "source": [{"actorText": "Chilean police", "code": "CHL", "sector": "MIL"}],
         "target": [{"actorText": "protesters", "code": "CHL", "sector": "OPP"}]},
    ]), encoding="utf-8")
    sentences = read_plover_gold(gold)
    assert [a.role for a in sentences[0].actors] == ["source", "source", "target"]
    predicted = [
        [_actor("Norwegian troops", first, "NORMIL", "NOR", "MIL"), _actor("UN", first, "IGOUNO", None, None, "igo"),
         _actor("Icelandic", first, "ISL", "ISL", None, "state")],
        [_actor("Chilean police", second, "CHLCOP", "CHL", "COP")],          # protesters missed
    ]
    source, target = evaluate_actors(sentences, predicted)
    assert (source.role, source.gold, source.found, source.country_right) == ("source", 3, 3, 3)
    assert (source.with_sector, source.sector_right) == (2, 1)               # troops right, police is COP not MIL
    assert (target.gold, target.found, target.country_right, target.with_sector, target.sector_right) == (2, 1, 1, 2, 0)
    assert round(target.recall, 2) == 0.5 and round(source.sector_accuracy, 2) == 0.5
