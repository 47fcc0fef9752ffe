"""Tone: the share of positive and negative words in an article, from a lexicon written for Barometer."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc

from barometer.models import Tone
from barometer.tables import DATA_DIR, read_tsv


@cache
def _lexicon() -> dict[str, frozenset[str]]:
    rows = read_tsv(DATA_DIR / "tone.tsv", ("polarity", "words"))
    return {row["polarity"]: frozenset(row["words"].split()) for row in rows}


def score_tone(doc: Doc) -> Tone:
    """Positive and negative words as percentages of all words, and their difference (GDELT's tone convention)."""
    lexicon = _lexicon()
    words = [t for t in doc if t.is_alpha]
    if not words:
        return Tone(score=0.0, positive=0.0, negative=0.0)
    positive = sum(1 for t in words if t.lemma_.lower() in lexicon["positive"] or t.lower_ in lexicon["positive"])
    negative = sum(1 for t in words if t.lemma_.lower() in lexicon["negative"] or t.lower_ in lexicon["negative"])
    pos, neg = 100 * positive / len(words), 100 * negative / len(words)
    return Tone(score=round(pos - neg, 3), positive=round(pos, 3), negative=round(neg, 3))
