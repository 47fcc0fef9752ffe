"""A dyad series as a chart: a PNG file (matplotlib), or the layout of an inline SVG that a page template draws.

Both show the Goldstein mean per period on a fixed −10 … +10 scale, the number of events as bars, and the
turning points.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from barometer.errors import BarometerError, OutputError
from barometer.series import TurningPoint, period_end


def plot_series(rows: list[dict[str, Any]], points: list[TurningPoint], title: str, out: Path) -> Path:
    """Write the chart to ``out`` (PNG); raises BarometerError when there is nothing to draw or it cannot be written."""
    if not rows:
        raise BarometerError(f"{title}: no events in the window, nothing to plot")
    if out.suffix.lower() != ".png":
        raise OutputError(f"plot file {out} must end in .png")
    import matplotlib

    matplotlib.use("Agg")   # no display needed
    import matplotlib.pyplot as plt

    periods = [r["period"] for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.5), sharex=True, height_ratios=(3, 1),
                                      constrained_layout=True)
    top.axhline(0, color="#888888", linewidth=0.8)
    top.plot(periods, [r["goldstein_mean"] for r in rows], marker="o", color="#1f4e79", label="Goldstein mean")
    top.plot(periods, [r["net_cooperation"] * 10 for r in rows], linestyle="--", color="#7f7f7f",
             label="net cooperation × 10")
    for point in points:
        colour = "#2e7d32" if point.direction == "improving" else "#c62828"
        top.axvline(point.period, color=colour, linestyle=":", linewidth=1.5)
        top.annotate(f"{point.direction}\n{point.before:+.1f} → {point.after:+.1f}", (point.period, 9),
                     fontsize=8, color=colour, ha="left", va="top", xytext=(3, 0), textcoords="offset points")
    top.set_ylim(-10.5, 10.5)
    top.set_ylabel("Goldstein (−10 conflict … +10 cooperation)")
    top.set_title(title)
    top.legend(loc="lower left", fontsize=8)
    top.grid(alpha=0.3)
    bottom.bar(periods, [r["events"] for r in rows], width=_bar_width(periods), color="#9ecae1")
    bottom.set_ylabel("events")
    bottom.grid(alpha=0.3)
    fig.autofmt_xdate()
    try:
        fig.savefig(out, dpi=120, format="png")
    except OSError as exc:
        raise OutputError(f"cannot write plot {out}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return out


def chart_layout(rows: list[dict[str, Any]], points: list[TurningPoint], *, by: str = "month", width: int = 880,
                 height: int = 320) -> dict[str, Any]:
    """Coordinates for an SVG chart of the series: the Goldstein line in the upper part, event bars in a strip
    below, turning points as vertical rules. Time runs to scale, so periods without events show as gaps in the bars.
    Everything is a number or a date; the template escapes the rest."""
    left, right, top, line_bottom, bar_top, bottom = 44, width - 12, 12, height - 96, height - 80, height - 28
    if not rows:
        return {"width": width, "height": height, "periods": [], "turns": [], "labels": [], "lines": [], "gaps": []}
    first = rows[0]["period"]
    days = (period_end(rows[-1]["period"], by) - first).days + 1
    scale = (right - left) / days
    most = max(r["events"] for r in rows) or 1

    def x_of(day: Any) -> float:
        return round(left + (day - first).days * scale, 1)

    def y_of(value: float) -> float:
        return round(top + (10 - value) / 20 * (line_bottom - top), 1)

    periods = []
    for row in rows:
        start = row["period"]
        slot = ((period_end(start, by) - start).days + 1) * scale
        bar = round(row["events"] / most * (bottom - bar_top), 1)
        periods.append({"period": start, "x": round(x_of(start) + slot / 2, 1), "y": y_of(row["goldstein_mean"]),
                        "slot_x": x_of(start), "slot_width": round(slot, 1), "bar_y": round(bottom - bar, 1),
                        "bar_height": bar, "bar_width": round(max(slot * 0.7, 1), 1), "events": row["events"],
                        "goldstein_mean": row["goldstein_mean"]})
    turns = [{"x": x_of(p.period), "period": p.period, "direction": p.direction, "before": p.before,
              "after": p.after, "anchor": "end" if x_of(p.period) > right - 160 else "start"} for p in points]
    labels, room = [], left - 90.0
    for period in periods:                 # date labels at least 90 px apart
        if period["x"] - room >= 90:
            labels.append(period)
            room = period["x"]
    lines: list[list[str]] = []            # solid runs of consecutive periods ...
    gaps: list[str] = []                   # ... joined by dashes across periods without events
    for i, period in enumerate(periods):
        here = f"{period['x']},{period['y']}"
        if i == 0 or rows[i]["period"] > period_end(rows[i - 1]["period"], by) + timedelta(days=1):
            if lines:
                gaps.append(f"{lines[-1][-1]} {here}")
            lines.append([])
        lines[-1].append(here)
    return {
        "width": width, "height": height, "left": left, "right": right, "top": top, "line_bottom": line_bottom,
        "bar_top": bar_top, "bottom": bottom, "most_events": most,
        "zero_y": y_of(0), "y_ticks": [{"value": v, "y": y_of(v)} for v in (10, 5, 0, -5, -10)],
        "lines": [" ".join(line) for line in lines], "gaps": gaps, "periods": periods, "labels": labels, "turns": turns,
    }


def sparkline_points(values: list[float], *, width: int = 120, height: int = 28) -> str:
    """An SVG polyline's points for a small chart of ``values`` on the −10 … +10 Goldstein scale."""
    if not values:
        return ""
    step = width / max(len(values) - 1, 1)
    return " ".join(f"{round(i * step, 1)},{round((10 - v) / 20 * height, 1)}" for i, v in enumerate(values))


def _bar_width(periods: list[Any]) -> float:
    if len(periods) < 2:
        return 5.0
    gaps = [(b - a).days for a, b in zip(periods, periods[1:])]
    return max(min(gaps) * 0.8, 0.8)
