"""A dyad series as a PNG chart: Goldstein mean per period, events as bars, turning points marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from barometer.errors import BarometerError, OutputError
from barometer.series import TurningPoint


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


def _bar_width(periods: list[Any]) -> float:
    if len(periods) < 2:
        return 5.0
    gaps = [(b - a).days for a, b in zip(periods, periods[1:])]
    return max(min(gaps) * 0.8, 0.8)
