"""Evaluation: precision, recall and F1 of coded events against labelled sentences."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from barometer.errors import InputError
from barometer.models import Event
from barometer.tables import DATA_DIR, read_tsv


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


@cache
def _categories() -> dict[str, str]:
    return {row["prefix"]: row["category"] for row in read_tsv(DATA_DIR / "plover_categories.tsv", ("prefix", "category"))}


def plover_category(code: str) -> str | None:
    """The PLOVER gold-standard category of a CAMEO code (longest prefix in data/plover_categories.tsv)."""
    table = _categories()
    for length in range(len(code), 1, -1):
        if code[:length] in table:
            return table[code[:length]]
    return None


@dataclass(frozen=True)
class GoldSentence:
    """One labelled sentence: its text, date and the (source, target, category) triples it should yield."""

    text: str
    date: str | None
    triples: tuple[tuple[str | None, str | None, str], ...]


def _actor_codes(value: Any) -> list[str | None]:
    if isinstance(value, list) and value:
        return [str(a.get("code", ""))[:3] or None for a in value if isinstance(a, dict)] or [None]
    return [None]


def read_plover_gold(path: Path) -> list[GoldSentence]:
    """PLOVER gold-standard JSON lines: text, date, event, source/target actor lists with codes."""
    sentences = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            category = row["event"]
            text = row["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}", f"not a PLOVER gold record: {exc}") from None
        triples = tuple((s, t, category) for s in _actor_codes(row.get("source")) for t in _actor_codes(row.get("target")))
        sentences.append(GoldSentence(text, row.get("date"), triples))
    return sentences


def event_triples(events: list[Event]) -> list[tuple[str | None, str | None, str]]:
    """The (source country, target country, PLOVER category) of each scorable event."""
    triples = []
    for event in events:
        category = plover_category(event.code)
        if category is None or event.negated:
            continue
        source = event.source.country or event.source.code[:3] if event.source else None
        target = event.target.country or event.target.code[:3] if event.target else None
        triples.append((source or None, target or None, category))
    return triples


@dataclass(frozen=True)
class EventReport:
    """Scores of a run over a gold file, with the confusion of categories."""

    triples: Score
    categories: Score
    confusion: dict[tuple[str, str], int]
    sentences: int
    silent: int          # sentences where nothing was coded


def evaluate_events(gold: list[GoldSentence], predicted: list[list[Event]]) -> EventReport:
    """Micro-averaged precision, recall and F1 on triples and on categories alone, and a confusion table."""
    hits = n_pred = n_gold = cat_hits = cat_pred = cat_gold = silent = 0
    confusion: dict[tuple[str, str], int] = {}
    for item, events in zip(gold, predicted, strict=True):
        found = event_triples(events)
        silent += not found
        remaining = list(found)
        for triple in item.triples:
            if triple in remaining:
                remaining.remove(triple)
                hits += 1
        n_pred += len(found)
        n_gold += len(item.triples)
        gold_cats = {t[2] for t in item.triples}
        found_cats = {t[2] for t in found}
        cat_hits += len(gold_cats & found_cats)
        cat_pred += len(found_cats)
        cat_gold += len(gold_cats)
        for category in gold_cats:
            guess = category if category in found_cats else (sorted(found_cats)[0] if found_cats else "NONE")
            confusion[(category, guess)] = confusion.get((category, guess), 0) + 1
    return EventReport(Score(hits, n_pred, n_gold), Score(cat_hits, cat_pred, cat_gold), confusion, len(gold), silent)
