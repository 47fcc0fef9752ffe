"""PETRARCH verb dictionaries, read as a lexicon the coder can use instead of the built-in one.

Two generations of the format are read (docs/dictionaries.md, "Verb dictionaries"):

- synonym sets: ``&NAME`` and ``+WORD`` lines (members may be phrases, ``PRIME_MINISTER``, or other sets);
- verb blocks: a ``--- NAME [CODE] ---`` header, verb lines (``BREAK {BROKE BROKEN}``, multi-word verbs
  ``WIRE_+TAP``, a verb's own ``[CODE]``), and pattern lines ``- WORDS * WORDS [CODE]``.

In a pattern ``*`` is the verb; words before it must come before the verb in the sentence and words after
it after the verb, inside the verb's phrase, in order, with any words between unless an underscore glues
two together (``IN_*``, ``FAILED_TO_*``). ``$`` and ``+`` mark where the source and the target stand,
``%`` a compound of actors acting on each other (after the verb: the subject with each of them). ``^`` is a
noun phrase to pass over: right before a marker, the marker's actor stands after that phrase (``* AT ^ +``:
"warned at the capital of the prince", the prince); elsewhere the words between are free anyway. ``(…)`` and
``{…}`` group words (PETRARCH-2)
and are read as the words they hold. ``[---]`` codes no event; ``[A:B]`` codes A from source to target and B from
target to source (``[:B]`` only back).

Codes are kept as written. A code that is not CAMEO's takes the values of the longest CAMEO code it begins
with (``1717`` those of ``171``); one with no such prefix is kept with QuadClass 0 and Goldstein 0
(``ontology.user_event_type``) and counted in the reader's notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from spacy.tokens import Token

from barometer.ontology import cameo, cameo_parent

_HEADER = re.compile(r"^---\s*(\S.*?)\s*\[([^\]]*)\].*?---\s*$")
_CODE = re.compile(r"\[([^\]]*)\]\s*$")
_WORD = re.compile(r"^[A-Z0-9'.\-]+$")


@dataclass(frozen=True)
class Item:
    """One element of a pattern: words (each option a phrase, upper case), the verb, or a marker."""

    kind: str                                   # "word" | "verb" | "source" | "target" | "compound"
    options: tuple[tuple[str, ...], ...] = ()
    glued: bool = False                         # must follow the item before it with no word between
    skip: int = 0                               # a marker's "^" items: noun phrases passed over before its actor


@dataclass(frozen=True)
class Code:
    """A dictionary code: ``value`` from source to target, ``reverse`` back for a compound; None codes nothing."""

    value: str | None
    reverse: str | None = None


@dataclass(frozen=True)
class Pattern:
    code: Code
    before: tuple[Item, ...]      # in text order, up to the verb
    verb_glued: bool              # the last word before the verb must touch it
    after: tuple[Item, ...]
    text: str

    @property
    def needs(self) -> tuple[frozenset[str], ...]:
        """For each word of the pattern, the first words of its options: one of each must be in the sentence."""
        return tuple(frozenset(option[0] for option in item.options)
                     for item in (*self.before, *self.after) if item.kind == "word")

    @cached_property
    def skips(self) -> dict[str, int]:
        """The markers with ``^`` before them, and how many."""
        return {item.kind: item.skip for item in (*self.before, *self.after) if item.skip}

    @property
    def size(self) -> int:
        """How many words the pattern asks for (markers not counted)."""
        return sum(1 for item in (*self.before, *self.after) if item.kind == "word")


@dataclass(frozen=True)
class VerbForm:
    """One verb of a block: its head word and inflections, words glued before and after it, its own code."""

    head: str
    inflections: frozenset[str]
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: Code


@dataclass(frozen=True)
class Block:
    name: str
    forms: tuple[VerbForm, ...]
    patterns: tuple[Pattern, ...]

    @cached_property
    def needs(self) -> tuple[tuple[frozenset[str], ...], ...]:
        """Each pattern's needed words (``Pattern.needs``), worked out once."""
        return tuple(p.needs for p in self.patterns)


class _Words:
    """A document's tokens upper-cased, as written and as lemmas, read once per document."""

    def __init__(self, doc):
        self.texts = [t.text.upper() for t in doc]
        self.lemmas = [t.lemma_.upper() for t in doc]
        self._vocab: dict[tuple[int, int], frozenset[str]] = {}

    def vocabulary(self, start: int, end: int) -> frozenset[str]:
        """Every word a pattern word could match in tokens ``start..end-1`` (plurals as their singular too)."""
        if (start, end) not in self._vocab:
            found = set(self.lemmas[start:end])
            for text in self.texts[start:end]:
                found.update((text, text[:-1], text[:-2]))
            self._vocab[start, end] = frozenset(found)
        return self._vocab[start, end]

    def matches(self, i: int, word: str) -> bool:
        text = self.texts[i]
        return word == text or word == self.lemmas[i] or text == word + "S" or text == word + "ES"


_LAST: list = [None, None]     # the document last matched and its words: the coder asks for one document at a time


def _words(doc) -> _Words:
    if _LAST[0] is not doc:
        _LAST[:] = [doc, _Words(doc)]
    return _LAST[1]


@dataclass(frozen=True)
class DictionaryMatch:
    """What a verb token codes: the code, the pattern (None: the verb's default), the tokens the pattern
    matched, and the token ranges its markers stand for."""

    code: Code
    pattern: Pattern | None
    verb_span: tuple[int, int]
    words: tuple[int, ...]
    markers: dict[str, tuple[int, int]]

    @property
    def text(self) -> str:
        return self.pattern.text if self.pattern else "(verb default)"


@dataclass(eq=False)     # compared and hashed by identity: the coder caches lexicons per dictionary
class VerbDictionary:
    """Verb blocks indexed by every form of their verbs' head words."""

    blocks: list[Block] = field(default_factory=list)
    synsets: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)       # codes outside CAMEO, kept
    index: dict[str, list[tuple[Block, VerbForm]]] = field(default_factory=lambda: defaultdict(list))

    @property
    def size(self) -> int:
        return sum(len(b.patterns) + len(b.forms) for b in self.blocks)

    def add(self, block: Block) -> None:
        self.blocks.append(block)
        for form in block.forms:
            for word in form.inflections | {form.head}:
                self.index[word].append((block, form))

    def merge(self, other: VerbDictionary) -> None:
        for block in other.blocks:
            self.add(block)

    def knows(self, verb: Token) -> bool:
        return bool(self._candidates(verb))

    def _candidates(self, verb: Token) -> list[tuple[Block, VerbForm]]:
        found = self.index.get(verb.text.upper(), []) + self.index.get(verb.lemma_.upper(), [])
        return list({(id(block), id(form)): (block, form) for block, form in found}.values())

    def match(self, verb: Token, actors_in: Callable[[int, int], int]) -> DictionaryMatch | None:
        """The code the most specific pattern gives ``verb`` (None when the verb is unknown or codes nothing).

        ``actors_in(lo, hi)`` counts the actors among tokens ``lo..hi-1``: a ``%`` pattern needs two."""
        candidates = self._candidates(verb)
        if not candidates:
            return None
        sent = verb.sent
        words = _words(verb.doc)
        vocab = words.vocabulary(sent.start, sent.end)
        best: tuple[tuple[int, int, int], DictionaryMatch] | None = None
        for order, (block, form) in enumerate(candidates):
            span = _form_span(verb, form)
            if span is None:
                continue
            specificity = len(form.before) + len(form.after)
            found = DictionaryMatch(form.code, None, span, (), {})
            key = (specificity, 0, -order)
            if best is None or key > best[0]:
                best = (key, found)
            hi = phrase_end(verb, span[1])
            for pattern, needs in zip(block.patterns, block.needs):
                if not all(need & vocab for need in needs):
                    continue   # a word the pattern needs is nowhere in the sentence
                result = _match_pattern(pattern, sent.start, span, hi, words, actors_in, verb.left_edge.i)
                if result is None:
                    continue
                if pattern.skips:
                    result = result[0], {kind: (_past_phrases(verb.doc, lo, hi_, pattern.skips.get(kind, 0)), hi_)
                                         for kind, (lo, hi_) in result[1].items()}
                key = (specificity, pattern.size + 1, -order)
                if key > best[0]:
                    best = (key, DictionaryMatch(pattern.code, pattern, span, *result))
        if best is None or best[1].code.value is None and best[1].code.reverse is None:
            return None
        return best[1]


def _past_phrases(doc, start: int, end: int, count: int) -> int:
    """Where tokens ``start..end-1`` go on after ``count`` noun phrases (a pattern's ``^``); ``start`` if there
    are fewer."""
    i = start
    for _ in range(count):
        while i < end and doc[i].pos_ not in {"NOUN", "PROPN", "PRON", "NUM"}:
            i += 1
        if i == end:
            return start
        head = doc[i]
        while head.dep_ in {"compound", "amod", "nmod", "poss", "nummod"} and head.i < head.head.i < end:
            head = head.head   # "the Gondor", "the parliament": the base phrase ends at its noun
        i = head.i + 1
    return i


def _form_span(verb: Token, form: VerbForm) -> tuple[int, int] | None:
    """The token range of a (multi-word) verb form around ``verb``, or None when its glued words are missing."""
    start, end = verb.i - len(form.before), verb.i + 1 + len(form.after)
    if start < verb.sent.start or end > verb.sent.end:
        return None
    words = _words(verb.doc).texts[start:end]
    if words[: len(form.before)] != list(form.before) or words[len(form.before) + 1:] != list(form.after):
        return None
    return start, end


def phrase_end(verb: Token, end: int) -> int:
    """Where the verb's phrase ends: its subtree, up to a coordinated verb or clause that follows it."""
    hi = verb.right_edge.i + 1
    for child in verb.children:
        if child.i >= end and child.dep_ in {"conj", "cc"} and (child.dep_ == "cc" or child.pos_ in {"VERB", "AUX"}):
            hi = min(hi, child.left_edge.i)
    return max(hi, end)


def _phrase_at(doc: _Words, i: int, option: tuple[str, ...], lo: int, hi: int) -> int | None:
    """The end of ``option`` read from token ``i``, or None."""
    end = i + len(option)
    if i < lo or end > hi:
        return None
    return end if all(doc.matches(i + k, w) for k, w in enumerate(option)) else None


def _match_pattern(pattern: Pattern, lo: int, span: tuple[int, int], hi: int, doc: _Words,
                   actors_in: Callable[[int, int], int], clause: int) -> tuple[tuple[int, ...], dict[str, tuple[int, int]]] | None:
    after = _forward(pattern.after, 0, span[1], span[1], hi, doc, [], {})
    before = after and _backward(pattern.before, len(pattern.before) - 1, span[0], pattern.verb_glued, lo, doc,
                                 [], {}, clause)
    if not before:
        return None
    markers = before[1] | after[1]
    if "compound" in markers and actors_in(*markers["compound"]) < 2:
        return None
    return tuple(sorted(before[0] + after[0])), markers


def _forward(items: tuple[Item, ...], k: int, cursor: int, lo: int, hi: int, doc: _Words, words: list[int],
             marks: dict[str, tuple[int, int]]) -> tuple[list[int], dict[str, tuple[int, int]]] | None:
    """Match ``items[k:]`` left to right from ``cursor``; markers stand for the words up to the next match."""
    if k == len(items):
        return words, _close(marks, hi)
    item = items[k]
    if item.kind != "word":
        return _forward(items, k + 1, cursor, lo, hi, doc, words, {**marks, item.kind: (cursor, None)})
    starts = [cursor] if item.glued else range(cursor, hi)
    for start in starts:
        for option in item.options:
            end = _phrase_at(doc, start, option, lo, hi)
            if end is not None:
                result = _forward(items, k + 1, end, lo, hi, doc, words + list(range(start, end)), _close(marks, start))
                if result is not None:
                    return result
    return None


def _close(marks: dict[str, tuple[int, int | None]], at: int) -> dict[str, tuple[int, int | None]]:
    return {kind: (start, at if end is None else end) for kind, (start, end) in marks.items()}


def _backward(items: tuple[Item, ...], k: int, cursor: int, glued: bool, lo: int, doc: _Words, words: list[int],
              marks: dict[str, tuple[int, int | None]],
              clause: int) -> tuple[list[int], dict[str, tuple[int, int]]] | None:
    """Match ``items[:k+1]`` right to left, ending before ``cursor``; ``glued``: the match must end there.
    A marker with no word to its left stands for the verb's own clause (from ``clause``), not the sentence."""
    if k < 0:
        return words, {kind: (max(clause, lo) if start is None else start, end) for kind, (start, end) in marks.items()}
    item = items[k]
    if item.kind != "word":
        return _backward(items, k - 1, cursor, False, lo, doc, words, {**marks, item.kind: (None, cursor)}, clause)
    ends = [cursor] if glued else range(cursor, lo, -1)
    for end in ends:
        for option in item.options:
            start = end - len(option)
            if _phrase_at(doc, start, option, lo, end) == end:
                opened = {kind: (end if s is None else s, e) for kind, (s, e) in marks.items()}
                result = _backward(items, k - 1, start, item.glued, lo, doc, words + list(range(start, end)), opened,
                                   clause)
                if result is not None:
                    return result
    return None


# --- reading -------------------------------------------------------------------------------------------


def read_verb_dictionary(path: Path, lines: list[str]) -> tuple[VerbDictionary, list[str]]:
    """Read a PETRARCH verb dictionary's lines; returns it and the ``file:line: reason`` of each line skipped."""
    dictionary = VerbDictionary()
    issues: list[str] = []
    raw_synsets: dict[str, list[str]] = {}
    synset: str | None = None
    block: dict | None = None
    blocks: list[dict] = []
    for number, raw in enumerate(lines, 1):
        where = f"{path}:{number}"
        line = raw.split("#", 1)[0].rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("<"):
            continue
        if stripped.startswith("&"):
            if not stripped[1:].strip():
                issues.append(f"{where}: a synonym set needs a name after '&'")
                synset = None
                continue
            synset = stripped[1:].split()[0].rstrip("_").upper()
            raw_synsets[synset] = []
            block = None
            continue
        if synset is not None and stripped.startswith("+"):
            raw_synsets[synset].append(stripped[1:].strip())
            continue
        synset = None
        if header := _HEADER.match(stripped):
            block = {"name": header.group(1).strip("_ ").upper(), "code": header.group(2), "forms": [],
                     "patterns": [], "where": where}
            blocks.append(block)
            continue
        if stripped.startswith("---"):
            issues.append(f"{where}: a block header must read '--- NAME [CODE] ---'")
            continue
        if block is None:
            issues.append(f"{where}: a verb or pattern outside a '--- NAME [CODE] ---' block")
            continue
        if stripped.startswith("~"):
            issues.append(f"{where}: PETRARCH-2 transformation rules ('~') are not read")
        elif stripped.startswith("-"):
            block["patterns"].append((stripped[1:].strip(), where))
        else:
            block["forms"].append((stripped, where))
    synsets = _expand_synsets(raw_synsets, path, issues)
    dictionary.synsets = synsets
    for raw_block in blocks:
        built = _build_block(raw_block, synsets, issues, dictionary.notes)
        if built is not None:
            dictionary.add(built)
    return dictionary, issues


def _expand_synsets(raw: dict[str, list[str]], path: Path, issues: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    done: dict[str, tuple[tuple[str, ...], ...]] = {}

    def expand(name: str, seen: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        if name in done:
            return done[name]
        options: list[tuple[str, ...]] = []
        for member in raw[name]:
            if member.startswith("&"):
                inner = member[1:].rstrip("_").upper()
                if inner in raw and inner not in seen:
                    options += expand(inner, (*seen, inner))
                else:
                    issues.append(f"{path}: synonym set &{name} names &{inner}, which "
                                  f"{'contains it' if inner in seen else 'is not defined'}")
                continue
            words = tuple(w for w in re.split(r"[_\s]+", member.upper()) if w)
            if words:
                options.append(words)
        done[name] = tuple(dict.fromkeys(options))
        return done[name]

    for name in raw:
        expand(name, (name,))
    return done


def _parse_code(text: str, notes: list[str], where: str) -> Code | None:
    """A bracket's content as a Code; None when it is not one."""
    text = text.strip()
    if text in {"---", "+++", ""}:
        return Code(None)
    parts = [p.strip() or "---" for p in text.split(":")]     # "[:173]": only the code back
    if len(parts) > 2 or not all(re.fullmatch(r"[0-9A-Za-z]{2,5}|---", p) for p in parts):
        return None
    for part in parts:
        if part != "---" and part not in cameo() and cameo_parent(part) is None:
            notes.append(f"{where}: code {part} is not a CAMEO code and begins with none; kept, QuadClass 0")
    values = [None if p == "---" else p for p in parts]
    return Code(values[0], values[1] if len(values) > 1 else None)


def _build_block(raw: dict, synsets: dict[str, tuple[tuple[str, ...], ...]], issues: list[str],
                 notes: list[str]) -> Block | None:
    block_code = _parse_code(raw["code"], notes, raw["where"])
    if block_code is None:
        issues.append(f"{raw['where']}: block code [{raw['code']}] is not a code")
        return None
    forms: list[VerbForm] = []
    for text, where in raw["forms"] or [(raw["name"], raw["where"])]:
        form = _parse_form(text, block_code, notes, where, issues)
        if form is not None:
            forms.extend(form)
    patterns: list[Pattern] = []
    for text, where in raw["patterns"]:
        pattern = _parse_pattern(text, block_code, synsets, where, issues, notes)
        if pattern is not None:
            patterns.append(pattern)
    if not forms:
        issues.append(f"{raw['where']}: block {raw['name']} has no verb")
        return None
    return Block(raw["name"], tuple(forms), tuple(patterns))


def _own_code(text: str, default: Code, what: str, notes: list[str], where: str,
              issues: list[str]) -> tuple[str, Code] | None:
    """A line's text without its trailing ``[CODE]``, and that code (``default`` when it has none); None, with
    an issue, when the bracket holds no code."""
    found = _CODE.search(text)
    if found is None:
        return text, default
    code = _parse_code(found.group(1), notes, where)
    if code is None:
        issues.append(f"{where}: {what} code [{found.group(1)}] is not a code")
        return None
    return text[: found.start()].strip(), code


def _parse_form(text: str, block_code: Code, notes: list[str], where: str, issues: list[str]) -> list[VerbForm] | None:
    if (coded := _own_code(text, block_code, "verb", notes, where, issues)) is None:
        return None
    text, code = coded
    irregular: list[str] = []
    if "{" in text:
        text, _, rest = text.partition("{")
        irregular = rest.replace("}", " ").split()
    word = "_".join(text.split())      # "LASH OUT" as "LASH_OUT"
    shape = _verb_shape(word)
    if shape is None:
        issues.append(f"{where}: {text.strip()!r} is not a verb")
        return None
    before, head, after = shape
    inflections = set(_inflections(head))
    for other in irregular:
        other_shape = _verb_shape(other)
        if other_shape is not None and other_shape[0] == before and other_shape[2] == after:
            inflections.add(other_shape[1])
        else:
            issues.append(f"{where}: irregular form {other!r} does not have the shape of {word!r}; skipped")
    return [VerbForm(head, frozenset(inflections), before, after, code)]


def _verb_shape(word: str) -> tuple[tuple[str, ...], str, tuple[str, ...]] | None:
    """``KLM_NOP_+RST`` -> ((KLM, NOP), RST, ()); ``+BREAK_DOWN`` -> ((), BREAK, (DOWN,)); the head is the word
    marked '+', else the first."""
    parts = [p for p in word.upper().split("_") if p]
    if not parts:
        return None
    marked = [i for i, p in enumerate(parts) if p.startswith("+")]
    head = marked[0] if marked else 0
    parts = [p.lstrip("+") for p in parts]
    if not all(_WORD.match(p) for p in parts):
        return None
    return tuple(parts[:head]), parts[head], tuple(parts[head + 1:])


def _inflections(word: str) -> list[str]:
    """Regular forms of an upper-case verb: -S, -ED, -ING with the usual spelling changes."""
    if word.endswith("EE"):
        return [word, word + "S", word + "D", word + "ING"]          # AGREE -> AGREEING
    if word.endswith("E"):
        return [word, word + "S", word + "D", word[:-1] + "ING"]
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return [word, word[:-1] + "IES", word[:-1] + "IED", word + "ING"]
    if word.endswith(("S", "SH", "CH", "X", "Z")):
        return [word, word + "ES", word + "ED", word + "ING"]
    if 2 < len(word) <= 4 and word[-1] not in "AEIOUWXY" and word[-2] in "AEIOU" and word[-3] not in "AEIOU":
        return [word, word + "S", word + word[-1] + "ED", word + word[-1] + "ING"]   # STOP -> STOPPED, not STOPED
    return [word, word + "S", word + "ED", word + "ING"]      # longer words: VISIT -> VISITED (lemmas cover the rest)


_MARKERS = {"$": "source", "+": "target", "%": "compound"}


def _parse_pattern(text: str, block_code: Code, synsets: dict[str, tuple[tuple[str, ...], ...]],
                   where: str, issues: list[str], notes: list[str]) -> Pattern | None:
    if (coded := _own_code(text, block_code, "pattern", notes, where, issues)) is None:
        return None
    text, code = coded
    shown = " ".join(text.split())
    items: list[Item] = []
    glue_next = False
    skip = 0
    for chunk in re.sub(r"[(){}]", " ", text).split():
        parts = chunk.split("_")
        for n, part in enumerate(parts):
            glued = glue_next or n > 0
            glue_next = False
            if not part:
                if n == len(parts) - 1:
                    glue_next = True        # 'KNOWN_ *': glued to what follows
                continue
            part = part.upper()
            if part == "^":
                skip += 1
                continue
            if part == "*":
                items.append(Item("verb", glued=glued))
            elif part in _MARKERS:
                items.append(Item(_MARKERS[part], glued=glued, skip=skip))
            elif part.startswith("&"):
                name = part[1:].rstrip("_")
                if name not in synsets:
                    issues.append(f"{where}: pattern {shown!r} names synonym set &{name}, which is not defined")
                    return None
                items.append(Item("word", synsets[name], glued))
            elif all(_WORD.match(word) for word in part.split("/")):
                items.append(Item("word", tuple((word,) for word in part.split("/")), glued))   # "BY/WITH"
            else:
                issues.append(f"{where}: pattern {shown!r}: {part!r} is not a word")
                return None
            skip = 0
    verbs = [i for i, item in enumerate(items) if item.kind == "verb"]
    if len(verbs) != 1:
        issues.append(f"{where}: pattern {shown!r} must hold one '*' for the verb")
        return None
    # a marker stands for a phrase: nothing is glued to it
    items = [Item(item.kind, item.options, item.glued and item.kind != "source" and item.kind != "target"
                  and item.kind != "compound" and (n == 0 or items[n - 1].kind in {"word", "verb"}), item.skip)
             for n, item in enumerate(items)]
    star = verbs[0]
    return Pattern(code, tuple(items[:star]), items[star].glued, tuple(items[star + 1:]), shown)
