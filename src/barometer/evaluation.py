"""Evaluation: actors, coded events, quotes and forecasts scored against labelled data."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from barometer.errors import InputError
from barometer.events import RECIPROCAL_ROOTS
from barometer.models import Actor, Event, Forecast, Quote
from barometer.tables import DATA_DIR, by_longest_prefix, read_tsv


@dataclass(frozen=True)
class Score:
    """Counts and the usual ratios."""

    true_positives: int            # predicted items that are right
    predicted: int
    expected: int
    found: int | None = None       # expected items that were found, where that differs from true_positives

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        found = self.true_positives if self.found is None else self.found
        return found / self.expected if self.expected else 1.0

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
    return by_longest_prefix(_categories(), code)


@dataclass(frozen=True)
class GoldActor:
    """An actor the gold standard names in a sentence: as written, its country (or IGO/NGO) code and sector."""

    role: str                      # "source" or "target"
    text: str
    code: str
    sector: str | None


@dataclass(frozen=True)
class GoldSentence:
    """One labelled sentence: its text, date and the (source, target, category) triples it should yield."""

    text: str
    date: str | None
    triples: tuple[tuple[str | None, str | None, str], ...]
    actors: tuple[GoldActor, ...] = ()


def _gold_actors(row: dict[str, Any]) -> tuple[GoldActor, ...]:
    return tuple(GoldActor(role, str(a.get("actorText") or ""), str(a.get("code") or "")[:3],
                           str(a["sector"]) if a.get("sector") else None)
                 for role in ("source", "target") if isinstance(row.get(role), list)
                 for a in row[role] if isinstance(a, dict) and a.get("actorText") and a.get("code"))


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
        sentences.append(GoldSentence(text, row.get("date"), triples, _gold_actors(row)))
    return sentences


def _country(actor: Actor | None) -> str | None:
    return (actor.country or actor.code[:3] or None) if actor is not None else None


def _joint(events: list[Event]) -> set[int]:
    """The events that are halves of one joint act: "A and B agreed" is coded A->B and B->A (same sentence,
    verb and code, roles swapped, a root done with each other), which PLOVER's gold writes as A and B both
    sources with no target ("SRC/TAR" in its markup)."""
    def ends(event: Event) -> tuple[int, int] | None:
        return (event.source.start, event.target.start) if event.source and event.target else None

    halves: set[int] = set()
    for n, one in enumerate(events):
        for m in range(n + 1, len(events)):
            other = events[m]
            if (one.root in RECIPROCAL_ROOTS and (one.start, one.verb, one.code) == (other.start, other.verb, other.code)
                    and (pair := ends(one)) is not None and ends(other) == pair[::-1]):
                halves |= {n, m}
    return halves


def event_triples(events: list[Event]) -> list[tuple[str | None, str | None, str]]:
    """The (source country, target country, PLOVER category) of each scorable event; the two halves of a joint
    act ("A and B signed a treaty") count as PLOVER writes them, (A, none) and (B, none)."""
    categorised = [(e, category) for e in events if not e.negated and (category := plover_category(e.code))]
    joint = _joint([e for e, _ in categorised])
    triples = []
    for n, (event, category) in enumerate(categorised):
        triple = (_country(event.source), None if n in joint else _country(event.target), category)
        if n not in joint or triple not in triples:
            triples.append(triple)
    return triples


@dataclass(frozen=True)
class EventReport:
    """Scores of a run over a gold file, with the confusion of categories."""

    triples: Score
    categories: Score
    confusion: dict[tuple[str, str], int]
    sentences: int
    silent: int          # sentences where nothing was coded


def _matched(expected: Any, found: Any) -> int:
    """How many expected items are found, each found item matching one expected item at most."""
    remaining, hits = list(found), 0
    for item in expected:
        if item in remaining:
            remaining.remove(item)
            hits += 1
    return hits


def evaluate_events(gold: list[GoldSentence], predicted: list[list[Event]]) -> EventReport:
    """Micro-averaged precision, recall and F1 on triples and on categories alone, and a confusion table."""
    hits = n_pred = n_gold = cat_hits = cat_pred = cat_gold = silent = 0
    confusion: dict[tuple[str, str], int] = {}
    for item, events in zip(gold, predicted, strict=True):
        found = event_triples(events)
        silent += not found
        hits += _matched(item.triples, found)
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


@dataclass(frozen=True)
class PetrarchRecord:
    """One record of a PETRARCH validation file: a sentence and the events it must yield (none: ``expected`` empty)."""

    id: str
    category: str
    date: str | None
    text: str
    expected: tuple[tuple[str, str, str], ...]     # (source code, target code, event code)


@dataclass(frozen=True)
class PetrarchGold:
    """The records of a PETRARCH validation file, and the dictionaries its <Environment> names."""

    records: list[PetrarchRecord]
    dictionaries: dict[str, Path]     # Actorfile / Agentfile / Verbfile / Discardfile -> path beside the file
    skipped: int                      # records that test program errors or are not single sentences


def read_petrarch_gold(path: Path) -> PetrarchGold:
    """Read PETRARCH XML validation records (``<Sentence>`` with ``<EventCoding>`` and ``<Text>``)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise InputError(str(path), f"not a PETRARCH XML records file: {exc}") from None
    environment = root.find("Environment")
    dictionaries = {}
    for tag in ("Actorfile", "Agentfile", "Verbfile", "Discardfile"):
        name = environment.findtext(tag) if environment is not None else None
        if name and name.strip():
            dictionaries[tag] = path.parent / name.strip()
    records, skipped = [], 0
    for sentence in root.iter("Sentence"):
        codings = sentence.findall("EventCoding")
        text = " ".join((sentence.findtext("Text") or "").split())
        if not text or sentence.get("sentence", "true").lower() != "true" or any("error" in c.attrib for c in codings):
            skipped += 1
            continue
        expected = tuple((c.get("sourcecode", "").strip('"'), c.get("targetcode", "").strip('"'),
                          c.get("eventcode", "").strip('"')) for c in codings if "eventcode" in c.attrib)
        day = (sentence.get("date") or "").strip()
        iso = f"{day[:4]}-{day[4:6]}-{day[6:8]}" if len(day) == 8 and day.isdigit() else None
        records.append(PetrarchRecord(sentence.get("id", f"record-{len(records) + 1}").strip(),
                                      sentence.get("category", "").strip(), iso, text, expected))
    if not records:
        raise InputError(str(path), "no <Sentence> records with text")
    return PetrarchGold(records, dictionaries, skipped)


@dataclass(frozen=True)
class PetrarchReport:
    """How many expected events were found with the right codes, and how many were coded beyond them."""

    exact: Score          # (source code, target code, event code) all equal
    code_only: Score      # the event code right, whatever the actors
    actors_only: Score    # source and target codes right, whatever the event code
    quiet: tuple[int, int]   # (records expecting no event that got none, records expecting none)
    by_category: dict[str, tuple[int, int]]    # category -> (expected events found exactly, expected events)


def _no_country(code: str) -> str:
    """PETRARCH writes an actor with no country as "---" and its sector ("---GOV"), and no actor as "---";
    Barometer writes the sector alone ("GOV") and no actor as ""."""
    return code[3:] if code.startswith("---") else code


def evaluate_petrarch(records: list[PetrarchRecord], predicted: list[list[Event]]) -> PetrarchReport:
    """Score coded events against PETRARCH records on full codes (actor codes as in the dictionaries)."""
    totals = {"exact": [0, 0, 0], "code": [0, 0, 0], "actors": [0, 0, 0]}
    quiet = [0, 0]
    by_category: dict[str, list[int]] = {}
    for record, events in zip(records, predicted, strict=True):
        found = [(e.source.code if e.source else "", e.target.code if e.target else "", e.code) for e in events]
        expected = [(_no_country(s), _no_country(t), c) for s, t, c in record.expected]
        for key, project in (("exact", lambda t: t), ("code", lambda t: t[2:]), ("actors", lambda t: t[:2])):
            totals[key][0] += _matched([project(t) for t in expected], [project(t) for t in found])
            totals[key][1] += len(found)
            totals[key][2] += len(expected)
        if not expected:
            quiet[1] += 1
            quiet[0] += not found
        category = by_category.setdefault(record.category, [0, 0])
        category[0] += _matched(expected, found)
        category[1] += len(expected)
    return PetrarchReport(*(Score(*totals[k]) for k in ("exact", "code", "actors")), (quiet[0], quiet[1]),
                          {k: (v[0], v[1]) for k, v in sorted(by_category.items())})


def evaluate_petrarch_actors(records: list[PetrarchRecord], predicted: list[list[Actor]]
                             ) -> dict[str, tuple[int, int]]:
    """Per record category (and "all"): expected source and target codes that some resolved actor of the record
    carries exactly, out of those expected. Null codes ("---") and empty ones are not counted."""
    counts: dict[str, list[int]] = {"all": [0, 0]}
    for record, actors in zip(records, predicted, strict=True):
        codes = {a.code for a in actors}
        for code in (c for s, t, _ in record.expected for c in (s, t)):
            if not code or code.startswith("---"):
                continue
            for key in ("all", record.category):
                entry = counts.setdefault(key, [0, 0])
                entry[0] += code in codes
                entry[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


@dataclass(frozen=True)
class ActorScore:
    """How the actors the gold standard names in one role (source or target) were resolved."""

    role: str
    gold: int                      # gold actors in this role
    found: int                     # ... covered by an actor we resolved
    country_right: int             # ... resolved to the gold country (or to an IGO/NGO where the gold says so)
    with_sector: int               # gold actors that name a sector (GOV, MIL, REB, ...)
    sector_right: int              # ... whose sector we resolved too

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def country_accuracy(self) -> float:
        return self.country_right / self.gold if self.gold else 1.0

    @property
    def sector_accuracy(self) -> float:
        return self.sector_right / self.with_sector if self.with_sector else 1.0


def evaluate_actors(gold: list[GoldSentence], predicted: list[list[Actor]]) -> list[ActorScore]:
    """Per role: of the actors the gold standard names, how many we resolved, to the right country, and (where
    the gold gives one) the right sector. A gold actor is matched to the resolved actor that overlaps most of its
    text in the sentence; accuracies are over all gold actors, so a miss counts as wrong."""
    counts = {role: [0, 0, 0, 0, 0] for role in ("source", "target")}
    for item, actors in zip(gold, predicted, strict=True):
        for wanted in item.actors:
            tally = counts[wanted.role]
            tally[0] += 1
            tally[3] += wanted.sector is not None
            ours = _covering(item.text, wanted.text, actors)
            if ours is None:
                continue
            tally[1] += 1
            if _same_country(ours, wanted.code):
                tally[2] += 1
                tally[4] += wanted.sector is not None and _same_sector(ours, wanted.sector)
    return [ActorScore(role, *tally) for role, tally in counts.items()]


def _covering(text: str, mention: str, actors: list[Actor]) -> Actor | None:
    """The resolved actor overlapping most of the first occurrence of ``mention`` in ``text``."""
    start = text.lower().find(mention.lower())
    if start < 0:
        return None
    span = (start, start + len(mention))
    best = max(actors, key=lambda a: _overlap((a.start, a.end), span), default=None)
    return best if best is not None and _overlap((best.start, best.end), span) > 0 else None


def _same_country(actor: Actor, code: str) -> bool:
    if code in ("IGO", "NGO"):
        return actor.code.startswith(code) or actor.kind == code.lower()
    return (actor.country or actor.code[:3]) == code


def _same_sector(actor: Actor, sector: str) -> bool:
    """The gold sector is our role, or appears among the three-letter parts of our code (IGOUNOMIL has MIL)."""
    return actor.role == sector or sector in {actor.code[i:i + 3] for i in range(3, len(actor.code), 3)}


_QUOTE_MARKS = "\"“”«»„‘’'"
_PRONOUN_SOURCES = {"he", "she", "they", "i", "we", "it", "who", "you"}


@dataclass(frozen=True)
class GoldAttribution:
    """One labelled attribution: content span, source and cue spans (character offsets), and its kind."""

    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    kind: str                      # "direct" when the content is wrapped in quote marks, else "indirect"


@dataclass(frozen=True)
class GoldDocument:
    """A text and its labelled attributions."""

    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


def _brat_span(field: str) -> tuple[int, int]:
    # "start end" or a discontinuous "start end;start end": take the whole extent
    numbers = [int(n) for part in field.split(";") for n in part.split()]
    return min(numbers), max(numbers)


def read_brat_attributions(folder: Path) -> list[GoldDocument]:
    """PolNeAR-style brat standoff: ``attributions/*.ann`` beside ``text/*.txt`` (ann names may add a suffix)."""
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    documents = []
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = next((s for s in texts if ann.stem == s or ann.stem.startswith(s + "_")), None)
        if stem is None:
            raise InputError(str(ann), "no matching text file in text/")
        text = texts[stem].read_text(encoding="utf-8")
        spans: dict[str, tuple[str, tuple[int, int]]] = {}
        links: list[dict[str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if line.startswith("T") and len(cells) >= 2:
                label, _, where = cells[1].partition(" ")
                spans[cells[0]] = (label, _brat_span(where))
            elif line.startswith("E") and len(cells) >= 2:
                links.append(dict(part.split(":", 1) for part in cells[1].split() if ":" in part))
        attributions = []
        for link in links:
            content = spans.get(link.get("Content", ""))
            if content is None:
                continue
            start, end = content[1]
            inner = text[start:end].strip()
            before = text[max(start - 2, 0):start].rstrip()[-1:]
            after = text[end:end + 3].lstrip(",.;:!? ")[:1]
            direct = (inner[:1] in _QUOTE_MARKS or before in _QUOTE_MARKS and before) and \
                     (inner.rstrip(",.;:!? ")[-1:] in _QUOTE_MARKS or after in _QUOTE_MARKS and after)
            source = spans.get(link.get("Source", ""))
            cue = spans.get(link.get("Cue", ""))
            attributions.append(GoldAttribution((start, end), source[1] if source else None, cue[1] if cue else None,
                                                "direct" if direct else "indirect"))
        documents.append(GoldDocument(stem, text, tuple(attributions)))
    return documents


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Shared characters as a share of the shorter span."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(shared, 0) / max(min(a[1] - a[0], b[1] - b[0]), 1)


@dataclass(frozen=True)
class QuoteScore:
    """Content-span precision and recall, and speaker accuracy on the found ones, for one kind of quote."""

    kind: str
    span: Score
    speakers_right: int          # of the found gold attributions (``span.found``), whose speaker is judged

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.span.found if self.span.found else 0.0


def _speaker_right(quote: Quote, gold: GoldAttribution, text: str) -> bool:
    if gold.source is None or quote.speaker is None:
        return gold.source is None and quote.speaker is None
    source_text = text[gold.source[0]:gold.source[1]]
    words = [w.strip(".,'’").lower() for w in source_text.split()]
    if words and words[-1] in _PRONOUN_SOURCES:
        # a pronoun source: right when we attributed through the same cue (the name is ours to resolve)
        return gold.cue is not None and quote.cue is not None and quote.cue in text[gold.cue[0]:gold.cue[1]]
    if quote.speaker.start >= 0 and _overlap((quote.speaker.start, quote.speaker.end), gold.source) > 0:
        return True
    names = {w.strip(".,'’").lower() for w in f"{quote.speaker.name} {quote.speaker.text}".split()}
    return bool(words) and words[-1] in names


def evaluate_quotes(gold: list[GoldDocument], predicted: list[list[Quote]], min_overlap: float = 0.5) -> list[QuoteScore]:
    """Per kind: a predicted quote is right when it overlaps a gold content span by ``min_overlap`` of the
    shorter span (any gold kind); a gold attribution is found when a predicted quote overlaps it so; the
    speaker is judged on found ones (name or span agrees; pronoun sources by the same cue)."""
    scores = []
    for kind in ("direct", "indirect"):
        right = n_pred = found = n_gold = speakers = 0
        for document, quotes in zip(gold, predicted, strict=True):
            mine = [q for q in quotes if q.kind == kind]
            n_pred += len(mine)
            right += sum(any(_overlap((q.start, q.end), g.content) >= min_overlap for g in document.attributions)
                         for q in mine)
            for attribution in (g for g in document.attributions if g.kind == kind):
                n_gold += 1
                overlap, best = max(((_overlap((q.start, q.end), attribution.content), q) for q in quotes),
                                    key=lambda pair: pair[0], default=(0.0, None))
                if best is None or overlap < min_overlap:
                    continue
                found += 1
                speakers += _speaker_right(best, attribution, document.text)
        scores.append(QuoteScore(kind, Score(right, n_pred, n_gold, found), speakers))
    return scores



# Forecasts: statements labelled with the predicted event, predictor and modality (a JSON list of
# {"original_text", "extracted": [{"Event Variable", "Predicted Attribute", "Magnitude / Predicted Value",
# "Predictor", "Modality", "Modality Evidence", ...}]}). The labels paraphrase; they carry no offsets.

_PREDICTION_FIELDS = ("Event Variable", "Predicted Attribute", "Magnitude / Predicted Value", "Modality Evidence")
_STOP = STOP_WORDS | {"said", "says"}   # spaCy's English stop words, and the reporting verb's forms
_DOCUMENT_VOICE = frozenset({"article", "author", "unspecified", "unattributed", "unnamed", "wikinews"})
_GENERIC = frozenset("spokesman spokeswoman spokesperson official officials minister president director chief head "
                     "secretary leader members member group report study analysts experts".split())


def _stems(text: str) -> frozenset[str]:
    """Content words cut to six letters ('sanctions' and 'sanctioned' agree): the unit of overlap."""
    return frozenset(w[:6] for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in _STOP)


@dataclass(frozen=True)
class GoldPrediction:
    """One labelled prediction: the content words that describe it, who made it, and how sure (0-1, or None)."""

    words: frozenset[str]
    predictor: str | None
    probability: float | None


@dataclass(frozen=True)
class GoldForecastDocument:
    text: str
    predictions: tuple[GoldPrediction, ...]


def _modality(value: Any) -> float | None:
    """'70%', 70, '70' -> 0.7; anything else -> None."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*", str(value)) if value is not None else None
    return min(float(match[1]) / 100, 1.0) if match else None


def read_prediction_gold(path: Path) -> list[GoldForecastDocument]:
    """The labelled predictions file; HTML entities in the texts are decoded (the texts are scraped pages)."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"not a readable JSON file ({exc})") from None
    if not isinstance(records, list):
        raise InputError(str(path), "expected a JSON list of {original_text, extracted} records")
    documents = []
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("original_text"), str):
            raise InputError(f"{path}: record {number}", "has no 'original_text' string")
        predictions = tuple(
            GoldPrediction(frozenset().union(*(_stems(str(item.get(f) or "")) for f in _PREDICTION_FIELDS)),
                           item.get("Predictor"), _modality(item.get("Modality")))
            for item in record.get("extracted") or [] if isinstance(item, dict))
        documents.append(GoldForecastDocument(html.unescape(record["original_text"]), predictions))
    return documents


def _coverage(gold: GoldPrediction, statement: frozenset[str]) -> float:
    """Share of the gold prediction's content words that the statement's sentence contains."""
    return len(gold.words & statement) / len(gold.words) if gold.words else 0.0


def _name_words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _STOP}


def forecaster_right(ours: Actor | None, gold: str | None) -> bool:
    """Names agree when the shorter one's words (titles like 'spokesman' aside) all occur in the longer one,
    or one is the acronym of the other ('UNHCR' for 'United Nations High Commissioner for Refugees').
    Ours is named three ways, and any may agree: its canonical name, the mention as the text writes it
    ('Italian authorities' for ITAGOV), and its affiliation ('India Meteorological Department' for the
    department's director). A label naming the article itself ('Article', 'Unspecified (article author)')
    agrees with no forecaster found, or the byline/outlet: that is the document's own voice, Barometer's last
    fallback."""
    if not gold:
        return ours is None
    if _DOCUMENT_VOICE & _name_words(gold):
        return ours is None or ours.role == "MED"   # the article's own voice: its byline, outlet, or nobody named
    if ours is None:
        return False
    return any(_names_agree(name, gold) for name in (ours.name, ours.text, ours.affiliation) if name)


def _names_agree(ours: str, gold: str) -> bool:
    a, b = _name_words(ours) - _GENERIC, _name_words(gold) - _GENERIC
    if not a or not b:
        return _name_words(ours) == _name_words(gold)
    short, long_ = sorted((a, b), key=len)
    if short <= long_:
        return True
    return _initials(ours) in b or _initials(gold) in a


def _initials(name: str) -> str:
    words = re.findall(r"\b[A-Z][a-z]+", name)
    return "".join(w[0] for w in words).lower() if len(words) > 1 else ""


@dataclass(frozen=True)
class ForecastReport:
    statements: Score              # forecasts vs labelled predictions
    forecasters_right: int         # of the found predictions (``statements.found``), whose forecaster is judged
    probability_errors: tuple[float, ...]

    @property
    def forecaster_accuracy(self) -> float:
        return self.forecasters_right / self.statements.found if self.statements.found else 0.0

    @property
    def probability_mae(self) -> float:
        return sum(self.probability_errors) / len(self.probability_errors) if self.probability_errors else 0.0


def evaluate_forecasts(gold: list[GoldForecastDocument], predicted: list[list[Forecast]],
                       min_coverage: float = 0.25) -> ForecastReport:
    """A forecast is right when its sentence holds ``min_coverage`` of some labelled prediction's content words;
    a labelled prediction is found when some forecast's sentence does. On found ones, the best-covering forecast
    is judged: forecaster (``forecaster_right``) and probability (absolute error against the modality, which rates
    the statement as worded: "will not be lifted" at 90% is compared with 1 - the event's probability)."""
    right = n_pred = found = n_gold = speakers = 0
    errors: list[float] = []
    for document, forecasts in zip(gold, predicted, strict=True):
        statements = [(f, _stems(f.text)) for f in forecasts]
        n_pred += len(statements)
        right += sum(any(_coverage(g, words) >= min_coverage for g in document.predictions) for _, words in statements)
        for prediction in document.predictions:
            n_gold += 1
            coverage, best = max(((_coverage(prediction, s[1]), s) for s in statements),
                                 key=lambda pair: pair[0], default=(0.0, None))
            if best is None or coverage < min_coverage:
                continue
            found += 1
            speakers += forecaster_right(best[0].forecaster, prediction.predictor)
            if prediction.probability is not None:   # the label is how sure the statement is, as worded
                forecast = best[0]
                stated = 1 - forecast.probability if forecast.polarity == "negative" else forecast.probability
                errors.append(abs(stated - prediction.probability))
    return ForecastReport(Score(right, n_pred, n_gold, found), speakers, tuple(errors))


# The baseline a forecast extractor has to beat: every sentence holding a word that can point ahead.
_FUTURE_WORD = re.compile(
    r"\b(?:will|would|could|may|might|shall|can|should|must|'ll|won't|going to|is to|are to|to be|expect\w*|"
    r"likely|unlikely|possib\w*|probabl\w*|chance|poised|set to|due to|plan\w*|intend\w*|aim\w*|hope\w*|"
    r"predict\w*|forecast\w*|project\w*|estimat\w*|anticipat\w*|potential\w*|risk\w*|threat\w*|warn\w*|"
    r"propos\w*|future|next|soon|upcoming)\b", re.IGNORECASE)


def sentence_baseline(gold: list[GoldForecastDocument], min_coverage: float = 0.25) -> tuple[Score, Score]:
    """Two reference rows for ``evaluate_forecasts``: the baseline that flags every sentence holding a future,
    modal or likelihood word (so its recall is also the ceiling of any extractor that keeps to such sentences),
    and the oracle that flags every sentence (the ceiling of sentence-level matching itself)."""
    import spacy

    splitter = spacy.blank("en")
    splitter.add_pipe("sentencizer")
    flagged = right = found = covered = n_gold = 0
    for document in gold:
        words = [(s.text, _stems(s.text)) for s in splitter(document.text).sents]
        marked = [w for text, w in words if _FUTURE_WORD.search(text)]
        flagged += len(marked)
        right += sum(any(_coverage(g, w) >= min_coverage for g in document.predictions) for w in marked)
        for prediction in document.predictions:
            n_gold += 1
            found += any(_coverage(prediction, w) >= min_coverage for w in marked)
            covered += any(_coverage(prediction, w) >= min_coverage for _, w in words)
    return Score(right, flagged, n_gold, found), Score(0, 0, n_gold, covered)
