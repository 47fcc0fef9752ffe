"""Dyad series: how relations between two countries move, period by period, and where they turn.

Per period (``dyad_series``):

- ``events`` and the four QuadClass counts (verbal / material cooperation, verbal / material conflict);
- ``goldstein_sum`` and ``goldstein_mean`` (CAMEO Goldstein values, −10 … +10);
- ``net_cooperation`` = (verbal coop + material coop − verbal conflict − material conflict) / events, in [−1, 1];
- ``share`` = the dyad's events / all events coded in that period, in percent: GDELT's advice is to read
  volume against the total, because the number of stories, not the world, drives raw counts;
- ``tone`` = mean over the dyad's events of their document's tone (``data/tone.tsv``, percent points): a
  story with three dyad events weighs three times.

Negated events ("did not expel") are not counted. Undirected unless ``directed`` (then only A → B).

Turning points (``turning_points``): change points in the Goldstein-mean series found by PELT (Killick et al.
2012, via ruptures) with an L2 cost; ``penalty`` (the ``turning_penalty`` setting) is the price of one more
segment, in squared Goldstein units: higher finds fewer turns. Each turning point carries the mean before and
after, and the events, quotes and forecasts of the periods on either side that drove it, with their evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from barometer.errors import BarometerError, QueryError
from barometer.store import Store, dyad_dates, dyad_where, forecasts_about

PERIODS = ("day", "week", "month")
QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
STEADY = 1.0
_BARS = "▁▂▃▄▅▆▇█"


def dyad_series(store: Store, a: str, b: str, *, by: str = "month", since: str | None = None,
                until: str | None = None, directed: bool = False,
                quad: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    """The per-period figures listed in the module docstring, oldest period first; ``quad`` keeps only events of
    those QuadClasses (the share is still against all events coded)."""
    if by not in PERIODS:
        raise BarometerError(f"period {by!r} must be one of {', '.join(PERIODS)}")
    where, params = dyad_where(a, b, directed, since, until, "e.source_country", "e.target_country", "e.date")
    where += _quad_where(quad, "e.quad_class")
    dates, date_params = dyad_dates(since, until, "date")
    rows = store.query(
        f"""
        WITH dyad AS (
            SELECT date_trunc('{by}', e.date)::DATE AS period, e.quad_class, e.goldstein, d.tone_score
            FROM events e JOIN documents d ON d.id = e.doc_id
            WHERE NOT e.negated AND e.date IS NOT NULL AND {where}
        ),
        periods AS (
            SELECT period, count(*) AS events,
                   count(*) FILTER (quad_class = 1) AS verbal_coop, count(*) FILTER (quad_class = 2) AS material_coop,
                   count(*) FILTER (quad_class = 3) AS verbal_conflict,
                   count(*) FILTER (quad_class = 4) AS material_conflict,
                   round(sum(goldstein), 2) AS goldstein_sum, round(avg(goldstein), 2) AS goldstein_mean,
                   round(avg(tone_score), 2) AS tone
            FROM dyad GROUP BY period
        ),
        volume AS (   -- every coded event of the same periods, inside the same window
            SELECT date_trunc('{by}', date)::DATE AS period, count(*) AS total FROM events
            WHERE NOT negated AND date BETWEEN (SELECT min(period) FROM periods)
                                           AND (SELECT max(period) FROM periods) + INTERVAL 1 {by}
              {dates}
            GROUP BY 1
        )
        SELECT p.*, round(100.0 * p.events / v.total, 2) AS share
        FROM periods p JOIN volume v USING (period) ORDER BY period
        """, [*params, *date_params])
    for row in rows:
        coop = row["verbal_coop"] + row["material_coop"]
        conflict = row["verbal_conflict"] + row["material_conflict"]
        row["net_cooperation"] = round((coop - conflict) / row["events"], 3) if row["events"] else 0.0
    return rows


@dataclass(frozen=True)
class TurningPoint:
    """Where the series changes level: the first period of the new level, the levels, and what drove it."""

    period: date
    before: float                      # mean Goldstein of the segment before
    after: float                       # mean Goldstein of the segment after
    direction: str                     # "improving" or "worsening"
    events: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    forecasts: list[dict[str, Any]] = field(default_factory=list)


def change_points(values: list[float], penalty: float, min_size: int = 2) -> list[int]:
    """Indexes where a new segment starts (PELT, L2 cost); empty when the series is too short to split."""
    if len(values) < 2 * min_size:
        return []
    import numpy as np
    import ruptures

    signal = np.asarray(values, dtype=float).reshape(-1, 1)
    ends = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=penalty)
    return [end for end in ends if end < len(values)]


def turning_points(store: Store, a: str, b: str, rows: list[dict[str, Any]], *, by: str = "month",
                   penalty: float = 10.0, directed: bool = False, evidence: int = 5,
                   quad: tuple[int, ...] = (), last_only: bool = False) -> list[TurningPoint]:
    """Change points of the Goldstein-mean series ``rows`` (from ``dyad_series``), each with the ``evidence``
    strongest events (largest Goldstein change toward the new level; of the QuadClasses ``quad`` when the series
    was so filtered), quotes by either side's people and forecasts about the dyad, from the period before the turn
    through the first period after it; with ``last_only``, only the last point carries them (three queries
    instead of three per point)."""
    values = [float(r["goldstein_mean"]) for r in rows]
    breaks = change_points(values, penalty)
    bounds = [0, *breaks, len(values)]
    points = []
    for k, index in enumerate(breaks, 1):
        before = round(sum(values[bounds[k - 1]:index]) / (index - bounds[k - 1]), 2)
        after = round(sum(values[index:bounds[k + 1]]) / (bounds[k + 1] - index), 2)
        direction = "improving" if after > before else "worsening"
        drivers: tuple[list[dict[str, Any]], ...] = ([], [], [])
        if evidence and (not last_only or k == len(breaks)):
            drivers = _drivers(store, a, b, rows[index - 1]["period"], period_end(rows[index]["period"], by),
                               direction, directed, evidence, quad)
        points.append(TurningPoint(rows[index]["period"], before, after, direction, *drivers))
    return points


def period_start(day: date, by: str) -> date:
    """The first day of the period (of length ``by``) that holds ``day``, as ``date_trunc`` cuts the series."""
    if by == "day":
        return day
    return day - timedelta(days=day.weekday()) if by == "week" else day.replace(day=1)


def period_end(start: date, by: str) -> date:
    """The last day of the period (of length ``by``) that starts on ``start``."""
    if by == "day":
        return start
    if by == "week":
        return start + timedelta(days=6)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _drivers(store: Store, a: str, b: str, first: date, last: date, direction: str, directed: bool,
             limit: int, quad: tuple[int, ...] = ()) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    where, params = dyad_where(a, b, directed, first.isoformat(), last.isoformat())
    quads = _quad_where(quad, "quad_class")
    order = "goldstein DESC" if direction == "improving" else "goldstein ASC"
    events = store.query(
        "SELECT date, source_code AS source, code, name AS event, target_code AS target, goldstein, sentence, "
        f"doc_id, seq, start_char, end_char FROM events WHERE NOT negated AND {where}{quads} "
        f"ORDER BY {order}, date, doc_id, seq "
        f"LIMIT {limit}",
        params)
    quotes = store.query(
        "SELECT d.date, q.speaker_name AS speaker, q.speaker_country AS country, q.kind, q.text, q.doc_id, q.seq, "
        "q.start_char, q.end_char FROM quotes q JOIN documents d ON d.id = q.doc_id "
        "WHERE q.speaker_country IN (?, ?) AND d.date BETWEEN ? AND ? "
        "AND q.doc_id IN (SELECT doc_id FROM events WHERE " + where + ") "
        f"ORDER BY length(q.text) DESC LIMIT {limit}", [a, b, first, last, *params])
    about, about_params = forecasts_about(a, b, directed)
    forecasts = store.query(
        "SELECT d.date, f.forecaster_name AS forecaster, f.probability, f.horizon, f.text, f.doc_id || ':' || f.seq AS id, "
        "f.doc_id, f.seq, f.start_char, f.end_char FROM forecasts f JOIN documents d ON d.id = f.doc_id "
        f"WHERE f.status = 'forecast' AND d.date BETWEEN ? AND ? AND {about} ORDER BY d.date LIMIT {limit}",
        [first, last, *about_params])
    return events, quotes, forecasts


def trend(series: list[dict[str, Any]], points: list[TurningPoint]) -> tuple[str, float, float]:
    """Direction, level and change of a series: the mean Goldstein of the segment after the last turning point
    against the one before it; with no turning point, the last period against the window's mean. A change under
    ``STEADY`` Goldstein points is "steady"."""
    values = [r["goldstein_mean"] for r in series]
    if points:
        level, change = points[-1].after, round(points[-1].after - points[-1].before, 2)
    elif values:
        level, change = values[-1], round(values[-1] - sum(values) / len(values), 2)
    else:
        level, change = 0.0, 0.0
    direction = "steady" if abs(change) < STEADY else ("improving" if change > 0 else "worsening")
    return direction, level, change


def dyad_events(store: Store, a: str, b: str, *, since: str | None = None, until: str | None = None,
                directed: bool = False, quad: tuple[int, ...] = (), strongest: bool = False, limit: int = 50,
                offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """A page of the dyad's events (not negated) with their documents' title, outlet and address, newest first or
    the ``strongest`` (largest absolute Goldstein) first; and how many there are in all."""
    where, params = dyad_where(a, b, directed, since, until, "e.source_country", "e.target_country", "e.date")
    where = "NOT e.negated AND " + where + _quad_where(quad, "e.quad_class")
    order = "abs(e.goldstein) DESC, e.date DESC, e.doc_id, e.seq" if strongest else "e.date DESC, e.doc_id, e.seq"
    rows = store.query(   # the page first, then its documents: the join stays small
        "SELECT e.*, d.title, d.url, d.source AS outlet FROM (SELECT e.date, e.source_code AS source, e.code, "
        "e.name AS event, e.target_code AS target, e.quad_class, e.goldstein, e.plover, e.sentence, e.doc_id, e.seq, "
        f"e.start_char, e.end_char FROM events e WHERE {where} ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}"
        f") e JOIN documents d ON d.id = e.doc_id ORDER BY {order}", params)
    total = store.query(f"SELECT count(*) AS n FROM events e WHERE {where}", params)[0]["n"]
    return rows, total


def dyad_quotes(store: Store, a: str, b: str, *, since: str | None = None, until: str | None = None,
                limit: int = 5, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """A page of the direct quotes by either side's people in stories that code an event between the two, newest
    first; and how many there are in all."""
    pair, pair_params = dyad_where(a, b, src="e.source_country", tgt="e.target_country")
    on_day, day_params = dyad_dates(since, until, "d.date")
    source = ("FROM quotes q JOIN documents d ON d.id = q.doc_id WHERE q.kind = 'direct' AND q.speaker_country IN "
              f"(?, ?) AND q.doc_id IN (SELECT e.doc_id FROM events e WHERE {pair}){on_day}")
    params = [a, b, *pair_params, *day_params]
    rows = store.query(
        "SELECT d.date, q.speaker_name AS speaker, q.speaker_affiliation AS affiliation, q.speaker_country AS country, "
        f"q.text, q.doc_id, q.seq, q.start_char, q.end_char {source} "
        f"ORDER BY d.date DESC, length(q.text) DESC, q.doc_id, q.seq LIMIT {int(limit)} OFFSET {int(offset)}", params)
    return rows, store.query(f"SELECT count(*) AS n {source}", params)[0]["n"]


def dyad_forecasts(store: Store, a: str, b: str, *, since: str | None = None, until: str | None = None,
                   resolved: bool | None = None, limit: int = 20,
                   offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """A page of the forecasts about the dyad (``forecasts_about``) made in the window, newest first, with any
    outcome and its evidence (only the resolved or only the open ones when ``resolved`` says so); and how many
    there are in all."""
    about, about_params = forecasts_about(a, b)
    on_day, day_params = dyad_dates(since, until, "d.date")
    outcome = {None: "", True: " AND r.outcome IS NOT NULL", False: " AND r.outcome IS NULL"}[resolved]
    source = ("FROM forecasts f JOIN documents d ON d.id = f.doc_id LEFT JOIN resolutions r "
              f"ON r.doc_id = f.doc_id AND r.seq = f.seq WHERE f.status = 'forecast' AND {about}{on_day}{outcome}")
    params = [*about_params, *day_params]
    rows = store.query(
        "SELECT d.date, f.doc_id || ':' || f.seq AS id, f.forecaster_name AS forecaster, f.probability, f.horizon, "
        f"f.text, r.outcome, r.method AS resolved_by, r.evidence, f.doc_id, f.seq, f.start_char, f.end_char {source} "
        f"ORDER BY d.date DESC, f.doc_id, f.seq LIMIT {int(limit)} OFFSET {int(offset)}", params)
    return rows, store.query(f"SELECT count(*) AS n {source}", params)[0]["n"]


def _quad_where(quad: tuple[int, ...], column: str) -> str:
    """' AND column IN (…)' for the QuadClasses given (checked: they go into the SQL text), or nothing."""
    if not quad:
        return ""
    bad = sorted(set(quad) - set(QUAD_CLASSES))
    if bad:
        raise QueryError(f"quad {bad[0]} is not a QuadClass: use 1, 2, 3 or 4")
    return f" AND {column} IN ({', '.join(str(int(q)) for q in sorted(set(quad)))})"


def sparkline(values: list[float]) -> str:
    """A one-line chart of the values with block characters."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return "".join(_BARS[round((v - low) / span * (len(_BARS) - 1))] for v in values)
