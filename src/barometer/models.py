"""The typed records that flow between stages; all frozen, all serialisable with :func:`to_dict`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

# html: a whole page; fragment: a piece of HTML (a feed item's content); text: a scrape, cleaned of page clutter;
# plain: clean text taken verbatim, offsets kept
InputKind = Literal["html", "fragment", "text", "plain"]


@dataclass(frozen=True)
class Source:
    """One input document before reading: decoded content plus whatever metadata came with it."""

    origin: str                      # path, URL, "path:line" (JSON lines), "path#n" (WARC record, feed item), "<stdin>"
    content: str
    kind: InputKind
    id: str | None = None
    date: str | None = None          # ISO publication date given with the document (a record's, a feed item's)
    url: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    fetched: str | None = None       # ISO date the page was crawled or fetched: the story date if it has no other
    teaser: bool = False             # only a summary of the story came with it (a feed item without content)


@dataclass(frozen=True)
class Article:
    """Clean article text and metadata; every offset in later records points into ``text``."""

    id: str
    title: str | None
    url: str | None
    date: str | None
    source: str | None               # site or outlet name
    authors: tuple[str, ...]
    text: str
    removed: tuple[str, ...]         # boilerplate blocks that were dropped
    truncated: bool
    origin: str
    language: str = "en"


@dataclass(frozen=True)
class Actor:
    """A mention of an actor resolved to a country and role as of the story date."""

    text: str
    start: int
    end: int
    name: str                        # canonical name ("Sergei Lavrov", "Russia", "State Department")
    country: str | None              # ISO3/CAMEO country code, or None for an IGO or unknown
    role: str | None                 # CAMEO sector: GOV, MIL, LEG, ELI, ... or None for the state itself
    kind: str                        # state | person | organization | igo | group
    code: str                        # full CAMEO actor code, e.g. "RUSGOV", "IGOUNO"
    office: str | None = None        # office held on the story date ("Foreign Minister", "President-elect")
    affiliation: str | None = None   # affiliation given by the text ("Brookings Institution")
    members: tuple[str, ...] = ()    # a user dictionary's joint actor ("[FRO/BIL]"): every member's code, ``code``
    #                                  the first; its events are coded once per member


@dataclass(frozen=True)
class Event:
    """Who did what to whom, with the sentence it came from."""

    source: Actor | None
    target: Actor | None
    code: str                        # CAMEO code as a string, "042"
    root: str                        # CAMEO root, "04"
    name: str
    quad_class: int
    goldstein: float
    plover: str | None
    verb: str                        # the trigger as written ("imposed ... on")
    sentence: str
    start: int                       # sentence offsets into Article.text
    end: int
    negated: bool
    reported: bool                   # embedded in someone's statement ("X said Y attacked Z")
    date: str | None


@dataclass(frozen=True)
class Quote:
    """A direct or indirect quotation with its cue and speaker."""

    text: str
    start: int
    end: int
    kind: Literal["direct", "indirect"]
    cue: str | None
    speaker: Actor | None
    audience: str | None = None      # who it was said to ("told Reuters")


@dataclass(frozen=True)
class Forecast:
    """A statement about the future: who predicts what, how sure, by when."""

    text: str
    start: int
    end: int
    cue: str
    probability: float
    polarity: Literal["positive", "negative"]
    horizon: str | None              # ISO date by which the forecast resolves
    forecaster: Actor | None
    event: Event | None
    status: Literal["forecast", "scheduled"] = "forecast"


@dataclass(frozen=True)
class Tone:
    """Lexicon tone of the article: positive and negative word shares in percent, and their difference."""

    score: float
    positive: float
    negative: float


@dataclass(frozen=True)
class Analysis:
    """Everything Barometer found in one article."""

    article: Article
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    forecasts: tuple[Forecast, ...]
    tone: Tone

    def to_dict(self) -> dict[str, Any]:
        """The public JSON contract (docs/output.md): article fields, then the records."""
        out = to_dict(self.article)
        out.update(actors=[to_dict(a) for a in self.actors], events=[to_dict(e) for e in self.events],
                   quotes=[to_dict(q) for q in self.quotes], forecasts=[to_dict(f) for f in self.forecasts],
                   tone=to_dict(self.tone))
        return out


@dataclass(frozen=True)
class Duplicate:
    """A document that repeats one seen before: not analysed again, linked to the original instead."""

    origin: str
    document_id: str
    original_id: str
    kind: Literal["exact", "near", "same"]   # same: this very document again, from the same origin
    similarity: float                # estimated Jaccard similarity of the texts' word shingles; 1.0 when exact
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Failure:
    """An input or document that could not be processed, and why."""

    origin: str
    stage: str
    reason: str
    document_id: str | None = None


def to_dict(record: Any) -> Any:
    """Plain JSON-ready data for a record (tuples become lists)."""
    if record is None:
        return None
    data = dataclasses.asdict(record)
    return _lists(data)


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value
