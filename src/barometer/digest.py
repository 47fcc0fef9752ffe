"""The analyst's roundup: per dyad, the direction of the relationship and its change, the top events with their
evidence, notable quotes, open and newly resolved forecasts, and the sources cited. Markdown or one
self-contained HTML page (inline CSS, no scripts, nothing fetched) that prints well.

Direction: ``series.trend`` — the mean Goldstein of the last segment of the series (after its last turning point)
against the segment before it; with no turning point, the last period against the window's mean. A difference under
one Goldstein point is "steady".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from barometer.series import (TurningPoint, dyad_events, dyad_forecasts, dyad_quotes, dyad_series, sparkline, trend,
                               turning_points)
from barometer.store import Store, dyad_dates


@dataclass(frozen=True)
class DyadDigest:
    a: str
    b: str
    series: list[dict[str, Any]]
    points: list[TurningPoint]
    direction: str                     # improving | worsening | steady
    level: float                       # mean Goldstein of the latest segment
    change: float                      # against the segment (or window) before
    events: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    open_forecasts: list[dict[str, Any]]
    resolved_forecasts: list[dict[str, Any]]
    sources: list[dict[str, Any]]

    @property
    def sparkline(self) -> str:
        return sparkline([r["goldstein_mean"] for r in self.series])


@dataclass(frozen=True)
class Digest:
    since: str | None
    until: str | None
    by: str
    dyads: list[DyadDigest]


def busiest_dyads(store: Store, since: str | None, until: str | None, limit: int = 3,
                  offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The international pairs with the most events in the window (undirected, alphabetical within a pair), each
    as ``{a, b, events}``, a page of them; and how many pairs there are in all."""
    dates, params = dyad_dates(since, until, "date")
    pairs = ("SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b, "
             f"count(*) AS events FROM events WHERE NOT negated AND source_country <> target_country{dates} "
             "GROUP BY 1, 2")
    rows = store.query(f"{pairs} ORDER BY events DESC, a, b LIMIT {int(limit)} OFFSET {int(offset)}", params)
    total = store.query(f"SELECT count(*) AS n FROM ({pairs})", params)[0]["n"]
    return rows, total


def build_digest(store: Store, dyad: tuple[str, str] | None = None, *, since: str | None = None,
                 until: str | None = None, by: str = "week", penalty: float = 10.0, top: int = 5) -> Digest:
    """The digest of one dyad, or of the busiest three when ``dyad`` is None."""
    pairs = [dyad] if dyad else [(r["a"], r["b"]) for r in busiest_dyads(store, since, until)[0]]
    return Digest(since, until, by, [_dyad_digest(store, a, b, since, until, by, penalty, top) for a, b in pairs])


def _dyad_digest(store: Store, a: str, b: str, since: str | None, until: str | None, by: str, penalty: float,
                 top: int) -> DyadDigest:
    series = dyad_series(store, a, b, by=by, since=since, until=until)
    points = turning_points(store, a, b, series, by=by, penalty=penalty)
    direction, level, change = trend(series, points)
    events, _ = dyad_events(store, a, b, since=since, until=until, strongest=True, limit=top)
    quotes, _ = dyad_quotes(store, a, b, since=since, until=until, limit=top)
    open_forecasts, _ = dyad_forecasts(store, a, b, since=since, until=until, resolved=False, limit=top)
    resolved_forecasts, _ = dyad_forecasts(store, a, b, since=since, until=until, resolved=True, limit=top)
    cited = {row["doc_id"] for row in events + quotes + open_forecasts + resolved_forecasts}
    sources = store.query(
        "SELECT id AS doc_id, date, title, source AS outlet, url, origin FROM documents WHERE list_contains(?, id) "
        "ORDER BY date, id", [sorted(cited)]) if cited else []
    return DyadDigest(a, b, series, points, direction, level, change, events, quotes, open_forecasts,
                      resolved_forecasts, sources)


def render_markdown(digest: Digest) -> str:
    """The digest as Markdown, every record with its document id and character offsets."""
    lines = [f"# Barometer digest{_window_text(digest)}", ""]
    if not digest.dyads:
        lines.append("No international events in the window.")
    for d in digest.dyads:
        lines += [f"## {d.a}–{d.b}: {d.direction}", "",
                  f"Goldstein by {digest.by}: `{d.sparkline}` — latest level {d.level:+.2f} ({d.change:+.2f}); "
                  f"{sum(r['events'] for r in d.series)} events in {len(d.series)} {digest.by}s.", ""]
        for p in d.points:
            lines.append(f"- **Turning point {p.period}**: {p.direction}, {p.before:+.2f} → {p.after:+.2f}; driven by:")
            lines += [f"  - {e['date']} {e['source']} → {e['target']} {e['code']}: “{_md(e['sentence'])}” [{_ref(e)}]"
                      for e in p.events[:3]]
        lines += ["", "### Top events", ""]
        lines += [f"- {e['date']} {e['source']} → {e['target']} {e['code']} {e['event']} ({e['goldstein']:+.1f}): "
                  f"“{_md(e['sentence'])}” [{_ref(e)}]" for e in d.events] or ["- none"]
        lines += ["", "### Quotes", ""]
        lines += [f"- {q['speaker']}{' (' + q['affiliation'] + ')' if q['affiliation'] else ''}, {q['date']}: "
                  f"“{_md(q['text'])}” [{_ref(q)}]" for q in d.quotes] or ["- none"]
        lines += ["", "### Forecasts", ""]
        lines += [f"- open: {f['forecaster'] or 'unattributed'} ({f['probability']:.0%}"
                  f"{', by ' + str(f['horizon']) if f['horizon'] else ''}): “{_md(f['text'])}” [{f['id']}]"
                  for f in d.open_forecasts]
        lines += [f"- resolved **{f['outcome']}** ({f['resolved_by']}): {f['forecaster'] or 'unattributed'} said "
                  f"{f['probability']:.0%}: “{_md(f['text'])}” — {_md(f['evidence'] or '')} [{f['id']}]"
                  for f in d.resolved_forecasts]
        if not d.open_forecasts and not d.resolved_forecasts:
            lines.append("- none")
        lines += ["", "### Sources", ""]
        lines += [f"- `{s['doc_id']}` {s['date']} {_md(s['outlet'] or '')} — {_md(s['title'] or s['origin'])}"
                  f"{' <' + s['url'] + '>' if is_web(s['url']) else ''}" for s in d.sources]
        lines.append("")
    return "\n".join(lines)


@cache
def _template() -> Any:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["clip"] = clip
    env.tests["web"] = is_web
    return env.from_string((resources.files("barometer") / "templates" / "digest.html").read_text(encoding="utf-8"))


def render_html(digest: Digest) -> str:
    """The digest as one HTML page; everything from documents is escaped."""
    return _template().render(digest=digest, window=_window_text(digest), generated=date.today().isoformat())


def _window_text(digest: Digest) -> str:
    if digest.since or digest.until:
        return f", {digest.since or '…'} to {digest.until or '…'}"
    return ""


def is_web(url: str | None) -> bool:
    """Only http(s) addresses become links: a document's 'javascript:' URL must not."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _md(text: str) -> str:
    """Document text for Markdown: clipped, with '<' and '>' as entities so that it cannot become markup in a
    Markdown renderer (Jinja escapes the HTML page on its own)."""
    return clip(text).replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int = 240) -> str:
    """One line of at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _ref(row: dict[str, Any]) -> str:
    return f"{row['doc_id']}:{row['start_char']}-{row['end_char']}"
