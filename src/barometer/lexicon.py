"""The event lexicon: verb patterns and event nouns, read from our own readable TSV format.

A verb pattern is ``VERB WORD*``; each WORD is a '|'-list of prepositions/particles, of object nouns,
or ``~`` (the target is the direct object here). See docs/ontology.md for the full syntax.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from barometer.errors import KnowledgeError
from barometer.ontology import cameo
from barometer.tables import DATA_DIR, read_tsv, split_list
from barometer.verbdict import VerbDictionary

if TYPE_CHECKING:
    from collections.abc import Sequence

    from barometer.dictionaries import Dictionary

PREPOSITIONS = frozenset(
    "about across against at by for from in into of off on onto out over to toward towards up down upon with "
    "within without back away between among through under after before around along behind beyond".split()
)


@dataclass(frozen=True)
class Slot:
    """One word position after the verb: a set of prepositions, of nouns, or the target-object marker."""

    kind: str                      # "prep" | "noun" | "target"
    words: frozenset[str]


@dataclass(frozen=True)
class VerbPattern:
    """A verb lemma with the slots that must be present for ``code`` to apply."""

    code: str
    verb: str
    slots: tuple[Slot, ...]
    text: str

    @property
    def particles(self) -> frozenset[str]:
        """Every preposition or particle the pattern names."""
        return frozenset(w for slot in self.slots if slot.kind == "prep" for w in slot.words)

    @property
    def specificity(self) -> int:
        return len(self.slots)

    @property
    def target_prep(self) -> frozenset[str] | None:
        """Prepositions whose object is the target: the last prep slot not followed by a noun slot.

        None when the pattern marks the direct object as the target (``~``) or names no preposition.
        """
        if any(slot.kind == "target" for slot in self.slots):
            return None
        for index in range(len(self.slots) - 1, -1, -1):
            slot = self.slots[index]
            if slot.kind == "prep":
                following = self.slots[index + 1] if index + 1 < len(self.slots) else None
                if following is None or following.kind != "noun":
                    return slot.words
        return None


@dataclass(frozen=True)
class NounPattern:
    """An event noun ("sanction", "visit") and the prepositions that introduce its target."""

    code: str
    noun: str
    preps: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Verb patterns by lemma (most specific first) and noun patterns by lemma; or a user's PETRARCH verb
    dictionary, which then stands for the whole lexicon (``verbs`` and ``nouns`` empty)."""

    verbs: dict[str, tuple[VerbPattern, ...]]
    nouns: dict[str, tuple[NounPattern, ...]]     # a noun may mean different events by preposition
    dictionary: VerbDictionary | None = None

    def __len__(self) -> int:
        if self.dictionary is not None:
            return self.dictionary.size
        return sum(len(p) for p in self.verbs.values()) + sum(len(p) for p in self.nouns.values())


def parse_pattern(code: str, text: str, where: str = "") -> VerbPattern:
    """Parse one pattern string; raises KnowledgeError naming ``where`` when it is malformed."""
    words = text.lower().split()
    if not words or "|" in words[0] or words[0] == "~":
        raise KnowledgeError(f"{where}: pattern {text!r} must start with a verb lemma")
    slots: list[Slot] = []
    for word in words[1:]:
        options = frozenset(split_list(word))
        if word == "~":
            slots.append(Slot("target", frozenset()))
        elif options <= PREPOSITIONS:
            slots.append(Slot("prep", options))
        elif options & PREPOSITIONS:
            raise KnowledgeError(f"{where}: {word!r} in {text!r} mixes prepositions and nouns")
        else:
            slots.append(Slot("noun", options))
    return VerbPattern(code=code, verb=words[0], slots=tuple(slots), text=" ".join(words))


def load_lexicon(verbs_path: Path | None = None, nouns_path: Path | None = None) -> Lexicon:
    """Read and validate a verb file and a noun file (built-in ones by default)."""
    verbs_path = verbs_path or DATA_DIR / "verbs.tsv"
    nouns_path = nouns_path or DATA_DIR / "nouns.tsv"
    known = cameo()
    by_verb: dict[str, list[VerbPattern]] = defaultdict(list)
    seen: dict[str, str] = {}
    for row in read_tsv(verbs_path, ("code", "pattern")):
        where = f"{verbs_path.name}:{row['_line']}"
        if row["code"] not in known:
            raise KnowledgeError(f"{where}: unknown CAMEO code {row['code']!r}")
        pattern = parse_pattern(row["code"], row["pattern"], where)
        if pattern.text in seen:
            raise KnowledgeError(f"{where}: pattern {pattern.text!r} already given (code {seen[pattern.text]})")
        seen[pattern.text] = pattern.code
        by_verb[pattern.verb].append(pattern)
    nouns: dict[str, list[NounPattern]] = defaultdict(list)
    for row in read_tsv(nouns_path, ("code", "noun", "preps")):
        where = f"{nouns_path.name}:{row['_line']}"
        if row["code"] not in known:
            raise KnowledgeError(f"{where}: unknown CAMEO code {row['code']!r}")
        noun = row["noun"].lower()
        pattern = NounPattern(row["code"], noun, frozenset(split_list(row["preps"].lower())))
        if any(other.preps & pattern.preps or other.preps == pattern.preps for other in nouns[noun]):
            raise KnowledgeError(f"{where}: noun {noun!r} with these prepositions already given")
        nouns[noun].append(pattern)
    ordered = {verb: tuple(sorted(ps, key=lambda p: -p.specificity)) for verb, ps in by_verb.items()}
    return Lexicon(verbs=ordered, nouns={noun: tuple(ps) for noun, ps in nouns.items()})


@cache
def default_lexicon() -> Lexicon:
    """The built-in lexicon, loaded once."""
    return load_lexicon()


def lexicon_for(dictionaries: Sequence[Dictionary]) -> Lexicon:
    """The lexicon the coder uses given the user dictionaries loaded (``KnowledgeBase.dictionaries``): the
    verb dictionaries among them, merged in order, or the built-in lexicon when there is none."""
    verb_files = [d.verbs for d in dictionaries if d.verbs is not None]
    if not verb_files:
        return default_lexicon()
    return _merged(tuple(verb_files))


@cache
def _merged(verb_files: tuple[VerbDictionary, ...]) -> Lexicon:
    merged = VerbDictionary()
    for verbs in reversed(verb_files):   # the later file's blocks are tried first: it wins a tie
        merged.merge(verbs)
    return Lexicon(verbs={}, nouns={}, dictionary=merged)


@cache
def cue_words(kind: str) -> frozenset[str]:
    """Lemmas of one kind of cue from ``data/cues.tsv`` (speech verbs, modals, forecast verbs, ...)."""
    rows = read_tsv(DATA_DIR / "cues.tsv", ("kind", "words"))
    words = [row["words"].split() for row in rows if row["kind"] == kind]
    if not words:
        raise KnowledgeError(f"cues.tsv: no cue words of kind {kind!r}")
    return frozenset(w for group in words for w in group)
