"""Dyad series: how relations between two actors move, period by period, from the stored events."""

from __future__ import annotations

from typing import Any

from barometer.errors import BarometerError
from barometer.store import Store

PERIODS = ("day", "week", "month")
_BARS = "▁▂▃▄▅▆▇█"


def dyad_series(store: Store, a: str, b: str, *, by: str = "month", since: str | None = None,
                until: str | None = None, directed: bool = False) -> list[dict[str, Any]]:
    """Per period: events by QuadClass, Goldstein sum and mean, and the net-cooperation index.

    Net cooperation = (verbal + material cooperation − verbal − material conflict) / events, in [−1, 1].
    Undirected unless ``directed``: then only events from ``a`` to ``b`` count.
    """
    if by not in PERIODS:
        raise BarometerError(f"period {by!r} must be one of {', '.join(PERIODS)}")
    pair = "(source_country = ? AND target_country = ?)"
    params: list[Any] = [a, b] if directed else [a, b, b, a]
    where = pair if directed else f"({pair} OR {pair})"
    if since:
        where += " AND date >= CAST(? AS DATE)"
        params.append(since)
    if until:
        where += " AND date <= CAST(? AS DATE)"
        params.append(until)
    rows = store.query(
        f"SELECT date_trunc('{by}', date)::DATE AS period, count(*) AS events, "
        "count(*) FILTER (quad_class = 1) AS verbal_coop, count(*) FILTER (quad_class = 2) AS material_coop, "
        "count(*) FILTER (quad_class = 3) AS verbal_conflict, count(*) FILTER (quad_class = 4) AS material_conflict, "
        "round(sum(goldstein), 2) AS goldstein_sum, round(avg(goldstein), 2) AS goldstein_mean "
        f"FROM events WHERE NOT negated AND date IS NOT NULL AND {where} GROUP BY 1 ORDER BY 1", params)
    for row in rows:
        coop = row["verbal_coop"] + row["material_coop"]
        conflict = row["verbal_conflict"] + row["material_conflict"]
        row["net_cooperation"] = round((coop - conflict) / row["events"], 3) if row["events"] else 0.0
    return rows


def sparkline(values: list[float]) -> str:
    """A one-line chart of the values with block characters."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return "".join(_BARS[round((v - low) / span * (len(_BARS) - 1))] for v in values)
