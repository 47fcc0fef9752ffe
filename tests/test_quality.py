"""Quality gates: scores on labelled sets written for the project must not fall below the pinned floors."""

import json
from pathlib import Path

import pytest

from barometer.evaluation import score_events

pytestmark = pytest.mark.model

DATA = Path(__file__).parent / "data"
FLOORS = json.loads((DATA / "quality_floor.json").read_text())


def test_quality_events_gate(analyse):
    rows = [json.loads(line) for line in (DATA / "events_gold.jsonl").read_text().splitlines() if line.strip()]
    predicted = [list(analyse(row["text"], row["date"]).events) for row in rows]
    score = score_events(predicted, [row["events"] for row in rows])
    floor = FLOORS["events"]
    assert score.precision >= floor["precision"], score
    assert score.recall >= floor["recall"], score
    assert score.f1 >= floor["f1"], score
