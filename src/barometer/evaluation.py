"""Evaluation: precision, recall and F1 of coded events against labelled sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from barometer.models import Event


@dataclass(frozen=True)
class Score:
    """Counts and the usual ratios."""

    true_positives: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _matches(event: Event, gold: dict[str, Any]) -> bool:
    source = event.source.country if event.source else None
    target = event.target.country if event.target else None
    return (source == gold.get("source") and target == gold.get("target")
            and event.code.startswith(gold.get("code", "")) and event.negated == bool(gold.get("negated", False)))


def score_events(predicted: list[list[Event]], gold: list[list[dict[str, Any]]]) -> Score:
    """Match events sentence by sentence on (source country, code prefix, target country, negation).

    Statements (root 01) are not counted: every "X said" yields one, and gold sets list them only when asked.
    """
    hits = n_predicted = n_expected = 0
    for events, expected in zip(predicted, gold, strict=True):
        events = [e for e in events if e.root != "01"]
        n_predicted += len(events)
        n_expected += len(expected)
        unmatched = list(events)
        for item in expected:
            found = next((e for e in unmatched if _matches(e, item)), None)
            if found is not None:
                unmatched.remove(found)
                hits += 1
    return Score(hits, n_predicted, n_expected)
