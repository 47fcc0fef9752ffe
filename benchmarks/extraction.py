"""How well and how fast HTML articles are extracted: ``barometer.extract_article`` against trafilatura,
readability-lxml, resiliparse and htmldate, on the same labelled pages in the same process.

    .venv/bin/python benchmarks/extraction.py                       # 711 pages, a few minutes on 2 cores
    .venv/bin/python benchmarks/extraction.py --limit 100           # smoke run
    .venv/bin/python benchmarks/extraction.py --workers 2 --worst 10 --json /tmp/extraction.json

The pages are the WCXB dev articles (``../shared/gold/wcxb_dev_articles``: ``html/ID.html.gz`` and
``ground-truth/ID.json``); without them the script says so and exits 0. Every page is decompressed and decoded
before any timing. Each extractor runs over all pages ``--repeat`` times and the best wall time counts; its
output is scored against the labels:

- main text: word precision, recall and F1 (lower-cased ``\\w+`` words, multiset overlap), the mean of
  per-page F1 (empty output scores 0; pages without a labelled text are left out) and the micro F1 over all
  words;
- title: exact after normalising case, whitespace and punctuation, and lenient (either contains the other);
- author (labelled pages only): the normalised label equals, or is contained in, the extracted authors joined;
- date (labelled pages only): the first ten characters, ``YYYY-MM-DD``, are equal.

Baselines, and the call each row times:

- ``trafilatura``: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)`` with its defaults, which
  gives text and metadata in one pass. Its ``.text`` is the body only: comments, which ``trafilatura.extract``
  would append by default, are kept apart by ``bare_extraction`` and not scored.
- ``trafilatura, recall mode``: the same call in the mode ``extract_article`` runs first (``favor_recall``, no
  comments), so that the rows apart tell what recall mode alone gives from what barometer adds (the second mode
  on pages read short, its own metadata, the teaser rules).
- ``readability-lxml``: ``Document(html).summary()`` turned into text with lxml (a break after each block),
  title from ``.short_title()``; it finds no author or date.
- ``resiliparse``: ``HTMLTree.parse(html)``, its ``.title``, then ``extract_plain_text(tree, main_content=True)``.
- ``htmldate``: ``find_date(html, url=url, original_date=True)``, the date alone.

``--workers N`` adds ``barometer xN``: ``extract_article`` in a fork pool (chunked ``imap``), timed from pool
start to the last result; its per-page F1 must equal the single-process row's. Ratios of pages/s are to
plain trafilatura in the same run. On a shared machine compare ratios, not absolute rates across runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "wcxb_dev_articles"
_WORDS = re.compile(r"\w+")
_BLOCKS = ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
           "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt")


@dataclass(frozen=True)
class Page:
    """One labelled page: decoded HTML and its ground truth."""

    id: str
    url: str | None
    html: str
    text: str
    title: str | None
    author: str | None
    date: str | None


@dataclass(frozen=True)
class Output:
    """What an extractor found on one page; None where it does not look."""

    text: str | None = None
    title: str | None = None
    authors: str | None = None
    date: str | None = None


@dataclass
class Row:
    """One extractor's figures over the run."""

    name: str
    call: str
    seconds: float
    errors: int
    figures: dict[str, float | int | None] = field(default_factory=dict)
    page_ids: list[str] = field(default_factory=list)     # pages with a labelled text, in order
    page_f1: list[float] = field(default_factory=list)
    page_words: list[int] = field(default_factory=list)


def load_pages(gold: Path, limit: int | None) -> list[Page]:
    """Labelled pages in id order, decompressed and decoded."""
    pages = []
    for truth_path in sorted((gold / "ground-truth").glob("*.json")):
        html_path = gold / "html" / f"{truth_path.stem}.html.gz"
        if not html_path.is_file():
            continue
        record = json.loads(truth_path.read_text(encoding="utf-8"))
        truth = record.get("ground_truth") or {}
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        pages.append(Page(id=truth_path.stem, url=record.get("url"), html=html, text=truth.get("main_content") or "",
                          title=truth.get("title"), author=truth.get("author"), date=truth.get("publish_date")))
        if limit and len(pages) >= limit:
            break
    return pages


# --- extractors: each takes a page and returns what it found ------------------------------------------------

def _barometer(page: Page) -> Output:
    from barometer import extract_article

    article = extract_article(page.html, url=page.url)
    return Output(text=article.text, title=article.title, authors="; ".join(article.authors), date=article.date)


def _trafilatura(page: Page, **options: bool) -> Output:
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True, **options)
    if doc is None:
        return Output(text="")
    return Output(text=doc.text or "", title=doc.title, authors=doc.author, date=doc.date)


def _trafilatura_recall(page: Page) -> Output:
    return _trafilatura(page, favor_recall=True, include_comments=False)


def _html_to_text(fragment: str) -> str:
    """Text of an HTML fragment with a paragraph break after every block, so words across blocks stay apart."""
    if not fragment.strip():
        return ""
    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)


def _readability(page: Page) -> Output:
    from readability import Document

    doc = Document(page.html)
    return Output(text=_html_to_text(doc.summary()), title=doc.short_title())


def _resiliparse(page: Page) -> Output:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(page.html)
    title = tree.title
    return Output(text=extract_plain_text(tree, main_content=True), title=title)


def _htmldate(page: Page) -> Output:
    from htmldate import find_date

    return Output(date=find_date(page.html, url=page.url, original_date=True))


EXTRACTORS: list[tuple[str, str, Callable[[Page], Output]]] = [
    ("barometer", "barometer.extract_article(html, url=url)", _barometer),
    ("trafilatura", "trafilatura.bare_extraction(html, url=url, with_metadata=True)", _trafilatura),
    ("trafilatura, recall mode", "bare_extraction(..., with_metadata=True, favor_recall=True, include_comments=False)",
     _trafilatura_recall),
    ("readability-lxml", "Document(html).summary() -> lxml text; .short_title()", _readability),
    ("resiliparse", "HTMLTree.parse(html).title; extract_plain_text(tree, main_content=True)", _resiliparse),
    ("htmldate", "htmldate.find_date(html, url=url, original_date=True)", _htmldate),
]


def _guarded(extract: Callable[[Page], Output], page: Page) -> tuple[Output, bool]:
    """The extractor's output, or an empty one and True when it raised: a failure scores as no output."""
    try:
        return extract(page), False
    except Exception:   # any library failure on a page is a miss, not a stop
        return Output(text=""), True


def time_extractor(extract: Callable[[Page], Output], pages: Sequence[Page],
                   repeat: int) -> tuple[float, list[Output], int]:
    """Best wall time over ``repeat`` runs of the extractor on all pages, with the last run's outputs."""
    _guarded(extract, pages[0])   # imports and lazy tables load outside the timing
    best, outputs, errors = float("inf"), [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        results = [_guarded(extract, page) for page in pages]
        best = min(best, time.perf_counter() - start)
        outputs, errors = [out for out, _ in results], sum(failed for _, failed in results)
    return best, outputs, errors


# --- the pool row: pages reach the workers by fork, indices by imap ---------------------------------------

_POOL_PAGES: Sequence[Page] = ()


def _barometer_at(index: int) -> tuple[Output, bool]:
    return _guarded(_barometer, _POOL_PAGES[index])


def time_pool(pages: Sequence[Page], workers: int, repeat: int) -> tuple[float, list[Output], int]:
    """Best wall time of ``extract_article`` over all pages in a fork pool, pool start-up included."""
    global _POOL_PAGES
    _POOL_PAGES = pages
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(pages) // (workers * 8))
    best, outputs, errors = float("inf"), [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        with context.Pool(workers) as pool:
            results = list(pool.imap(_barometer_at, range(len(pages)), chunksize=chunk))
        best = min(best, time.perf_counter() - start)
        outputs, errors = [out for out, _ in results], sum(failed for _, failed in results)
    return best, outputs, errors


# --- scoring ------------------------------------------------------------------------------------------

def _words(text: str | None) -> Counter[str]:
    return Counter(_WORDS.findall((text or "").lower()))


def _normal(text: str | None) -> str:
    """Case, whitespace and punctuation folded away: the words, one space apart."""
    return " ".join(_WORDS.findall((text or "").casefold()))


def _contains(outer: str, inner: str) -> bool:
    return bool(outer and inner) and f" {inner} " in f" {outer} "


def score(pages: Sequence[Page], gold_words: Sequence[Counter[str]], outputs: Sequence[Output], row: Row) -> None:
    """Fill ``row`` with text, title, author and date figures for outputs that include each field."""
    figures = row.figures
    if outputs[0].text is not None:
        precisions, recalls = [], []
        overlap_all = out_all = gold_all = empty = 0
        for page, gold, out in zip(pages, gold_words, outputs):
            found = _words(out.text)
            empty += not found
            if not gold:
                continue
            overlap, size, gold_size = sum((gold & found).values()), sum(found.values()), sum(gold.values())
            precision, recall = (overlap / size if size else 0.0), overlap / gold_size
            precisions.append(precision)
            recalls.append(recall)
            row.page_f1.append(2 * precision * recall / (precision + recall) if overlap else 0.0)
            row.page_ids.append(page.id)
            row.page_words.append(size)
            overlap_all, out_all, gold_all = overlap_all + overlap, out_all + size, gold_all + gold_size
        micro_p, micro_r = overlap_all / max(out_all, 1), overlap_all / max(gold_all, 1)
        figures.update(
            f1=_mean(row.page_f1), precision=_mean(precisions), recall=_mean(recalls),
            micro_f1=2 * micro_p * micro_r / (micro_p + micro_r) if overlap_all else 0.0, empty=empty)
    if any(out.title is not None for out in outputs):
        pairs = [(_normal(page.title), _normal(out.title)) for page, out in zip(pages, outputs) if page.title]
        figures["title"] = _mean([gold == found for gold, found in pairs])
        figures["title_lenient"] = _mean([bool(gold) and (gold == found or _contains(found, gold)
                                                          or _contains(gold, found)) for gold, found in pairs])
    if any(out.authors is not None for out in outputs):
        pairs = [(_normal(page.author), _normal(out.authors)) for page, out in zip(pages, outputs) if page.author]
        figures["author"] = _mean([gold == found or _contains(found, gold) for gold, found in pairs])
    if any(out.date is not None for out in outputs):
        hits = [(out.date or "")[:10] == page.date[:10] for page, out in zip(pages, outputs) if page.date]
        figures["date"] = _mean(hits)


def _mean(values: Sequence[float | bool]) -> float:
    return sum(values) / len(values) if values else 0.0


# --- report -------------------------------------------------------------------------------------------

def print_table(rows: Sequence[Row], pages: int) -> None:
    """One line per extractor; a dash where the extractor does not look for the field."""
    columns = [("F1", "f1"), ("P", "precision"), ("R", "recall"), ("microF1", "micro_f1"), ("title", "title"),
               ("title~", "title_lenient"), ("author", "author"), ("date", "date")]
    reference = next(r for r in rows if r.name == "trafilatura")
    print(f"{'extractor':34}" + "".join(f"{head:>8}" for head, _ in columns)
          + f"{'empty':>7}{'errors':>7}{'pages/s':>9}{'x traf':>8}")
    for row in rows:
        cells = "".join(f"{row.figures[key]:8.3f}" if row.figures.get(key) is not None else f"{'-':>8}"
                        for _, key in columns)
        empty = row.figures.get("empty")
        rate = pages / row.seconds
        print(f"{row.name:34}{cells}{'-' if empty is None else empty:>7}{row.errors:>7}{rate:9.1f}"
              f"{rate * reference.seconds / pages:8.2f}")


def print_worst(pages: Sequence[Page], barometer: Row, trafilatura: Row, count: int) -> None:
    """The pages where barometer's F1 falls furthest below trafilatura's."""
    by_id = {page.id: page for page in pages}
    scored = [by_id[page_id] for page_id in barometer.page_ids]
    order = sorted(range(len(scored)), key=lambda i: barometer.page_f1[i] - trafilatura.page_f1[i])[:count]
    print(f"\nworst {count} pages for barometer against trafilatura (words: gold / barometer / trafilatura)")
    print(f"{'id':>6} {'F1 baro':>8} {'F1 traf':>8} {'gold':>7} {'baro':>7} {'traf':>7}  url")
    for i in order:
        print(f"{scored[i].id:>6} {barometer.page_f1[i]:8.3f} {trafilatura.page_f1[i]:8.3f} "
              f"{sum(_words(scored[i].text).values()):7d} {barometer.page_words[i]:7d} "
              f"{trafilatura.page_words[i]:7d}  {scored[i].url}")


def _versions() -> dict[str, str]:
    found = {}
    for name in ("barometer", "trafilatura", "readability-lxml", "resiliparse", "htmldate", "lxml"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help=f"labelled pages (default {DEFAULT_GOLD})")
    parser.add_argument("--limit", type=int, help="only the first N pages in id order")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per extractor, best counts (default 3)")
    parser.add_argument("--workers", type=int, default=1, help="also run barometer in a pool of N processes")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages where barometer trails trafilatura most")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()

    if not (args.gold / "ground-truth").is_dir() or not (args.gold / "html").is_dir():
        print(f"skipped: no labelled pages at {args.gold} (expected html/ and ground-truth/)")
        return
    pages = load_pages(args.gold, args.limit)
    if not pages:
        print(f"skipped: no labelled pages at {args.gold}")
        return
    logging.disable(logging.CRITICAL)   # the libraries log every discarded page; the table counts them
    gold_words = [_words(page.text) for page in pages]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"pages {len(pages)} ({sum(map(bool, gold_words))} with a labelled text, "
          f"{sum(bool(p.author) for p in pages)} author, {sum(bool(p.date) for p in pages)} date), "
          f"{sum(len(p.html) for p in pages) / 1e6:.0f} M characters of HTML, repeat {args.repeat}, "
          f"cpus {os.cpu_count()}, load before timing {load:.2f}")
    print("versions: " + ", ".join(f"{name} {version}" for name, version in _versions().items()))

    rows: list[Row] = []
    for name, call, extract in EXTRACTORS:
        seconds, outputs, errors = time_extractor(extract, pages, args.repeat)
        rows.append(Row(name=name, call=call, seconds=seconds, errors=errors))
        score(pages, gold_words, outputs, rows[-1])
        if name == "barometer" and args.workers > 1:
            seconds, outputs, errors = time_pool(pages, args.workers, args.repeat)
            rows.append(Row(name=f"barometer x{args.workers}", call=f"fork Pool({args.workers}).imap of {call}",
                            seconds=seconds, errors=errors))
            score(pages, gold_words, outputs, rows[-1])

    print()
    print_table(rows, len(pages))
    by_name = {row.name: row for row in rows}
    same = True
    if args.workers > 1:
        single, pooled = by_name["barometer"], by_name[f"barometer x{args.workers}"]
        differ = [page_id for page_id, a, b in zip(single.page_ids, single.page_f1, pooled.page_f1) if a != b]
        same = not differ
        print(f"\nbarometer x{args.workers}: per-page F1 "
              + ("identical to the single-process row" if same else f"DIFFERS on {len(differ)} pages: {differ[:10]}"))
    if args.worst:
        print_worst(pages, by_name["barometer"], by_name["trafilatura"], args.worst)

    if args.json:
        report = {"pages": len(pages), "gold": str(args.gold), "repeat": args.repeat, "cpus": os.cpu_count(),
                  "versions": _versions(), "pool_f1_identical": same if args.workers > 1 else None,
                  "extractors": {row.name: {"call": row.call, "seconds": row.seconds, "errors": row.errors,
                                            "pages_per_second": len(pages) / row.seconds,
                                            "ratio_to_trafilatura": by_name["trafilatura"].seconds / row.seconds,
                                            **row.figures} for row in rows}}
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
