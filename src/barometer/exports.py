"""Exports that other event-data tools load: GDELT 2.0, ICEWS, PLOVER JSON lines, and every table as Parquet or CSV.

- ``gdelt``: the 61 tab-separated columns of the GDELT 2.0 Event codebook in its order (:data:`GDELT_COLUMNS`),
  without a header row, like GDELT's own ``*.export.CSV`` files. CAMEO codes keep their leading zeros ("042");
  FractionDate is GDELT's YYYY + ((month - 1) * 30 + day) / 365 to four places; GLOBALEVENTID is a stable positive
  int64 hashed from (document id, record number); DATEADDED is the ingest time; SOURCEURL the URL, else the origin.
  One article per event: NumMentions = NumSources = NumArticles = 1, AvgTone is the article's tone; IsRootEvent
  is 1 for an event in the lead paragraph (before the text's first blank line), as GDELT flags it. An actor code
  splits into country, CAMEO sectors (Type1-3) and its last other part (KnownGroupCode): IGOUNO -> IGO, UNO.
  Nothing is geocoded: each *Geo_Type is 0 and the other place fields are empty, as GDELT writes unplaced actors.
- ``icews``: the 20 columns of ICEWS coded event data (:data:`ICEWS_COLUMNS`), tab-separated with a header row as
  on Dataverse; countries by name, Sectors as CAMEO codes, Intensity = Goldstein, Sentence Number = rank of the
  event's sentence among the document's coded sentences; the place columns are empty.
- ``plover``: JSON lines with the PLOVER manual's field names (ch. 6): id, date, actor, recipient, event, mode,
  context, quad_code, event_text, text (the sentence), text_info (offsets), cite_info, plus our ``cameo``,
  ``goldstein`` and ``reported``. Codes without a PLOVER category (01x statements) are left out: PLOVER needs one.
- ``parquet`` / ``csv``: every table but ``schema_migrations``, one ``<table>.<format>`` file each in the ``out``
  folder, written by DuckDB's COPY (CSV with a header row).

GDELT, ICEWS and PLOVER cannot say that something did not happen, so negated events are left out of them.
Filters (dyad in either direction, since/until on the event's date, limit) choose the events in every format;
Parquet and CSV write the other tables whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from barometer.dictionaries import INTERNATIONAL, SECTORS
from barometer.errors import OutputError, StoreError
from barometer.store import Filters, Store, dyad_dates, dyad_where
from barometer.tables import by_longest_prefix, data_table

FORMATS = ("gdelt", "icews", "plover", "parquet", "csv")

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
                 *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
                 "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                 "NumMentions", "NumSources", "NumArticles", "AvgTone",
                 *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in _GEO), "DATEADDED", "SOURCEURL")
ICEWS_COLUMNS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
                 "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
                 "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude")

_PLOVER_ENTITIES = {"IGOUNO": "UNO", "IGOEUREEC": "EUR"}      # PLOVER manual, table 5.1
_NO_GEO = (0, "", "", "", "", "", "", "")
_FLAT = str.maketrans("\t\r\n", "   ")
_BATCH = 10_000

_EVENTS_SQL = """
SELECT e.doc_id, e.seq, coalesce(e.date, d.date) AS day, e.source_code, e.source_country, e.source_name,
       e.target_code, e.target_country, e.target_name, e.code, e.name, e.quad_class, e.goldstein, e.plover, e.verb,
       e.reported, e.sentence, e.start_char, e.end_char, e.sentence_number,
       strpos(left(d.text, e.start_char), chr(10) || chr(10)) = 0 AS in_lead,
       d.url, d.origin, d.title, d.source AS publisher, d.language, d.tone_score, d.ingested_at
FROM (SELECT *, dense_rank() OVER (PARTITION BY doc_id ORDER BY start_char) AS sentence_number FROM events
      WHERE doc_id IN (SELECT e.doc_id FROM events e JOIN documents d ON d.id = e.doc_id
                       WHERE NOT coalesce(e.negated, false) {filters})) e   -- rank only the documents exported
JOIN documents d ON d.id = e.doc_id
WHERE NOT coalesce(e.negated, false) {filters}
ORDER BY day, e.doc_id, e.seq"""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the format and, for each file, how many data rows (headers not counted)."""

    format: str
    rows: dict[Path, int]


def export(store: Store, fmt: str, out: Path, filters: Filters = Filters()) -> ExportResult:
    """Write the store's events (gdelt, icews, plover: one file) or its tables (parquet, csv: a folder) to ``out``.

    Raises OutputError for an unknown format or an ``out`` that cannot be written, StoreError when the store
    cannot be read.
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    try:
        if fmt in ("parquet", "csv"):
            return ExportResult(fmt, _copy_tables(store, fmt, _folder(out), filters))
        if not out.parent.is_dir():
            raise OutputError(f"cannot write {out}: folder {out.parent} does not exist")
        return ExportResult(fmt, {out: _write_events(store, fmt, out, filters)})
    except OSError as exc:
        raise OutputError(f"cannot write {exc.filename or out}: {exc.strerror or exc}") from None


def _folder(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file; table exports write one file per table into a folder")
    if not out.parent.is_dir():
        raise OutputError(f"cannot create folder {out}: folder {out.parent} does not exist")
    out.mkdir(exist_ok=True)
    return out


def _where(filters: Filters) -> tuple[str, list[Any]]:
    """Filter clauses (each starting with AND) over events ``e`` joined to documents ``d``, and their parameters."""
    sql, params = dyad_dates(filters.since, filters.until, "coalesce(e.date, d.date)")
    if filters.dyad:
        pair, pair_params = dyad_where(*filters.dyad, src="e.source_country", tgt="e.target_country")
        sql, params = f" AND {pair}{sql}", [*pair_params, *params]
    return sql, params


def _limit(filters: Filters) -> str:
    return f" LIMIT {int(filters.limit)}" if filters.limit else ""


def _copy_tables(store: Store, fmt: str, folder: Path, filters: Filters) -> dict[Path, int]:
    """COPY every user table to ``folder``; events go through the filters."""
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    written = {}
    try:
        tables = [row[0] for row in store.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND "
            "table_catalog = current_database() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' "
            "ORDER BY table_name").fetchall()]
        for table in tables:
            path = folder / f"{table}.{fmt}"
            select, params = f'SELECT * FROM "{table}"', []
            if table == "events":
                where, params = _where(filters)
                select = (f"SELECT e.* FROM events e JOIN documents d ON d.id = e.doc_id WHERE true{where} "
                          f"ORDER BY e.doc_id, e.seq{_limit(filters)}")
            literal = "'" + str(path).replace("'", "''") + "'"
            written[path] = store.con.execute(f"COPY ({select}) TO {literal} ({options})", params).fetchone()[0]
    except duckdb.Error as exc:   # the folder was checked, so this is the store or the disk
        raise StoreError(f"cannot export {store.path} into {folder}: {exc}") from None
    return written


def _event_rows(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    """The non-negated events with their documents, oldest first, fetched in batches."""
    where, params = _where(filters)
    try:
        cursor = store.con.execute(_EVENTS_SQL.format(filters=where) + _limit(filters), params + params)
        names = [column[0] for column in cursor.description]
        while batch := cursor.fetchmany(_BATCH):
            yield from (dict(zip(names, row)) for row in batch)
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: cannot read events for export: {exc}") from None


def _write_events(store: Store, fmt: str, path: Path, filters: Filters) -> int:
    """Write the events as GDELT, ICEWS or PLOVER lines; returns how many."""
    rows = _event_rows(store, filters)
    if fmt == "plover":
        lines = (json.dumps(_plover(row), ensure_ascii=False) + "\n" for row in rows if row["plover"])
    else:
        lines = (_tsv(_gdelt(row) if fmt == "gdelt" else _icews(row)) for row in rows)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(_tsv(ICEWS_COLUMNS) if fmt == "icews" else "")
        for count, line in enumerate(lines, start=1):
            file.write(line)
    return count


def _gdelt(row: dict[str, Any]) -> list[Any]:
    day: date | None = row["day"]
    dates = ([day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year,
              f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}"] if day else ["", "", "", ""])
    code = row["code"]
    return [_event_id(row), *dates, *_gdelt_actor(row, "source"), *_gdelt_actor(row, "target"),
            1 if row["in_lead"] else 0, code, code[:3], code[:2], row["quad_class"], row["goldstein"], 1, 1, 1,
            row["tone_score"], *_NO_GEO * 3, row["ingested_at"].strftime("%Y%m%d%H%M%S"), row["url"] or row["origin"]]


def _gdelt_actor(row: dict[str, Any], side: str) -> list[Any]:
    """Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1, Religion2 and Type1-3 codes of one actor."""
    code, country = row[f"{side}_code"], row[f"{side}_country"]
    if not code:
        return [""] * len(_ACTOR)
    types, group = _split_code(code, country)
    return [code, (row[f"{side}_name"] or "").upper(), country, group, "", "", "", *(types + ["", "", ""])[:3]]


def _icews(row: dict[str, Any]) -> list[Any]:
    day = row["day"]
    return [_event_id(row), day.isoformat() if day else "",
            *_icews_actor(row, "source"), row["name"], row["code"], row["goldstein"], *_icews_actor(row, "target"),
            row["doc_id"], row["sentence_number"], row["publisher"], "", "", "", "", "", ""]


def _icews_actor(row: dict[str, Any], side: str) -> list[str]:
    """Name, sectors (CAMEO codes) and country name of one actor."""
    country = row[f"{side}_country"]
    return [row[f"{side}_name"], ",".join(_split_code(row[f"{side}_code"] or "", country)[0]),
            _country_names().get(country, country or "")]


def _plover(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"{row['doc_id']}:{row['seq']}", "date": row["day"].isoformat() if row["day"] else None,
        "actor": _plover_entities(row, "source"), "recipient": _plover_entities(row, "target"),
        "event": [row["plover"]], "mode": [], "context": [], "quad_code": row["quad_class"],
        "event_text": [row["verb"]], "text": row["sentence"],
        "text_info": {"sequence": row["sentence_number"], "start": row["start_char"], "end": row["end_char"]},
        "cite_info": {"citation": row["doc_id"], "url": row["url"], "title": row["title"],
                      "publication": row["publisher"], "language": row["language"], "coder": "barometer"},
        "cameo": row["code"], "goldstein": row["goldstein"], "reported": row["reported"],
    }


def _plover_entities(row: dict[str, Any], side: str) -> list[dict[str, Any]]:
    """The actor as PLOVER entity objects: country (or UNO, EUR, IGO, ...) code, sector, canonical name."""
    code, country = row[f"{side}_code"], row[f"{side}_country"]
    if not code:
        return []
    sectors = [t for t in _split_code(code, country)[0] if t not in INTERNATIONAL]
    return [{"code": country or by_longest_prefix(_PLOVER_ENTITIES, code) or code[:3],
             "sector": sectors[0] if sectors else None, "identifier_text": row[f"{side}_name"]}]


def _split_code(code: str, country: str | None) -> tuple[list[str], str]:
    """A CAMEO actor code after its country: (sector codes in order, the last other three-letter part)."""
    rest = code[len(country):] if country and code.startswith(country) else code
    parts = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    groups = [p for p in parts if p not in _TYPES]
    return [p for p in parts if p in _TYPES], groups[-1] if groups else ""


def _event_id(row: dict[str, Any]) -> int:
    """A positive int64 derived from (doc_id, seq) alone, so the same event keeps its id in every export."""
    digest = hashlib.blake2b(f"{row['doc_id']}\x1f{row['seq']}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % (2**63 - 1) + 1


def _tsv(cells: list[Any] | tuple[Any, ...]) -> str:
    """One tab-separated line; None is empty, and tabs or line breaks inside a value become spaces."""
    line = "\t".join(["" if cell is None else str(cell) for cell in cells])
    if line.count("\t") >= len(cells) or "\n" in line or "\r" in line:   # a value held one (rare): redo cell by cell
        line = "\t".join(["" if cell is None else str(cell).translate(_FLAT) for cell in cells])
    return line + "\n"


_TYPES = SECTORS | INTERNATIONAL     # CAMEO actor types, as the dictionaries read codes


@cache
def _country_names() -> dict[str, str]:
    """Country names from the table itself: ``actors.knowledge_base`` would load spaCy for an export."""
    rows = data_table("countries.tsv", ("code", "name", "aliases", "adjectives", "capital", "metonyms"))
    return {row["code"]: row["name"] for row in rows}
