"""The runner: one loop that takes each document through the stages, in this order:

1. read       Source -> Article (clean text, metadata, removed clutter,        reading.read_source
              language); a copy of a document seen before stops here          dedup.DuplicateIndex.check
              as a Duplicate, a text not in English after being stored as is
2. parse      Article text -> spaCy Doc (batched with nlp.pipe)                 nlp.load_pipeline
3. actors     Doc -> actors resolved on the story date                         actors.resolve_actors
4. events     Doc + actors -> CAMEO events                                     events.code_events
5. quotes     Doc + actors -> direct and indirect quotes                       quotes.extract_quotes
6. forecasts  Doc + actors + quotes -> forecasts                               forecasts.extract_forecasts
7. tone       Doc -> tone                                                      tone.score_tone

A document that fails at any stage becomes a :class:`Failure` naming the stage; the batch goes on, and
results come out in input order: an Analysis, a Duplicate or a Failure for each document.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from spacy.language import Language

from barometer.actors import KnowledgeBase, knowledge_for, resolve_actors
from barometer.errors import BarometerError, InputError
from barometer.dedup import DuplicateIndex
from barometer.events import code_events
from barometer.forecasts import extract_forecasts
from barometer.lexicon import Lexicon, lexicon_for
from barometer.models import Analysis, Article, Duplicate, Failure, Source, Tone
from barometer.nlp import load_pipeline, parser_text
from barometer.quotes import extract_quotes
from barometer.reading import read_source
from barometer.settings import Settings
from barometer.tone import score_tone


@dataclass
class _Work:
    """What one document has gathered so far on its way through the stages."""

    source: Source
    found: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Context:
    """What every step may use: the pipeline, the settings, the actor knowledge, the event lexicon (the built-in
    one, or the user's verb dictionaries), the fallback story date."""

    nlp: Language
    settings: Settings
    kb: KnowledgeBase
    lexicon: Lexicon
    default_date: str | None
    duplicates: DuplicateIndex | None


Step = Callable[[_Work, _Context], None]


def _read(work: _Work, ctx: _Context) -> None:
    article = work.found.get("article")   # read already by the pool of readers, for pages
    if article is None:
        article = work.found["article"] = read_source(work.source, default_date=ctx.default_date,
                                                      max_chars=_max_chars(ctx))
    work.found["duplicate"] = ctx.duplicates.check(article) if ctx.duplicates is not None else None


def _actors(work: _Work, ctx: _Context) -> None:
    work.found["actors"] = resolve_actors(work.found["doc"], work.found["article"].date, ctx.nlp, ctx.kb)


def _events(work: _Work, ctx: _Context) -> None:
    work.found["events"] = code_events(work.found["doc"], work.found["actors"], work.found["article"].date,
                                       ctx.lexicon, ctx.settings.event_conventions)


def _quotes(work: _Work, ctx: _Context) -> None:
    work.found["quotes"] = extract_quotes(work.found["doc"], work.found["actors"], ctx.settings.min_quote_words)


def _forecasts(work: _Work, ctx: _Context) -> None:
    found = work.found
    found["forecasts"] = extract_forecasts(found["doc"], found["actors"], found["quotes"], found["article"],
                                           ctx.lexicon)


def _tone(work: _Work, ctx: _Context) -> None:
    work.found["tone"] = score_tone(work.found["doc"])


def _max_chars(ctx: _Context) -> int:
    return min(ctx.settings.max_text_chars, ctx.nlp.max_length)   # spaCy refuses longer texts


BEFORE_PARSE: tuple[tuple[str, Step], ...] = (("read", _read),)
AFTER_PARSE: tuple[tuple[str, Step], ...] = (
    ("actors", _actors), ("events", _events), ("quotes", _quotes), ("forecasts", _forecasts), ("tone", _tone),
)


def run(sources: Iterable[Source | Failure], settings: Settings, *, default_date: str | None = None,
        duplicates: DuplicateIndex | None = None) -> Iterator[Analysis | Duplicate | Failure]:
    """Analyse every source; yield an Analysis per document or a Failure naming the stage and reason.

    Given a DuplicateIndex (empty, or the store's), a copy of a document it holds or of one read earlier in the
    run yields a Duplicate instead, and is not analysed; without one, every document is analysed.

    A document not in English yields an Analysis of its article alone: it is kept, marked with its language, and
    not analysed as English.
    """
    nlp = load_pipeline(settings.spacy_model)
    kb = knowledge_for(settings)
    ctx = _Context(nlp, settings, kb, lexicon_for(kb.dictionaries), default_date, duplicates)
    with _Readers(settings) as readers:
        yield from _batches(sources, ctx, readers)


def _batches(sources: Iterable[Source | Failure], ctx: _Context, readers: _Readers
             ) -> Iterator[Analysis | Duplicate | Failure]:
    iterator = iter(sources)
    while batch := list(islice(iterator, ctx.settings.batch_size)):
        # results come out in input order: failures keep their place among the analyses
        slots: list[Failure | Analysis | Duplicate | _Work] = []
        works = [item if isinstance(item, Failure) else _Work(item) for item in batch]
        readers.read([work for work in works if isinstance(work, _Work)], ctx)
        for work in works:
            early = work if isinstance(work, Failure) else work.found.get("read_failure")
            if early is not None:
                slots.append(early)
                continue
            failure = _run_steps(BEFORE_PARSE, work, ctx)
            slots.append(failure or work.found["duplicate"] or (work if _analysable(work) else _unanalysed(work)))
        parse_failures = iter(_parse([slot for slot in slots if isinstance(slot, _Work)], ctx))
        for slot in slots:
            if isinstance(slot, _Work):
                yield next(parse_failures) or _run_steps(AFTER_PARSE, slot, ctx) or _analysis(slot)
            else:
                yield slot


class _Readers:
    """The pages of a batch read in a pool of processes (the ``read_workers`` setting): extracting an article from
    HTML takes about as long as parsing it. Texts are read here; so is everything when the pool would not pay."""

    MIN_PAGES = 4   # a batch with fewer pages is read in this process

    def __init__(self, settings: Settings) -> None:
        self.workers = settings.read_workers or min(4, os.cpu_count() or 1)
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "_Readers":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def read(self, works: list[_Work], ctx: _Context) -> None:
        """Read the pages among ``works`` in the pool, setting each one's article or read failure; the other works,
        and all of them when the pool would not pay, are left to the read step."""
        pages = [w for w in works if w.source.kind == "html"]
        if self.workers > 1 and len(pages) >= self.MIN_PAGES:
            if self.pool is None:   # spawned, not forked: this process may hold threads (DuckDB, the progress bar)
                self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            jobs = [(w.source, ctx.default_date, _max_chars(ctx)) for w in pages]
            try:
                for work, result in zip(pages, self.pool.map(_read_in_worker, jobs, chunksize=2)):
                    work.found["read_failure" if isinstance(result, Failure) else "article"] = result
            except BrokenProcessPool:   # a reader died (out of memory, killed): the read step reads the rest here
                self.pool.shutdown(cancel_futures=True)
                self.pool, self.workers = None, 1


def _read_in_worker(job: tuple[Source, str | None, int]) -> Article | Failure:
    source, default_date, max_chars = job
    try:
        return read_source(source, default_date=default_date, max_chars=max_chars)
    except Exception as exc:   # the same failure the read step would make of it
        return _failure(source.origin, "read", exc, None)


def _analysable(work: _Work) -> bool:
    return work.found["article"].language == "en"


def _unanalysed(work: _Work) -> Analysis:
    """A document kept as read, without records: its text is not in a language the pipeline reads."""
    return Analysis(article=work.found["article"], actors=(), events=(), quotes=(), forecasts=(),
                    tone=Tone(score=0.0, positive=0.0, negative=0.0))


def _parse(works: list[_Work], ctx: _Context) -> list[Failure | None]:
    """Give each document its spaCy Doc, the batch at once (nlp.pipe); if the batch fails, each document alone,
    so only the bad one fails, named like a failure of any stage."""
    try:
        for work, doc in zip(works, ctx.nlp.pipe(parser_text(work.found["article"].text) for work in works)):
            work.found["doc"] = doc
        return [None] * len(works)
    except Exception:   # one bad text spoils the whole batch in nlp.pipe: find it by parsing one by one
        return [_run_steps((("parse", _parse_one),), work, ctx) for work in works]


def _parse_one(work: _Work, ctx: _Context) -> None:
    work.found["doc"] = ctx.nlp(parser_text(work.found["article"].text))


def _run_steps(steps: tuple[tuple[str, Step], ...], work: _Work, ctx: _Context) -> Failure | None:
    for name, step in steps:
        try:
            step(work, ctx)
        except Exception as exc:  # a bug in one stage must not stop the batch; the row says what broke
            return _failure(work.source.origin, name, exc, _document_id(work))
    return None


def _failure(origin: str, stage: str, exc: Exception, document_id: str | None) -> Failure:
    if isinstance(exc, InputError):
        return Failure(origin, stage, exc.reason, document_id)
    if isinstance(exc, BarometerError):
        return Failure(origin, stage, str(exc), document_id)
    return Failure(origin, stage, f"internal error {type(exc).__name__}: {exc}", document_id)


def _document_id(work: _Work) -> str | None:
    article = work.found.get("article")
    return article.id if article is not None else None


def _analysis(work: _Work) -> Analysis:
    found = work.found
    return Analysis(article=found["article"], actors=found["actors"], events=found["events"], quotes=found["quotes"],
                    forecasts=found["forecasts"], tone=found["tone"])


def analyze_text(text: str, *, date: str | None = None, html: bool = False, settings: Settings | None = None,
                 origin: str = "<text>") -> Analysis:
    """Analyse one document given as a string; raises the failure's error if it cannot be analysed."""
    source = Source(origin=origin, content=text, kind="html" if html else "text")
    (result,) = run([source], settings or Settings(), default_date=date)
    if isinstance(result, Failure):
        raise BarometerError(f"{result.origin}: {result.stage}: {result.reason}")
    return result
