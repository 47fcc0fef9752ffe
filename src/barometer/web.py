"""The dashboard: server-rendered pages over a read-only store, each with a JSON twin from the same data function.

    /                  overview: the most active dyads, their direction and last turning point   /overview.json
    /dyad/USA-RUS      series chart, turning points, events, quotes, forecasts                  /dyad/USA-RUS.json
    /document/ID       the article with its actors, events, quotes and forecasts marked         /document/ID.json
    /forecasts         the register, scorecards and calibration                                 /forecasts.json
    /search?q=…        documents and quotes                                                     /search.json?q=…
    /openapi.json      the JSON API described

Pages are Jinja2 templates (``templates/web``) with autoescaping: everything that comes from a document is escaped;
only http(s) addresses become links. No script and no asset is loaded from anywhere. Bad parameters are a 400 with
a message (HTML or JSON, as the route), unknown ids a 404. The database is opened read-only (a database from an
older Barometer is first upgraded, as by every read command); each request reads through a cursor of its own, so
no DuckDB connection is used by two threads at once.
"""

# No "from __future__ import annotations": FastAPI reads the endpoints' annotations at run time.

import inspect
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from barometer import __version__
from barometer.actors import knowledge_for
from barometer.digest import clip, is_web
from barometer.errors import BarometerError, NotFoundError, QueryError, StoreError
from barometer.pages import (QUAD_CLASSES, document_page, dyad_page, forecasts_page, highlight, overview, search)
from barometer.plot import chart_layout, sparkline_points
from barometer.series import TurningPoint, period_start
from barometer.settings import Settings
from barometer.store import FORECAST_STATUSES, Store, parse_day, parse_dyad

MAX_LIMIT = 500
LOOPBACK = ("127.0.0.1", "localhost", "::1")


Since = Annotated[str | None, Query(description="First story date to include, YYYY-MM-DD.")]
Until = Annotated[str | None, Query(description="Last story date to include, YYYY-MM-DD.")]
By = Annotated[Literal["day", "week", "month"], Query(description="Period length of the series.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (1 … {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Rows to skip: the page's start.")]


def create_app(settings: Settings) -> FastAPI:
    """The dashboard over ``settings.db``, opened read-only now (so a missing store fails before serving)."""
    store = Store(settings.db, read_only=True)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        yield
        store.close()

    app = FastAPI(title="Barometer", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Read-only access to a Barometer store: every dashboard page as JSON. "
                              "Lists are paged with limit and offset.")
    app.state.store = store
    app.state.penalty = settings.turning_penalty
    app.state.countries = knowledge_for(settings).countries   # built-in ones and the user's
    _routes(app)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(BarometerError, _barometer_error)
    app.add_exception_handler(Exception, _server_error)
    return app


def _reader(request: Request) -> Iterator[Store]:
    """The store, through a cursor of this request's own."""
    store = request.app.state.store.cursor()
    try:
        yield store
    finally:
        store.close()


Reader = Annotated[Store, Depends(_reader)]


def _routes(app: FastAPI) -> None:
    countries = app.state.countries

    def overview_data(request: Request, store: Reader, since: Since = None, until: Until = None,
                      by: By = "month", limit: Limit = 10, offset: Offset = 0) -> dict[str, Any]:
        """The most active dyads (undirected), each with direction, Goldstein series and last turning point; the
        store's counts and latest documents."""
        first, last = _window(since, until)
        return overview(store, since=first, until=last, by=by, penalty=request.app.state.penalty, limit=limit,
                        offset=offset)

    def dyad_data(request: Request, store: Reader, pair: str, since: Since = None, until: Until = None,
                  by: By = "month",
                  quad: Annotated[list[int], Query(description="QuadClasses to keep (1 … 4); repeat for several.")] = [],
                  directed: Annotated[bool, Query(description="Only events from the first country to the second.")] = False,
                  period: Annotated[str | None, Query(description="Show the events, quotes and forecasts of the "
                                                                  "period (of length by) holding this date.")] = None,
                  limit: Limit = 50, offset: Offset = 0, quotes_offset: Offset = 0,
                  forecasts_offset: Offset = 0) -> dict[str, Any]:
        """A dyad's series with turning points and trend, a page of its events, quotes by either side, forecasts."""
        a, b = _pair(pair, countries)
        first, last = _window(since, until)
        return dyad_page(store, a, b, since=first, until=last, by=by, quad=tuple(quad), directed=directed,
                         period=_period(period, by), penalty=request.app.state.penalty, limit=limit,
                         offset=offset, quotes_offset=quotes_offset, forecasts_offset=forecasts_offset)

    def document_data(store: Reader, doc_id: str) -> dict[str, Any]:
        """A document's text with every actor, event, quote and forecast found in it, with offsets."""
        return document_page(store, doc_id)

    def forecasts_data(store: Reader,
                       status: Annotated[Literal[tuple(FORECAST_STATUSES)], Query(description="Which forecasts.")] = "all",
                       dyad: Annotated[str | None, Query(description="Two country codes, e.g. USA-RUS.")] = None,
                       since: Since = None, until: Until = None, limit: Limit = 50,
                       offset: Offset = 0, scorecards_offset: Offset = 0) -> dict[str, Any]:
        """The forecast register (newest first) with outcomes and evidence; scorecards; calibration."""
        first, last = _window(since, until)
        return forecasts_page(store, status=status, dyad=_pair(dyad, countries) if dyad else None, since=first, until=last,
                              limit=limit, offset=offset, scorecards_offset=scorecards_offset)

    def search_data(store: Reader,
                    q: Annotated[str, Query(max_length=200, description="Words to find; empty lists documents.")] = "",
                    limit: Limit = 20, offset: Offset = 0, quotes_offset: Offset = 0) -> dict[str, Any]:
        """Documents and quotes containing every word of q (at word starts), best first."""
        return search(store, q, limit=limit, offset=offset, quotes_offset=quotes_offset)

    _twin(app, "/", "/overview.json", "overview.html", overview_data, "Overview")
    _twin(app, "/dyad/{pair}", "/dyad/{pair}.json", "dyad.html", dyad_data, "Dyad")
    # ids come from the inputs and may hold '/': the path convertor takes them whole (an id ending in '.json' has
    # its page shadowed by the twin of the id without it; its own twin is at ID.json.json)
    _twin(app, "/document/{doc_id:path}", "/document/{doc_id:path}.json", "document.html", document_data, "Document")
    _twin(app, "/forecasts", "/forecasts.json", "forecasts.html", forecasts_data, "Forecasts")
    _twin(app, "/search", "/search.json", "search.html", search_data, "Search")


def _twin(app: FastAPI, path: str, json_path: str, template: str, data: Callable[..., dict[str, Any]],
          title: str) -> None:
    """Serve ``data`` as JSON at ``json_path`` (in the OpenAPI description) and as a page at ``path``."""
    app.get(json_path, summary=title, description=data.__doc__, tags=["pages"])(data)
    signature = inspect.signature(data)
    takes_request = "request" in signature.parameters

    def page(**kwargs: Any) -> HTMLResponse:
        request = kwargs["request"] if takes_request else kwargs.pop("request")
        return _render(template, request, data(**kwargs), title=title)

    page.__signature__ = signature.replace(parameters=_with_request(signature))   # the same, plus the request
    page.__name__ = f"{data.__name__}_page"
    app.get(path, include_in_schema=False, response_class=HTMLResponse)(page)


def _with_request(signature: inspect.Signature) -> list[inspect.Parameter]:
    params = list(signature.parameters.values())
    if "request" not in signature.parameters:
        params.insert(0, inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request))
    return params


def _pair(value: str, countries: dict[str, str]) -> tuple[str, str]:
    pair = parse_dyad(value)
    if pair is None:
        raise QueryError("a dyad needs two country codes, like USA-RUS")
    for code in pair:
        if code not in countries:
            raise QueryError(f"{code} is not a country code Barometer knows (ISO 3166-1 alpha-3, like USA or RUS)")
    return pair


def _period(value: str | None, by: str) -> date | None:
    """The first day of the period of length ``by`` that holds the date ``value``."""
    day = parse_day(value, "period")
    return period_start(day, by) if day else None


def _window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    first, last = parse_day(since, "since"), parse_day(until, "until")
    if first and last and first > last:
        raise QueryError(f"since {first} is after until {last}")
    return (first.isoformat() if first else None), (last.isoformat() if last else None)


# --- rendering -------------------------------------------------------------------------------------------------

@cache
def _templates() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("barometer", "templates/web"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["clip"] = clip
    env.filters["signed"] = lambda v, digits=2: "" if v is None else f"{v:+.{digits}f}"
    env.filters["percent"] = lambda v: "" if v is None else f"{v:.0%}"
    env.filters["pieces"] = _pieces
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    env.tests["web"] = is_web
    env.globals.update(quad_classes=QUAD_CLASSES, chart=_chart, sparkline_points=sparkline_points,
                       document_text=_document_text, url=_url, statuses=list(FORECAST_STATUSES))
    return env


def _render(template: str, request: Request, data: dict[str, Any], *, title: str,
            status_code: int = 200) -> HTMLResponse:
    json_url = None
    if status_code == 200:   # the twin of this page: its path (slashes collapsed: '//host' is another site) + .json
        path = "/" + request.url.path.lstrip("/")
        json_url = quote("/overview.json" if path == "/" else path + ".json") + (
            f"?{request.url.query}" if request.url.query else "")
    html = _templates().get_template(template).render(title=title, request=request, json_url=json_url, **data)
    return HTMLResponse(html, status_code=status_code)


def _url(request: Request, path: str | None = None, **changes: Any) -> str:
    """This page's address (or ``path``'s) with some query parameters changed; None removes one."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes] if path is None else []
    for key, value in changes.items():
        if value is None or value == "" or value is False:
            continue
        for item in (value if isinstance(value, (list, tuple)) else [value]):
            params.append((key, str(item)))
    query = urlencode(params)
    return (path or request.url.path) + (f"?{query}" if query else "")


def _pieces(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut at the marks: (piece, marked) pairs for a template to wrap marked pieces in <mark>."""
    out, at = [], 0
    for start, end in marks:
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    out.append((text[at:], False))
    return [p for p in out if p[0]]


RECORD_KINDS = ("actor", "event", "quote", "forecast")


def _document_text(document: dict[str, Any], **records: list[dict[str, Any]]) -> dict[str, Any]:
    """The document page's text cut into pieces under its records' spans (anchors ``event-3`` and so on), each
    piece's ``title`` naming the actors it is part of; and the anchors placed (a record whose span is missing or
    outside the text gets its anchor on its row instead)."""
    spans = [(r["start_char"], r["end_char"], kind, f"{kind}-{r['seq']}")
             for kind in RECORD_KINDS for r in records[kind + "s"]
             if r["start_char"] is not None and r["end_char"] is not None]
    actors = {f"actor-{r['seq']}": f"{r['text']} = {r['code'] or '?'}"
              + (f" ({r['name']})" if r["name"] not in (None, r["text"]) else "") for r in records["actors"]}
    pieces = highlight(document["text"], spans)
    for piece in pieces:
        piece["title"] = "; ".join(actors[a] for a in piece["over"] if a in actors)
    return {"pieces": pieces, "placed": {a for piece in pieces for a in piece["anchors"]}}


def _chart(series: list[dict[str, Any]], points: list[dict[str, Any]], by: str) -> dict[str, Any]:
    """The SVG chart's layout for a dyad page's series and turning points (as the page data has them)."""
    return chart_layout(series, [TurningPoint(p["period"], p["before"], p["after"], p["direction"]) for p in points],
                        by=by)


# --- errors ------------------------------------------------------------------------------------------------------

def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    titles = {400: "Bad request", 404: "Not found", 500: "Server error"}
    return _render("error.html", request, {"status": status, "message": message},
                   title=titles.get(status, "Error"), status_code=status)


async def _invalid(request: Request, exc: Exception) -> Response:
    problems = []
    for err in exc.errors():   # type: ignore[attr-defined]
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
        got = f" (got {err['input']!r})" if "input" in err and err["input"] is not None else ""
        problems.append(f"{where}: {err.get('msg', 'invalid')}{got}")
    return _error(request, 400, "; ".join(problems) or "invalid request")


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", None)
    if status == 404 and detail in (None, "Not Found"):
        detail = f"nothing at {request.url.path}"
    return _error(request, status, str(detail))


async def _barometer_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, NotFoundError):
        return _error(request, 404, str(exc))
    if isinstance(exc, StoreError):
        return _error(request, 500, str(exc))
    return _error(request, 400, str(exc))


async def _server_error(request: Request, exc: Exception) -> Response:
    return _error(request, 500, f"the page could not be made ({exc.__class__.__name__}); the server log has details")


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the dashboard with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")

