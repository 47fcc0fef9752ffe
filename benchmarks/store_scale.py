"""Store scale: time the dyad series, the event query and the digest on a store of millions of synthetic events.

What it measures. A DuckDB store made by ``barometer.store.Store`` (so the real migrations and indexes) is
filled inside DuckDB with synthetic events (default 10 million, 2021–2025), one document per five events and
some quotes and forecasts. Countries follow a Zipf-like law over the 223 countries of ``countries.tsv``, so
USA, RUS and CHN are frequent and USA–RUS is about 0.8 % of events; CAMEO code, root, name, QuadClass and
Goldstein come together from ``cameo.tsv``; about 5 % of events are negated. Rows are stored in ingest order,
not sorted by date. Then it times, each on a freshly opened store (first run, DuckDB's buffers empty but the
file in the OS cache) and warm (median and max of ``--repeat`` runs):

- ``dyad_series(USA, RUS, by=week)`` over 2024 (the headline; target under 1 s), by month over all
  years, and directed USA→RUS (the series joins ``documents`` for tone and scans the period's volume);
- ``Store.events`` for USA–RUS in 2024 with ``limit=100``;
- ``barometer.digest.build_digest`` for USA–RUS in 2024 if that module exists (a failure is reported, not
  raised; numpy and ruptures are imported before its first run, so that run times the store, not imports).

Baselines, named in the output, run in the same process on the same data:

- ``baseline: python-loop``: what a user would write without the store's SQL aggregation, i.e. all USA–RUS
  events of 2024 through ``Store.events`` and a weekly aggregation in pure Python (events, net cooperation,
  Goldstein sum only, no share or tone, so it does less than the series; its figures are checked against
  ``dyad_series``);
- ``baseline: parquet-scan``: the very SQL of ``dyad_series``, run over Parquet exports of the events and
  documents tables (no DuckDB storage, no index).

Run (the fill takes a couple of minutes at 10 million; ``--events 200000`` is a quick smoke run)::

    .venv/bin/python benchmarks/store_scale.py [--events 10000000] [--db PATH] [--keep]

``--db PATH`` writes the store there (an existing store with events is reused, not refilled); without it a
temporary directory is used and deleted at the end unless ``--keep``. The fill runs in a child process so the
peak memory of the queries (this process) and of the fill are reported apart.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, closing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb

from barometer.ontology import event_type
from barometer.series import dyad_series
from barometer.store import Filters, Store
from barometer.tables import data_table

START, DAYS = "2021-01-01", 1826               # five years of story dates
EVENTS_PER_DOC = 5
ZIPF = 0.75                                    # Zipf exponent: USA–RUS comes out at ~0.8 % of events
SLOTS = 65536                                  # a country is drawn by hashing into this many weighted slots
FREQUENT = ("USA", "RUS", "CHN", "UKR", "GBR", "ISR", "IRN", "FRA", "DEU", "IND", "JPN", "TUR", "PRK", "KOR",
            "SYR", "PAK", "SAU", "AFG", "IRQ", "EGY")  # the head of the distribution, in this order
SECTORS = ("", "", "GOV", "GOV", "MIL", "BUS", "MED", "OPP")
EVENT_KINDS = (  # CAMEO code, weight in a hundred events, trigger as written
    ("010", 30, "made a statement on"), ("036", 10, "offered talks with"), ("042", 12, "visited"),
    ("051", 8, "praised"), ("057", 3, "signed an agreement with"), ("061", 6, "cooperated with"),
    ("070", 4, "sent aid to"), ("112", 12, "accused"), ("130", 5, "threatened"),
    ("163", 4, "imposed sanctions on"), ("173", 4, "arrested citizens of"), ("190", 2, "attacked"))
DYAD, YEAR = ("USA", "RUS"), ("2024-01-01", "2024-12-31")
PARQUET_TABLES = ("events", "documents")       # what dyad_series reads
TARGET_SECONDS = 1.0
PYTHON_LOOP, PARQUET_SCAN = "baseline: python-loop (Store.events + Python)", "baseline: parquet-scan (same SQL)"


# --- fill ---------------------------------------------------------------------------------------------------

def _lookup_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary tables the fill joins on: weighted country slots and weighted CAMEO event kinds."""
    rows = data_table("countries.tsv", ("code", "name"))
    names = {row["code"]: row["name"] for row in rows}
    order = [c for c in FREQUENT if c in names] + [row["code"] for row in rows if row["code"] not in FREQUENT]
    weights = [1 / rank ** ZIPF for rank in range(1, len(order) + 1)]
    bounds, total, upto = [], sum(weights), 0.0
    for code, weight in zip(order, weights):
        low, upto = round(upto * SLOTS), upto + weight / total
        bounds.append((code, names[code], low, max(round(upto * SLOTS), low + 1)))
    con.execute("CREATE TEMP TABLE country_bounds (code VARCHAR, name VARCHAR, lo INTEGER, hi INTEGER)")
    con.executemany("INSERT INTO country_bounds VALUES (?, ?, ?, ?)", bounds)
    con.execute("CREATE TEMP TABLE country_slots AS SELECT r.range AS slot, b.code, b.name FROM range(?) r "
                "JOIN country_bounds b ON r.range >= b.lo AND r.range < b.hi", [SLOTS])
    kinds, upto = [], 0
    for code, weight, verb in EVENT_KINDS:
        kind = event_type(code)
        kinds.append((upto, upto + weight, code, kind.root, kind.name, kind.quad_class, kind.goldstein,
                      kind.plover, verb))
        upto += weight
    con.execute("CREATE TEMP TABLE kind_bounds (lo INTEGER, hi INTEGER, code VARCHAR, root VARCHAR, name VARCHAR, "
                "quad_class INTEGER, goldstein DOUBLE, plover VARCHAR, verb VARCHAR)")
    con.executemany("INSERT INTO kind_bounds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", kinds)
    con.execute("CREATE TEMP TABLE kind_slots AS SELECT r.range AS slot, k.* EXCLUDE (lo, hi) FROM range(?) r "
                "JOIN kind_bounds k ON r.range >= k.lo AND r.range < k.hi", [upto])
    # draw(i, stream, n): a pseudo-random 0..n-1 for row i; streams hash distinct integers, so draws of one row
    # are independent (hash(i, 'a') and hash(i, 'b') are not: their low bits differ by a constant).
    con.execute("CREATE TEMP MACRO draw(i, stream, n) AS (hash(i * 8 + stream) % n)::INTEGER")
    con.execute(f"CREATE TEMP MACRO doc_date(d) AS DATE '{START}' + draw(d, 0, {DAYS})")
    con.execute(f"CREATE TEMP MACRO sector(i, stream) AS {list(SECTORS)}[draw(i, stream, {len(SECTORS)}) + 1]")


# Every draw is a hash of the row number, so the same --events always gives the same store.
_EVENTS_SQL = f"""
INSERT INTO events BY NAME
WITH draw AS (
    SELECT i, i // {EVENTS_PER_DOC} AS doc, i % {EVENTS_PER_DOC} AS seq, draw(i, 1, {SLOTS}) AS s_slot,
           draw(i, 2, {SLOTS}) AS t_slot, draw(i, 3, (SELECT count(*) FROM kind_slots)) AS k_slot,
           draw(i, 4, 100) AS flag
    FROM range(?) r(i))
SELECT 'doc-' || doc AS doc_id, seq, doc_date(doc) AS date,
       s.code || sector(i, 5) AS source_code, s.code AS source_country, s.name AS source_name,
       t.code || sector(i, 6) AS target_code, t.code AS target_country, t.name AS target_name,
       k.code, k.root, k.name, k.quad_class, k.goldstein, k.plover, k.verb,
       flag < 5 AS negated, flag >= 85 AS reported,
       s.name || ' ' || k.verb || ' ' || t.name || '.' AS sentence, seq * 120 AS start_char,
       seq * 120 + 20 + length(s.name) + length(k.verb) + length(t.name) AS end_char,
       json_object('code', k.code, 'quad_class', k.quad_class, 'goldstein', k.goldstein,
                   'source', s.code, 'target', t.code, 'negated', flag < 5) AS record
FROM draw JOIN country_slots s ON s.slot = s_slot JOIN country_slots t ON t.slot = t_slot
     JOIN kind_slots k ON k.slot = k_slot
"""

_DOCUMENTS_SQL = """
INSERT INTO documents BY NAME
SELECT 'doc-' || d AS id, md5('doc-' || d) AS content_hash, 'synthetic/doc-' || d || '.html' AS origin,
       'Synthetic story ' || d AS title, 'https://news.example/' || d AS url, doc_date(d) AS date,
       ['Wire', 'Daily', 'Herald', 'Times'][draw(d, 1, 4) + 1] AS source, ['Staff'] AS authors,
       'Synthetic story ' || d || ': five events, each one sentence of about a hundred characters.' AS text,
       [] AS removed, false AS truncated, 'en' AS language, draw(d, 2, 200) / 10 - 10 AS tone_score
FROM range(?) r(d)
"""

_QUOTES_SQL = """
INSERT INTO quotes BY NAME
SELECT e.doc_id, 0 AS seq, 'direct' AS kind, 'We will respond.' AS text, 0 AS start_char, 16 AS end_char,
       'said' AS cue, e.source_name AS speaker_name, e.source_code AS speaker_code,
       e.source_country AS speaker_country
FROM events e WHERE e.seq = 0 AND hash(e.doc_id || '/quote') % 4 = 0
"""

_FORECASTS_SQL = """
INSERT INTO forecasts BY NAME
SELECT e.doc_id, 0 AS seq, 'Talks are likely to resume.' AS text, 0 AS start_char, 27 AS end_char,
       'likely' AS cue, 0.7 AS probability, 'positive' AS polarity, e.date + 90 AS horizon, 'forecast' AS status,
       e.source_name AS forecaster_name, e.source_country AS forecaster_country, e.code AS event_code,
       e.source_country AS event_source_country, e.target_country AS event_target_country
FROM events e WHERE e.seq = 0 AND hash(e.doc_id || '/forecast') % 20 = 0
"""

_RESOLUTIONS_SQL = """
INSERT INTO resolutions BY NAME
SELECT doc_id, seq, CASE WHEN hash(doc_id || '/outcome') % 3 = 0 THEN 'no' ELSE 'yes' END AS outcome,
       'events' AS method, 'Talks resumed.' AS evidence
FROM forecasts WHERE horizon < DATE '2025-06-01' AND hash(doc_id || '/resolved') % 2 = 0
"""


def fill(path: str, events: int) -> dict[str, float]:
    """Fill a new store with synthetic records and export the baseline's Parquet files; seconds per step."""
    seconds: dict[str, float] = {}
    with Store(path) as store:
        store.con.execute("SET enable_progress_bar = false")
        _lookup_tables(store.con)
        steps = [("events", _EVENTS_SQL, [events]), ("documents", _DOCUMENTS_SQL, [-(-events // EVENTS_PER_DOC)]),
                 ("quotes", _QUOTES_SQL, []), ("forecasts", _FORECASTS_SQL, []),
                 ("resolutions", _RESOLUTIONS_SQL, []), ("checkpoint", "CHECKPOINT", [])]
        tables = {row[0] for row in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for name, sql, params in steps:
            if name not in tables and name != "checkpoint":   # a table of a later migration than this script knows
                continue
            started = time.perf_counter()
            store.con.execute(sql, params)
            seconds[name] = time.perf_counter() - started
    seconds |= export_parquet(path)
    seconds["peak_rss_mib"] = _peak_rss(resource.RUSAGE_SELF)
    return seconds


def export_parquet(path: str) -> dict[str, float]:
    """Write the tables the series reads to the Parquet files of the parquet-scan baseline."""
    started = time.perf_counter()
    with Store(path, read_only=True) as store:
        store.con.execute("SET enable_progress_bar = false")
        for table in PARQUET_TABLES:
            store.con.execute(f"COPY {table} TO '{_parquet_path(path, table)}' (FORMAT parquet)")
    return {"parquet export": time.perf_counter() - started}


def _parquet_path(path: str, table: str = "events") -> Path:
    return Path(path).with_suffix(f".{table}.parquet")


# --- timing -------------------------------------------------------------------------------------------------

@dataclass
class Timing:
    """One timed case: its first run on a freshly opened store, then warm runs."""

    name: str
    rows: int
    first: float
    warm: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.warm)


def time_case(name: str, opener: Callable[[], AbstractContextManager[Any]], run: Callable[[Any], Any],
              repeat: int) -> Timing:
    """Open the store afresh, time a first run, then ``repeat`` warm runs of the same call."""
    with opener() as store:
        started = time.perf_counter()
        result = run(store)
        first = time.perf_counter() - started
        warm = []
        for _ in range(repeat):
            started = time.perf_counter()
            run(store)
            warm.append(time.perf_counter() - started)
    return Timing(name, len(result) if hasattr(result, "__len__") else 1, first, warm)


class ParquetStore:
    """Just enough of a Store for dyad_series: its tables are views over Parquet files, with no index."""

    query = Store.query

    def __init__(self, path: str):
        self.path = str(_parquet_path(path))
        self.con = duckdb.connect()
        for table in PARQUET_TABLES:
            self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_parquet_path(path, table)}')")

    def close(self) -> None:
        self.con.close()


def python_weekly(store: Store, a: str, b: str, since: str, until: str) -> list[dict[str, Any]]:
    """The python-loop baseline: the dyad's rows through Store.events, aggregated per ISO week in Python."""
    weeks: dict[Any, list[float]] = defaultdict(lambda: [0, 0, 0.0])   # events, coop − conflict, Goldstein sum
    for event in store.events(Filters(dyad=(a, b), since=since, until=until)):
        if event["negated"] or event["date"] is None:
            continue
        week = weeks[event["date"] - timedelta(days=event["date"].weekday())]
        week[0] += 1
        week[1] += 1 if event["quad_class"] in (1, 2) else -1
        week[2] += event["goldstein"]
    return [{"period": period, "events": n, "net_cooperation": round(net / n, 3), "goldstein_sum": round(total, 2)}
            for period, (n, net, total) in sorted(weeks.items())]


def digest_case(opener: Callable[[], Store], repeat: int) -> Timing | str:
    """Time barometer.digest.build_digest when it exists; otherwise say why not."""
    try:
        from barometer.digest import build_digest  # added by another change; optional here
    except ImportError as exc:
        return f"digest: not available ({exc})"
    for module in ("numpy", "ruptures"):   # imported lazily by the turning points; not what is measured here
        importlib.import_module(module)
    try:
        return time_case("digest USA–RUS 2024", opener,
                         lambda s: build_digest(s, dyad=DYAD, since=YEAR[0], until=YEAR[1]), repeat)
    except Exception as exc:  # a different signature or a bug in the digest is a finding, not a crash
        return f"digest: failed ({exc.__class__.__name__}: {exc})"


def index_use(path: str) -> str:
    """Which scan DuckDB's plan uses for the headline query (does it touch the events_dyad index?)."""
    captured: list[tuple[str, list[Any]]] = []

    class Recorder:
        def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
            captured.append((sql, params or []))
            return []

    dyad_series(Recorder(), *DYAD, by="week", since=YEAR[0], until=YEAR[1])  # type: ignore[arg-type]
    with Store(path, read_only=True) as store:
        plan = "\n".join(row[1] for row in store.con.execute("EXPLAIN " + captured[0][0], captured[0][1]).fetchall())
    return "index scan" if re.search(r"index[ _]scan", plan, re.I) else "sequential scan (events_dyad index not used)"


# --- report -------------------------------------------------------------------------------------------------

def _peak_rss(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024     # kilobytes on Linux


def _busy_cpus(seconds: float = 1.0) -> float:
    """How many CPUs other processes keep busy, from /proc/stat over ``seconds`` (this one sleeps meanwhile)."""
    def sample() -> tuple[int, int]:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]          # all, idle + iowait
    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except OSError:                                     # not Linux: no figure
        return 0.0
    return (1 - (idle1 - idle0) / max(total1 - total0, 1)) * (os.cpu_count() or 1)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000, help="synthetic events to store (default 10M)")
    parser.add_argument("--db", type=Path, help="store path (default: a temporary file); reused if it holds events")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store and its Parquet export")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per case (default 5)")
    args = parser.parse_args(argv)

    workdir = None if args.db else Path(tempfile.mkdtemp(prefix="barometer-bench-"))
    path = str(args.db or workdir / "bench.duckdb")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        reuse = _has_events(path)
        print(f"store: {path}" + (" (reused, not refilled)" if reuse else f"; filling with {args.events:,} events"),
              file=sys.stderr)
        fill_seconds: dict[str, float] = {}
        if not reuse:
            fill_seconds = _in_child(fill, path, args.events)
        elif not all(_parquet_path(path, table).exists() for table in PARQUET_TABLES):
            fill_seconds = _in_child(export_parquet, path)
        report(path, fill_seconds, args.repeat)
    finally:
        if workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif workdir:
            print(f"kept: {workdir}", file=sys.stderr)
    return 0


def _has_events(path: str) -> bool:
    if not Path(path).exists():
        return False
    with Store(path, read_only=True) as store:
        return store.query("SELECT count(*) AS n FROM events")[0]["n"] > 0


def _in_child(step: Callable[..., dict[str, float]], *args: Any) -> dict[str, float]:
    """Run a fill step in a child process, so this process's peak RSS is the memory the queries need."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(step, *args).result()


def report(path: str, fill_seconds: dict[str, float], repeat: int) -> None:
    """Time every case and print the figures."""
    with Store(path, read_only=True) as store:
        counts = store.counts()
        dyad_share = store.query("SELECT avg((source_country = ? AND target_country = ? OR source_country = ? AND "
                                 "target_country = ?)::INTEGER) AS share FROM events", [*DYAD, *DYAD[::-1]])[0]["share"]
    size = Path(path).stat().st_size
    parquet = sum(_parquet_path(path, table).stat().st_size for table in PARQUET_TABLES)

    print(f"\nstore: {counts['events']:,} events, {counts['documents']:,} documents, {counts['quotes']:,} quotes, "
          f"{counts['forecasts']:,} forecasts; USA–RUS = {dyad_share:.2%} of events")
    print(f"file: {size / 2**20:,.0f} MiB DuckDB, {parquet / 2**20:,.0f} MiB Parquet; "
          f"duckdb {duckdb.__version__}, {os.cpu_count()} cores")
    if "events" in fill_seconds:
        fill_total = sum(v for k, v in fill_seconds.items() if k not in ("parquet export", "peak_rss_mib"))
        print(f"fill: {fill_total:.1f} s ({counts['events'] / fill_seconds['events']:,.0f} events/s into events); "
              + ", ".join(f"{k} {v:.1f} s" for k, v in fill_seconds.items() if k != "peak_rss_mib")
              + f"; fill peak RSS {fill_seconds['peak_rss_mib']:,.0f} MiB")

    busy = _busy_cpus()
    print(f"CPUs busy with other work before timing: {busy:.1f} of {os.cpu_count()}"
          + (" (expect slower, noisier figures)" if busy > 0.3 else ""))

    def store() -> Store:
        return Store(path, read_only=True)

    week = {"by": "week", "since": YEAR[0], "until": YEAR[1]}
    cases = [
        ("series USA–RUS weekly 2024 (headline)", lambda s: dyad_series(s, *DYAD, **week)),
        ("series USA–RUS monthly, all years", lambda s: dyad_series(s, *DYAD, by="month")),
        ("series USA→RUS weekly 2024, directed", lambda s: dyad_series(s, *DYAD, directed=True, **week)),
        ("events USA–RUS 2024, limit 100", lambda s: s.events(Filters(dyad=DYAD, since=YEAR[0], until=YEAR[1],
                                                                       limit=100))),
        (PYTHON_LOOP, lambda s: python_weekly(s, *DYAD, *YEAR)),
    ]
    timings = [time_case(name, store, run, repeat) for name, run in cases]
    timings.append(time_case(PARQUET_SCAN, lambda: closing(ParquetStore(path)),
                             lambda s: dyad_series(s, *DYAD, **week), repeat))
    digest = digest_case(store, repeat)
    if isinstance(digest, Timing):
        timings.append(digest)

    with store() as opened:
        series = dyad_series(opened, *DYAD, **week)
        python = python_weekly(opened, *DYAD, *YEAR)
    agree = [(r["period"], r["events"], r["net_cooperation"]) for r in series] == \
            [(r["period"], r["events"], r["net_cooperation"]) for r in python]

    width = max(len(t.name) for t in timings)
    print(f"\n{'case':<{width}}  {'rows':>6}  {'first run':>11}  {'warm median':>11}  {'warm max':>11}")
    for t in timings:
        print(f"{t.name:<{width}}  {t.rows:>6,}  {_ms(t.first):>11}  {_ms(t.median):>11}  {_ms(max(t.warm)):>11}")
    if not isinstance(digest, Timing):
        print(digest)

    headline, by_name = timings[0], {t.name: t for t in timings}
    verdict = "meets" if max(headline.first, *headline.warm) < TARGET_SECONDS else "MISSES"
    print(f"\nheadline: weekly USA–RUS series for 2024 in {_ms(headline.median)} warm, "
          f"{_ms(headline.first)} first run — {verdict} the {TARGET_SECONDS:.0f} s target")
    if isinstance(digest, Timing):
        print(f"digest: USA–RUS for 2024 in {_ms(digest.median)} warm, {_ms(digest.first)} first run "
              f"({'under' if max(digest.first, *digest.warm) < TARGET_SECONDS else 'OVER'} {TARGET_SECONDS:.0f} s)")
    for name in (PYTHON_LOOP, PARQUET_SCAN):
        ratio = by_name[name].median / headline.median
        print(f"{name}: {_ms(by_name[name].median)} warm, {ratio:.1f}× the store's series time")
    print(f"python-loop and dyad_series agree week by week: {'yes' if agree else 'NO'}")
    print(f"headline plan: {index_use(path)}")
    print(f"peak RSS of the query process: {_peak_rss(resource.RUSAGE_SELF):,.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
