"""What the dashboard shows: one function per page, returning plain data that its HTML page and its JSON twin share.

Every list comes as ``{"items": [...], "total": N, "limit": L, "offset": O}``. The caller chooses the page size
and start of a page's primary list (``limit``, ``offset``); secondary lists (a dyad's quotes and forecasts, the
scorecards, quote hits) come ``SIDE_LIMIT`` at a time from their own offsets. Dates are ``datetime.date``; the web
layer turns them into ISO strings for JSON.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from typing import Any

from barometer.digest import busiest_dyads
from barometer.errors import BarometerError, NotFoundError
from barometer.register import calibration, scorecards
from barometer.series import (QUAD_CLASSES, dyad_events, dyad_forecasts, dyad_quotes, dyad_series, period_end, trend,
                              turning_points)
from barometer.store import Filters, Store, dyad_dates

SIDE_LIMIT = 20          # page size of the secondary lists (a dyad's quotes and forecasts, scorecards, quote hits)
MAX_TERMS = 8            # words of a search query that count
SNIPPET = 90             # characters either side of a search hit


def listing(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    """One page of a list, with what is needed to ask for the next."""
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def overview(store: Store, *, since: str | None = None, until: str | None = None, by: str = "month",
             penalty: float = 10.0, limit: int = 10, offset: int = 0) -> dict[str, Any]:
    """The store's counts and the most active dyads, each with its direction, series values and last turning
    point; the latest documents."""
    pairs, total = busiest_dyads(store, since, until, limit=limit, offset=offset)
    dyads = []
    for pair in pairs:
        a, b = pair["a"], pair["b"]
        series = dyad_series(store, a, b, by=by, since=since, until=until)
        points = turning_points(store, a, b, series, by=by, penalty=penalty, evidence=1, last_only=True)
        direction, level, change = trend(series, points)
        last = points[-1] if points else None
        dyads.append({
            "a": a, "b": b, "pair": f"{a}-{b}", "events": pair["events"], "direction": direction, "level": level,
            "change": change, "values": [r["goldstein_mean"] for r in series],
            "periods": [r["period"] for r in series],
            "last_turning_point": asdict(last) if last else None,
        })
    dates, params = dyad_dates(since, until, "date")
    latest = store.query(
        "SELECT id AS doc_id, date, title, source AS outlet FROM documents "
        f"WHERE true{dates} ORDER BY date DESC NULLS LAST, id LIMIT 10", params)
    return {"window": {"since": since, "until": until, "by": by}, "counts": store.counts(),
            "dyads": listing(dyads, total, limit, offset), "latest_documents": latest}


def dyad_page(store: Store, a: str, b: str, *, since: str | None = None, until: str | None = None,
              by: str = "month", quad: tuple[int, ...] = (), directed: bool = False, period: date | None = None,
              penalty: float = 10.0, limit: int = 50, offset: int = 0, quotes_offset: int = 0,
              forecasts_offset: int = 0) -> dict[str, Any]:
    """The dyad's series with turning points and trend; a page of its events (those of one ``period`` of the series
    when given, else of the window), newest first; quotes by either side and forecasts about the pair."""
    series = dyad_series(store, a, b, by=by, since=since, until=until, directed=directed, quad=quad)
    points = turning_points(store, a, b, series, by=by, penalty=penalty, directed=directed, quad=quad)
    direction, level, change = trend(series, points)
    first, last = since, until
    if period is not None:
        first, last = period.isoformat(), period_end(period, by).isoformat()
    events, total = dyad_events(store, a, b, since=first, until=last, directed=directed, quad=quad, limit=limit,
                                offset=offset)
    quotes, quote_total = dyad_quotes(store, a, b, since=first, until=last, limit=SIDE_LIMIT, offset=quotes_offset)
    forecasts, forecast_total = dyad_forecasts(store, a, b, since=first, until=last, limit=SIDE_LIMIT,
                                               offset=forecasts_offset)
    return {
        "dyad": {"a": a, "b": b, "pair": f"{a}-{b}", "directed": directed},
        "window": {"since": since, "until": until, "by": by, "quad": sorted(set(quad)), "period": period},
        "trend": {"direction": direction, "level": level, "change": change},
        "series": series,
        "turning_points": [asdict(p) for p in points],
        "events": listing(events, total, limit, offset),
        "quotes": listing(quotes, quote_total, SIDE_LIMIT, quotes_offset),
        "forecasts": listing(forecasts, forecast_total, SIDE_LIMIT, forecasts_offset),
    }


def document_page(store: Store, doc_id: str) -> dict[str, Any]:
    """A stored document with its text and every record found in it, each with its character offsets.

    The lists are not paged: they are bounded by the document (``max_text_chars``)."""
    found = store.query(
        "SELECT id, title, url, date, source AS outlet, authors, origin, language, truncated, removed, tone_score, "
        "tone_positive, tone_negative, ingested_at, text FROM documents WHERE id = ?", [doc_id])
    if not found:
        raise NotFoundError(f"no document {doc_id!r} in the store")
    actors = store.query(
        "SELECT seq, text, start_char, end_char, name, country, role, kind, code, office, affiliation "
        "FROM actors WHERE doc_id = ? ORDER BY seq", [doc_id])
    events = store.query(
        "SELECT seq, date, source_code AS source, source_name, code, name AS event, target_code AS target, target_name, "
        "quad_class, goldstein, plover, verb, negated, reported, sentence, start_char, end_char "
        "FROM events WHERE doc_id = ? ORDER BY seq", [doc_id])
    quotes = store.query(
        "SELECT seq, kind, text, cue, speaker_name AS speaker, speaker_code, speaker_country AS country, "
        "speaker_affiliation AS affiliation, audience, start_char, end_char FROM quotes WHERE doc_id = ? ORDER BY seq",
        [doc_id])
    forecasts = store.query(
        "SELECT f.seq, f.doc_id || ':' || f.seq AS id, f.text, f.cue, f.probability, f.polarity, f.horizon, f.status, "
        "f.forecaster_name AS forecaster, f.forecaster_affiliation AS affiliation, f.event_code, r.outcome, "
        "r.method AS resolved_by, r.evidence, r.evidence_doc_id, f.start_char, f.end_char "
        "FROM forecasts f LEFT JOIN resolutions r ON r.doc_id = f.doc_id AND r.seq = f.seq "
        "WHERE f.doc_id = ? ORDER BY f.seq", [doc_id])
    return {"document": found[0], "actors": actors, "events": events, "quotes": quotes, "forecasts": forecasts}


def forecasts_page(store: Store, *, status: str = "all", dyad: tuple[str, str] | None = None,
                   since: str | None = None, until: str | None = None, limit: int = 50,
                   offset: int = 0, scorecards_offset: int = 0) -> dict[str, Any]:
    """A page of the forecast register, newest first, with outcomes and their evidence; the forecasters'
    scorecards and the calibration table (these two over the whole register)."""
    filters = Filters(dyad=dyad, since=since, until=until, limit=limit, offset=offset)
    items = store.forecasts(filters, status, newest_first=True)
    cards = scorecards(store)
    return {
        "window": {"status": status, "dyad": "-".join(dyad) if dyad else None, "since": since, "until": until},
        "forecasts": listing(items, store.count_forecasts(filters, status), limit, offset),
        "scorecards": listing(cards[scorecards_offset:scorecards_offset + SIDE_LIMIT], len(cards), SIDE_LIMIT,
                              scorecards_offset),
        "calibration": calibration(store),
    }


def search(store: Store, query: str, *, limit: int = 20, offset: int = 0, quotes_offset: int = 0) -> dict[str, Any]:
    """Documents and quotes that contain every word of ``query`` (each as a word start: "sanction" finds
    "sanctions", not "unsanctioned"), the documents ranked by how often the words occur, title hits counting
    three times; each hit with a snippet and the offsets of the words in it. An empty query lists the
    documents, newest first."""
    terms = terms_of(query)
    if query.strip() and not terms:
        raise BarometerError(f"search {query!r} has no words to look for")
    if not terms:
        documents = store.query(
            "SELECT id AS doc_id, date, title, source AS outlet, left(text, 2 * ?) AS snippet FROM documents "
            f"ORDER BY date DESC NULLS LAST, id LIMIT {int(limit)} OFFSET {int(offset)}", [SNIPPET])
        total = store.query("SELECT count(*) AS n FROM documents")[0]["n"]
        for row in documents:
            row["marks"] = []
        return {"query": "", "terms": [], "documents": listing(documents, total, limit, offset),
                "quotes": listing([], 0, SIDE_LIMIT, 0)}
    patterns = [_word_start(t) for t in terms]
    every = " AND ".join(["regexp_matches(lower({col}), ?)"] * len(terms))
    score = " + ".join(["len(regexp_extract_all(lower(text), ?)) + 3 * len(regexp_extract_all(lower(coalesce("
                        "title, '')), ?))"] * len(terms))
    matched = f"FROM documents WHERE {every.format(col=_doc_text)}"
    documents = store.query(
        f"SELECT id AS doc_id, date, title, source AS outlet, text, {score} AS score {matched} "
        f"ORDER BY score DESC, date DESC NULLS LAST, id LIMIT {int(limit)} OFFSET {int(offset)}",
        [p for p in patterns for _ in (0, 1)] + patterns)
    total = store.query(f"SELECT count(*) AS n {matched}", patterns)[0]["n"]
    for row in documents:
        row.update(_snippet(row.pop("text"), terms))
    quote_text = "q.text || ' ' || coalesce(q.speaker_name, '')"
    quote_where = f"WHERE {every.format(col=quote_text)}"
    quotes = store.query(
        "SELECT d.date, q.speaker_name AS speaker, q.speaker_affiliation AS affiliation, q.kind, q.text, q.doc_id, "
        f"q.seq, q.start_char, q.end_char, d.title FROM quotes q JOIN documents d ON d.id = q.doc_id {quote_where} "
        f"ORDER BY d.date DESC NULLS LAST, q.doc_id, q.seq LIMIT {SIDE_LIMIT} OFFSET {int(quotes_offset)}", patterns)
    quote_total = store.query(f"SELECT count(*) AS n FROM quotes q {quote_where}", patterns)[0]["n"]
    for row in quotes:
        row["marks"] = _marks(row["text"], terms)
    return {"query": query, "terms": terms, "documents": listing(documents, total, limit, offset),
            "quotes": listing(quotes, quote_total, SIDE_LIMIT, quotes_offset)}


def terms_of(query: str) -> list[str]:
    """The distinct lower-case words of a search query, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(re.findall(r"\w+", query.lower())))[:MAX_TERMS]


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """Cut ``text`` where any span starts or ends: each piece with the kinds of the spans over it and the anchors
    (span ids) that start at it and of all the spans over it. Spans are (start, end, kind, anchor) and may nest or
    overlap; ones outside the text are dropped. The pieces join back to the text."""
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        over = [s for s in spans if s[0] <= start and end <= s[1]]
        pieces.append({"text": text[start:end], "start": start,
                       "kinds": sorted({s[2] for s in over}), "over": [s[3] for s in over],
                       "anchors": [s[3] for s in spans if s[0] == start]})
    return pieces


_doc_text = "coalesce(title, '') || ' ' || text"


def _word_start(term: str) -> str:
    """An RE2 pattern for ``term`` at the start of a word (terms are \\w+, so nothing needs escaping)."""
    return r"(?:^|[^\p{L}\p{N}])" + term


def _marks(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text`` at word starts (as ``_word_start`` finds them), as (start, end) pairs in
    order, overlapping hits merged."""
    found: list[tuple[int, int]] = []
    for term in terms:
        found += [(m.start(), m.end())
                  for m in re.finditer(r"(?<![^\W_])" + re.escape(term), text, flags=re.IGNORECASE)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippet(text: str, terms: list[str]) -> dict[str, Any]:
    """The text around the first hit, and the hits in it."""
    marks = _marks(text, terms)
    first = marks[0][0] if marks else 0
    start = max(0, first - SNIPPET)
    end = min(len(text), first + SNIPPET)
    piece = text[start:end]
    return {"snippet": piece, "snippet_start": start,
            "marks": [(s - start, e - start) for s, e in marks if start <= s and e <= end]}


__all__ = ["QUAD_CLASSES", "document_page", "dyad_page", "forecasts_page", "highlight", "listing", "overview",
           "search", "terms_of"]
