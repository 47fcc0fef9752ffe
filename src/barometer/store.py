"""The DuckDB store: numbered migrations, idempotent writes of analyses and failures, and queries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from barometer.errors import NotFoundError, QueryError, StoreError
from barometer.models import Actor, Analysis, Duplicate, Failure, to_dict
from barometer.dedup import DuplicateIndex, signature
from barometer.reading import content_hash


@dataclass(frozen=True)
class Filters:
    """The usual filters of a query command."""

    dyad: tuple[str, str] | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None
    offset: int = 0


FORECAST_STATUSES = {
    "all": "true",
    "open": "f.status = 'forecast' AND r.outcome IS NULL",
    "resolved": "r.outcome IS NOT NULL",
    "scheduled": "f.status = 'scheduled'",
}


def parse_country(value: str) -> str:
    """'usa' -> 'USA'; raises QueryError unless it is a three-letter code."""
    if not (value.isalpha() and len(value) == 3):
        raise QueryError(f"country {value!r} must be a three-letter code such as USA or RUS")
    return value.upper()


def parse_day(value: str | None, name: str) -> date | None:
    """'2025-03-01' -> a date (None for nothing); raises QueryError naming ``name`` for anything else, and for
    years outside 1000 … 9998 (the periods and windows past 9999-12-31 cannot be computed)."""
    if value is None or not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(f"{name} {value!r} is not a date like 2025-03-01") from None
    if not 1000 <= day.year <= 9998:
        raise QueryError(f"{name} {value!r} is outside the years 1000 to 9998")
    return day


def parse_dyad(value: str | None) -> tuple[str, str] | None:
    """'USA-RUS' -> ('USA', 'RUS'); raises QueryError naming the bad value."""
    if not value:
        return None
    parts = value.upper().replace("–", "-").split("-")
    if len(parts) != 2 or not all(p.isalpha() and len(p) == 3 for p in parts):
        raise QueryError(f"dyad {value!r} must be two three-letter country codes joined by '-', like USA-RUS")
    return parts[0], parts[1]


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("barometer") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """One DuckDB database file holding documents, records and failures."""

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True):
        self.path = str(path)
        try:
            if (read_only or not create) and not Path(self.path).exists():
                raise StoreError(f"no database at {self.path}; run 'barometer ingest' first")
            self.con = duckdb.connect(self.path, read_only=read_only)
            if read_only and self._pending():   # a database from an older Barometer: upgrade it, then read
                self.con.close()
                self._upgrade()
                self.con = duckdb.connect(self.path, read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        if not read_only:
            self.migrate()

    def _applied(self) -> set[int] | None:
        """Versions of the migrations applied; None when this is not a Barometer database."""
        if not self.con.execute("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_name = 'schema_migrations'").fetchone()[0]:
            return None
        return {row[0] for row in self.con.execute("SELECT version FROM schema_migrations").fetchall()}

    def _pending(self) -> bool:
        applied = self._applied()
        return applied is not None and any(number not in applied for number, _, _ in _migrations())

    def _upgrade(self) -> None:
        try:
            self.con = duckdb.connect(self.path)
        except duckdb.Error as exc:
            raise StoreError(f"database {self.path} was made by an older Barometer and must be upgraded "
                             f"once with write access (e.g. 'barometer ingest' into it): {exc}") from None
        with self.con:
            self.migrate()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[str]:
        """Apply the numbered migrations not applied yet; returns their names."""
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
                         "applied_at TIMESTAMP DEFAULT current_timestamp)")
        done = self._applied() or set()
        applied = []
        for number, name, sql in _migrations():
            if number in done:
                continue
            with self._transaction():
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
            applied.append(name)
        return applied

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def add(self, analysis: Analysis) -> bool:
        """Store a document and its records in one transaction; False if it was already stored.

        Raises StoreError when the id is already taken by a different text (an id reused by the source).
        """
        article = analysis.article
        digest = content_hash(article.text)
        exists = self.con.execute("SELECT id, content_hash FROM documents WHERE id = ? OR content_hash = ?",
                                  [article.id, digest]).fetchall()
        if any(row[1] == digest for row in exists):
            self.con.execute("DELETE FROM failures WHERE origin = ?", [article.origin])
            return False
        if exists:
            raise StoreError(f"document id {article.id!r} is already stored for a different text; "
                             "give this record its own id")
        with self._transaction():
            self.con.execute(
                "INSERT INTO documents (id, content_hash, origin, title, url, date, source, authors, text, removed, "
                "truncated, language, tone_score, tone_positive, tone_negative) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article.id, digest, article.origin, article.title, article.url, article.date, article.source,
                 list(article.authors), article.text, list(article.removed), article.truncated, article.language,
                 analysis.tone.score, analysis.tone.positive, analysis.tone.negative])
            self._insert("actors", [
                [article.id, i, a.text, a.start, a.end, a.name, a.country, a.role, a.kind, a.code, a.office,
                 a.affiliation] for i, a in enumerate(analysis.actors)])
            self._insert("events", [
                [article.id, i, e.date, *_actor_cols(e.source), *_actor_cols(e.target), e.code, e.root, e.name,
                 e.quad_class, e.goldstein, e.plover, e.verb, e.negated, e.reported, e.sentence, e.start, e.end,
                 json.dumps(to_dict(e))] for i, e in enumerate(analysis.events)])
            self._insert("quotes", [
                [article.id, i, q.kind, q.text, q.start, q.end, q.cue, *_speaker_cols(q.speaker), q.audience,
                 json.dumps(to_dict(q))] for i, q in enumerate(analysis.quotes)])
            self._insert("forecasts", [
                [article.id, i, f.text, f.start, f.end, f.cue, f.probability, f.polarity, f.horizon, f.status,
                 f.forecaster.name if f.forecaster else None, f.forecaster.country if f.forecaster else None,
                 f.forecaster.affiliation if f.forecaster else None, f.event.code if f.event else None,
                 f.event.source.country if f.event and f.event.source else None,
                 f.event.target.country if f.event and f.event.target else None, json.dumps(to_dict(f))]
                for i, f in enumerate(analysis.forecasts)])
            self.con.execute("INSERT OR REPLACE INTO signatures (doc_id, minhash) VALUES (?, ?)",
                             [article.id, signature(article.text)])
            self.con.execute("DELETE FROM duplicates WHERE origin = ?", [article.origin])
            self.con.execute("DELETE FROM failures WHERE origin = ?", [article.origin])
        return True

    def add_duplicate(self, duplicate: Duplicate) -> bool:
        """Record a copy of a stored document (linked to it, not analysed); False for the stored document itself
        read again from the same origin, which needs no row."""
        with self._transaction():
            self.con.execute("DELETE FROM failures WHERE origin = ?", [duplicate.origin])
            if duplicate.kind == "same":
                return False
            self.con.execute(
                "INSERT OR REPLACE INTO duplicates (origin, doc_id, original_id, kind, similarity, title, url) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [duplicate.origin, duplicate.document_id, duplicate.original_id, duplicate.kind,
                 duplicate.similarity, duplicate.title, duplicate.url])
        return True

    def duplicate_index(self, threshold: float) -> DuplicateIndex:
        """A DuplicateIndex holding every stored document, to check new ones against; signatures missing from
        documents stored before signatures were kept are computed and stored first."""
        missing = self.con.execute("SELECT d.id, d.text FROM documents d ANTI JOIN signatures s ON s.doc_id = d.id"
                                   ).fetchall()
        if missing:
            with self._transaction():
                self.con.executemany("INSERT INTO signatures (doc_id, minhash) VALUES (?, ?)",
                                     [[doc_id, signature(text)] for doc_id, text in missing])
        index = DuplicateIndex(threshold)
        index.add_all(self.con.execute("SELECT d.id, d.content_hash, s.minhash, d.origin FROM documents d "
                                       "JOIN signatures s ON s.doc_id = d.id ORDER BY d.ingested_at, d.id").fetchall())
        return index

    def _insert(self, table: str, rows: list[list[Any]]) -> None:
        if rows:
            columns = _COLUMNS[table]
            assert len(columns) == len(rows[0]), table
            marks = ", ".join("?" * len(columns))
            self.con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def add_failure(self, failure: Failure) -> None:
        """Record a failure; the same input failing again at the same stage replaces its row."""
        self.con.execute(
            "INSERT OR REPLACE INTO failures (origin, stage, reason, document_id, failed_at) "
            "VALUES (?, ?, ?, ?, current_timestamp)",
            [failure.origin, failure.stage, failure.reason, failure.document_id])

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read query as dictionaries; a database error becomes a StoreError naming the file."""
        try:
            cursor = self.con.execute(sql, params or [])
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: query failed ({exc.__class__.__name__}); is this a Barometer "
                             f"database? Run 'barometer ingest' into it first. {exc}") from None
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def events(self, filters: Filters) -> list[dict[str, Any]]:
        """Events with their evidence, oldest first."""
        where, params = _where(filters, "e.source_country", "e.target_country", "e.date")
        return self.query(
            "SELECT e.date, e.source_code AS source, e.source_name, e.code, e.name AS event, e.target_code AS target, "
            "e.target_name, e.quad_class, e.goldstein, e.plover, e.negated, e.reported, e.verb, e.sentence, "
            f"e.doc_id, e.start_char, e.end_char FROM events e {where} ORDER BY e.date, e.doc_id, e.seq"
            + _limit(filters), params)

    def quotes(self, filters: Filters) -> list[dict[str, Any]]:
        """Quotes with speakers; --dyad keeps quotes whose speaker is of either country."""
        where, params = _where(filters, "q.speaker_country", None, "d.date")
        return self.query(
            "SELECT d.date, q.speaker_name AS speaker, q.speaker_code, q.speaker_affiliation AS affiliation, "
            "q.kind, q.cue, q.text, q.audience, q.doc_id, q.start_char, q.end_char FROM quotes q "
            f"JOIN documents d ON d.id = q.doc_id {where} ORDER BY d.date, q.doc_id, q.seq" + _limit(filters), params)

    def forecasts(self, filters: Filters, status: str = "all", *, newest_first: bool = False) -> list[dict[str, Any]]:
        """Forecasts with id, forecaster, probability, horizon, and any outcome with its evidence; ``status`` one of
        FORECAST_STATUSES."""
        source, params = _forecasts_from(filters, status)
        order = "d.date DESC, f.doc_id DESC, f.seq DESC" if newest_first else "d.date, f.doc_id, f.seq"
        return self.query(
            "SELECT d.date, f.forecaster_name AS forecaster, f.forecaster_affiliation AS affiliation, f.cue, "
            "f.probability, f.polarity, f.horizon, f.status, f.event_code, r.outcome, r.method AS resolved_by, f.text, "
            "f.doc_id || ':' || f.seq AS id, f.doc_id, f.start_char, f.end_char, r.evidence, r.evidence_doc_id, "
            f"r.evidence_seq, r.note {source} ORDER BY {order}" + _limit(filters), params)

    def count_forecasts(self, filters: Filters, status: str = "all") -> int:
        """How many forecasts ``forecasts`` would list without a limit."""
        source, params = _forecasts_from(filters, status)
        return self.query(f"SELECT count(*) AS n {source}", params)[0]["n"]

    def cursor(self) -> "Store":
        """Another handle on the same open database, for another thread (a DuckDB connection is not shared
        between threads); close it when done."""
        other = object.__new__(Store)
        other.path, other.con = self.path, self.con.cursor()
        return other

    def set_resolution(self, doc_id: str, seq: int, outcome: str | None, method: str = "user", *,
                       evidence_doc_id: str | None = None, evidence_seq: int | None = None,
                       evidence: str | None = None, note: str | None = None) -> None:
        """Record whether a forecast's event happened ('yes'/'no'), replacing any earlier outcome; None reopens it."""
        if not self.query("SELECT 1 AS found FROM forecasts WHERE doc_id = ? AND seq = ?", [doc_id, seq]):
            raise NotFoundError(f"no forecast {doc_id}:{seq} in {self.path}; 'barometer forecasts' lists their ids")
        self.set_resolutions([(doc_id, seq, outcome, method, evidence_doc_id, evidence_seq, evidence, note)])

    def set_resolutions(self, rows: list[tuple[Any, ...]]) -> None:
        """Many outcomes in one transaction, each row ``(doc_id, seq, outcome, method, evidence_doc_id,
        evidence_seq, evidence, note)`` of a forecast known to exist; an outcome of None reopens the forecast."""
        if not rows:
            return
        with self._transaction():
            self.con.executemany("DELETE FROM resolutions WHERE doc_id = ? AND seq = ?", [row[:2] for row in rows])
            kept = [list(row) for row in rows if row[2] is not None]
            if kept:
                self.con.executemany(
                    "INSERT INTO resolutions (doc_id, seq, outcome, method, evidence_doc_id, evidence_seq, evidence, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kept)

    def failures(self) -> list[dict[str, Any]]:
        """Inputs that could not be processed, newest first."""
        return self.query(
            "SELECT origin, stage, reason, document_id, failed_at FROM failures UNION ALL "
            "SELECT origin, 'language', 'stored but not analysed: the text is in ' || language || ', not English', id, "
            "ingested_at FROM documents WHERE language <> 'en' ORDER BY failed_at DESC, origin")

    def duplicates(self, filters: Filters = Filters()) -> list[dict[str, Any]]:
        """Copies that were not analysed again, each with the stored document it repeats, newest first."""
        sql = ("SELECT p.origin, p.doc_id, p.kind, p.similarity, p.original_id, d.origin AS original_origin, "
               "coalesce(p.title, d.title) AS title, p.url, p.found_at FROM duplicates p "
               "LEFT JOIN documents d ON d.id = p.original_id ORDER BY p.found_at DESC, p.origin")
        params: list[Any] = []
        if filters.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [filters.limit, filters.offset]
        return self.query(sql, params)

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        return {t: self.query(f"SELECT count(*) AS n FROM {t}")[0]["n"]
                for t in ("documents", "events", "quotes", "forecasts", "failures", "duplicates")}


_COLUMNS = {table: tuple(c.strip() for c in names.split(",")) for table, names in {
    "actors": "doc_id, seq, text, start_char, end_char, name, country, role, kind, code, office, affiliation",
    "events": "doc_id, seq, date, source_code, source_country, source_name, target_code, target_country, target_name, code, root, name, quad_class, goldstein, plover, verb, negated, reported, sentence, start_char, end_char, record",
    "quotes": "doc_id, seq, kind, text, start_char, end_char, cue, speaker_name, speaker_code, speaker_country, speaker_affiliation, audience, record",
    "forecasts": "doc_id, seq, text, start_char, end_char, cue, probability, polarity, horizon, status, forecaster_name, forecaster_country, forecaster_affiliation, event_code, event_source_country, event_target_country, record",
}.items()}


def _actor_cols(actor: Actor | None) -> list[Any]:
    return [actor.code, actor.country, actor.name] if actor else [None, None, None]


def _speaker_cols(actor: Actor | None) -> list[Any]:
    return [actor.name, actor.code, actor.country, actor.affiliation] if actor else [None, None, None, None]


def dyad_where(a: str, b: str, directed: bool = False, since: str | None = None, until: str | None = None,
               src: str = "source_country", tgt: str = "target_country", day: str = "date") -> tuple[str, list[Any]]:
    """SQL and parameters for 'between A and B (A to B only if ``directed``), from ``since`` to ``until``'."""
    pair = f"({src} = ? AND {tgt} = ?)"
    where = pair if directed else f"({pair} OR {pair})"
    dates, dated = dyad_dates(since, until, day)
    return where + dates, ([a, b] if directed else [a, b, b, a]) + dated


def dyad_dates(since: str | None, until: str | None, day: str) -> tuple[str, list[Any]]:
    """' AND day >= ? AND day <= ?' for the bounds given (empty for none), and their parameters."""
    sql, params = "", []
    for bound, op in ((since, ">="), (until, "<=")):
        if bound:
            sql += f" AND {day} {op} CAST(? AS DATE)"
            params.append(bound)
    return sql, params


def forecasts_about(a: str, b: str, directed: bool = False) -> tuple[str, list[Any]]:
    """SQL over ``forecasts f`` for forecasts about the dyad: the predicted event is between the two (A to B only
    when ``directed``), or — when the forecast has no coded dyad ("relations will improve") — its story codes
    an event between them."""
    pair, params = dyad_where(a, b, directed, None, None, "f.event_source_country", "f.event_target_country")
    story, story_params = dyad_where(a, b, directed, None, None)
    return (f"({pair} OR ((f.event_source_country IS NULL OR f.event_target_country IS NULL) "
            f"AND f.doc_id IN (SELECT doc_id FROM events WHERE {story})))", [*params, *story_params])


def _where(filters: Filters, first: str, second: str | None, date_col: str) -> tuple[str, list[Any]]:
    """The WHERE clause of a listing: the dyad (the pair, or with a single column either country in it) and the
    dates."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.dyad:
        a, b = filters.dyad
        if second is None:
            clauses.append(f"{first} IN (?, ?)")
            params += [a, b]
        else:
            pair, pair_params = dyad_where(a, b, src=first, tgt=second)
            clauses.append(pair)
            params += pair_params
    dates, date_params = dyad_dates(filters.since, filters.until, date_col)
    where = " AND ".join(clauses) + dates if clauses else dates.removeprefix(" AND ")
    return ("WHERE " + where) if where else "", params + date_params


def _forecasts_from(filters: Filters, status: str) -> tuple[str, list[Any]]:
    """FROM … WHERE of a forecast listing: forecasts with their story and resolution, filtered."""
    if status not in FORECAST_STATUSES:
        raise QueryError(f"status {status!r} must be one of {', '.join(FORECAST_STATUSES)}")
    where, params = FORECAST_STATUSES[status], []
    if filters.dyad:
        about, params = forecasts_about(*filters.dyad)
        where += f" AND {about}"
    dates, date_params = dyad_dates(filters.since, filters.until, "d.date")
    return ("FROM forecasts f JOIN documents d ON d.id = f.doc_id "
            f"LEFT JOIN resolutions r ON r.doc_id = f.doc_id AND r.seq = f.seq WHERE {where}{dates}"), params + date_params


def _limit(filters: Filters) -> str:
    sql = f" LIMIT {int(filters.limit)}" if filters.limit else ""
    return sql + (f" OFFSET {int(filters.offset)}" if filters.offset else "")
