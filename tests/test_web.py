"""The dashboard in-process (ASGI): every page and its JSON twin, paging, bad parameters, escaping, read-only."""

import re
from dataclasses import replace
from datetime import date

from urllib.parse import quote

import duckdb
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from barometer.models import Actor, Analysis, Article, Event, Forecast, Quote, Tone
from barometer.pages import highlight
from barometer.plot import chart_layout
from barometer.settings import Settings
from barometer.store import Store
from barometer.web import RECORD_KINDS, _document_text, create_app

RECORD_LISTS = [kind + "s" for kind in RECORD_KINDS]

HOSTILE = "<script>alert('x')</script>"
ODD_ID = "wire/2024/04?x=1#y%"      # ids come from inputs: any string


def _actor(text, start, code, kind="state", name=None):
    return Actor(text=text, start=start, end=start + len(text), name=name or text, country=code[:3], role=None,
                 kind=kind, code=code)


def _story(doc_id, day, cold, n, *, title=None, url=None):
    """A Norway–Iceland story: a seizure (cold) or a fishing protocol (warm), a quote and a forecast."""
    if cold:
        first = f"Norway seized Icelandic trawler {n} in the disputed zone."
        code, goldstein, quad, verb = "171", -9.2, 4, "seized"
    else:
        first = f"Norway and Iceland signed fishing protocol {n}."
        code, goldstein, quad, verb = "057", 8.0, 2, "signed"
    said = "“We will not back down,” Foreign Minister Eide said."
    predicted = "Analysts said talks will probably resume by June."
    text = f"{first} {said} {predicted}"
    norway = _actor("Norway", 0, "NOR")
    iceland = _actor("Iceland" if not cold else "Icelandic", text.index("Iceland"), "ISL")
    eide = _actor("Foreign Minister Eide", text.index("Foreign"), "NORGOV", "person", "Espen Barth Eide")
    event = Event(source=norway, target=iceland, code=code, root=code[:2], name="", quad_class=quad,
                  goldstein=goldstein, plover=None, verb=verb, sentence=first, start=0, end=len(first), negated=False,
                  reported=False, date=day)
    quote = Quote(text="We will not back down,", start=text.index("We will"), end=text.index(",”") + 1, kind="direct",
                  cue="said", speaker=eide)
    future = Event(source=norway, target=iceland, code="046", root="04", name="", quad_class=1, goldstein=7.0,
                   plover=None, verb="resume", sentence=predicted, start=text.index("Analysts"), end=len(text),
                   negated=False, reported=False, date=day)
    forecast = Forecast(text=predicted, start=text.index("Analysts"), end=len(text), cue="probably",
                        probability=0.7, polarity="positive", horizon="2024-06-30", forecaster=None, event=future)
    article = Article(id=doc_id, title=title or f"Story {doc_id}", url=url or f"https://news.example/{doc_id}",
                      date=day, source="Harbour Gazette", authors=(), text=text, removed=(), truncated=False,
                      origin=doc_id)
    events = (event,)
    if doc_id == "n50":   # a word of praise too (QuadClass 1) beside the first warm month's signing
        events += (replace(event, code="051", root="05", quad_class=1, goldstein=3.4, verb="praised"),)
    return Analysis(article=article, actors=(norway, iceland, eide), events=events, quotes=(quote,),
                    forecasts=(forecast,), tone=Tone(-2.0 if cold else 2.0, 0, 0))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Four cold months between Norway and Iceland, then four warm ones; Chile–Peru as background; one hostile
    document (script in title and text, a javascript: address)."""
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    with Store(path) as store:
        for month in range(1, 9):
            for n in range(3):
                store.add(_story(f"n{month}{n}", f"2024-{month:02d}-{10 + n}", month <= 4, f"{month}-{n}"))
        chile, peru = _actor("Chile", 0, "CHL"), _actor("Peru", 10, "PER")
        for month in range(1, 4):
            text = f"Chile met Peru over border crossing {month}."
            event = Event(source=chile, target=peru, code="042", root="04", name="", quad_class=1, goldstein=1.9,
                          plover=None, verb="met", sentence=text, start=0, end=len(text), negated=False,
                          reported=False, date=f"2024-0{month}-20")
            article = Article(id=f"c{month}", title=f"Border talks {month}", url=None, date=f"2024-0{month}-20",
                              source=None, authors=(), text=text, removed=(), truncated=False, origin=f"c{month}")
            store.add(Analysis(article, (chile, peru), (event,), (), (), Tone(0, 0, 0)))
        hostile = _story("evil", "2024-03-01", True, HOSTILE, title=f"Trawler {HOSTILE}", url="javascript:alert(1)")
        store.add(hostile)
        text = "Chile met Peru again."
        event = Event(source=chile, target=peru, code="042", root="04", name="", quad_class=1, goldstein=1.9,
                      plover=None, verb="met", sentence=text, start=0, end=len(text), negated=False, reported=False,
                      date="2024-04-02")
        lost = Quote(text="a quote whose offsets lie past the text", start=500, end=540, kind="direct", cue="said",
                     speaker=chile)
        article = Article(id=ODD_ID, title="Odd id", url=None, date="2024-04-02", source=None, authors=(), text=text,
                          removed=(), truncated=False, origin="odd")
        store.add(Analysis(article, (chile,), (event,), (lost,), (), Tone(0, 0, 0)))
        store.set_resolution("n10", 0, "no", "user", evidence="talks did not resume")
    return path


@pytest.fixture(scope="module")
def client(db):
    app = create_app(Settings(db=str(db)))
    with TestClient(app) as test_client:
        yield test_client


def _json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_web_overview_ranks_dyads_with_direction_and_turning_point(client):
    data = _json(client, "/overview.json?by=month")
    assert data["counts"]["documents"] == 29
    assert data["dyads"]["total"] == 2
    first = data["dyads"]["items"][0]
    assert (first["pair"], first["events"], first["direction"]) == ("ISL-NOR", 26, "improving")
    assert first["last_turning_point"]["period"] == "2024-05-01"
    assert first["last_turning_point"]["before"] < 0 < first["last_turning_point"]["after"]
    page = _json(client, "/overview.json?limit=1&offset=1")
    assert [d["pair"] for d in page["dyads"]["items"]] == ["CHL-PER"] and page["dyads"]["total"] == 2
    html = _html(client, "/")
    assert 'href="/dyad/ISL-NOR?by=month"' in html and "improving" in html and "<polyline" in html
    assert 'href="/overview.json"' in html


def test_web_dyad_page_has_chart_turning_point_and_events_behind_a_period(client):
    data = _json(client, "/dyad/NOR-ISL.json")
    assert len(data["series"]) == 8 and data["trend"]["direction"] == "improving"
    assert [p["period"] for p in data["turning_points"]] == ["2024-05-01"]
    assert data["events"]["total"] == 26 and data["events"]["items"][0]["date"] == "2024-08-12"  # newest first
    assert {q["speaker"] for q in data["quotes"]["items"]} == {"Espen Barth Eide"}
    assert (data["quotes"]["total"], len(data["quotes"]["items"])) == (25, 20)
    assert len(_json(client, "/dyad/NOR-ISL.json?quotes_offset=20")["quotes"]["items"]) == 5
    assert (data["forecasts"]["total"], len(data["forecasts"]["items"])) == (25, 20)
    assert len(_json(client, "/dyad/NOR-ISL.json?forecasts_offset=20")["forecasts"]["items"]) == 5
    drivers = {e["code"] for e in data["turning_points"][0]["events"]}
    assert "051" in drivers                                # the praise helped the turn ...
    filtered = _json(client, "/dyad/NOR-ISL.json?quad=2&quad=4")["turning_points"][0]["events"]
    assert "051" not in {e["code"] for e in filtered}     # ... but not among material events only
    march = _json(client, "/dyad/NOR-ISL.json?period=2024-03-17")   # any day of the month: its month
    assert march["events"]["total"] == 4 and {e["date"][:7] for e in march["events"]["items"]} == {"2024-03"}
    assert len(march["series"]) == 8 and march["window"]["period"] == "2024-03-01"   # the events, not the chart
    week = _json(client, "/dyad/NOR-ISL.json?by=week&period=2024-03-13")
    assert week["window"]["period"] == "2024-03-11" and week["events"]["total"] == 2   # Monday 11 … Sunday 17
    paged = _json(client, "/dyad/NOR-ISL.json?limit=10&offset=20")
    assert len(paged["events"]["items"]) == 6 and paged["events"]["offset"] == 20
    warm_only = _json(client, "/dyad/NOR-ISL.json?quad=2")
    assert warm_only["events"]["total"] == 12 and len(warm_only["series"]) == 4
    directed = _json(client, "/dyad/ISL-NOR.json?directed=true")
    assert directed["events"]["total"] == 0 and directed["series"] == []
    html = _html(client, "/dyad/NOR-ISL?by=month")
    assert '<svg id="chart"' in html and html.count('class="point"') == 8 and 'class="turn"' in html
    assert 'id="event-table"' in html and "/document/n82#event-0" in html
    assert 'href="/dyad/NOR-ISL?by=month&amp;period=2024-03-01#events"' in html
    assert "next →" in _html(client, "/dyad/NOR-ISL?limit=10")
    assert "No events between" in _html(client, "/dyad/ISL-NOR?directed=true")


def test_web_document_page_marks_records_and_escapes_the_text(client):
    data = _json(client, "/document/n10.json")
    assert data["document"]["title"] == "Story n10"
    assert [len(data[k]) for k in ("actors", "events", "quotes", "forecasts")] == [3, 1, 1, 1]
    assert data["forecasts"][0]["outcome"] == "no"
    html = _html(client, "/document/n10")
    for anchor in ('id="event-0"', 'id="quote-0"', 'id="forecast-0"', 'id="actor-2"', 'id="row-event-0"'):
        assert anchor in html
    pieces = {p["text"]: p for p in _document_text(data["document"], **{k: data[k] for k in RECORD_LISTS})["pieces"]}
    assert pieces["Norway"]["kinds"] == ["actor", "event"] and pieces["Norway"]["title"] == "Norway = NOR"
    assert pieces["Foreign Minister Eide"]["kinds"] == ["actor"]      # the speaker is outside the quote
    assert pieces["We will not back down,"]["kinds"] == ["quote"]
    evil = _html(client, "/document/evil")
    assert HOSTILE not in evil and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in evil
    assert 'href="javascript:' not in evil


def test_web_forecasts_register_filters_and_scores(client):
    data = _json(client, "/forecasts.json?status=resolved")
    assert data["forecasts"]["total"] == 1
    (resolved,) = data["forecasts"]["items"]
    assert (resolved["id"], resolved["outcome"], resolved["evidence"]) == ("n10:0", "no", "talks did not resume")
    everything = _json(client, "/forecasts.json?limit=5")
    assert everything["forecasts"]["total"] == 25 and len(everything["forecasts"]["items"]) == 5
    assert everything["forecasts"]["items"][0]["date"] == "2024-08-12"     # newest first
    (card,) = everything["scorecards"]["items"]
    assert card["resolved"] == 1 and card["brier"] == pytest.approx(0.49)
    assert _json(client, "/forecasts.json?dyad=CHL-PER")["forecasts"]["total"] == 0
    html = _html(client, "/forecasts?status=resolved")
    assert "talks did not resume" in html and 'class="badge no"' in html and 'id="calibration"' in html


def test_web_search_finds_word_starts_in_documents_and_quotes(client):
    data = _json(client, "/search.json?q=trawl+disputed")
    assert data["terms"] == ["trawl", "disputed"]
    assert data["documents"]["total"] == 13                 # 12 cold stories and the hostile one
    hit = data["documents"]["items"][0]
    assert hit["snippet"][hit["marks"][0][0]:hit["marks"][0][1]].lower() == "trawl"
    assert _json(client, "/search.json?q=rawler")["documents"]["total"] == 0      # not inside a word
    quotes = _json(client, "/search.json?q=BACK+down")["quotes"]
    assert quotes["total"] == 25 and len(quotes["items"]) == 20
    listing = _json(client, "/search.json?limit=3")
    assert listing["documents"]["total"] == 29 and len(listing["documents"]["items"]) == 3
    html = _html(client, "/search?q=protocol")
    assert "<mark>protocol</mark>" in html
    evil = _html(client, "/search?q=script")
    assert HOSTILE not in evil and "&lt;" in evil


@pytest.mark.parametrize("url, message", [
    ("/dyad/NOR-ISL.json?since=2024-13-01", "since '2024-13-01' is not a date"),
    ("/dyad/NOR-ISL.json?since=2024-05-01&until=2024-01-01", "is after until"),
    ("/dyad/NOR-XYZ.json", "XYZ is not a country code"),
    ("/dyad/NORWAY.json", "must be two three-letter country codes"),
    ("/dyad/NOR-ISL.json?quad=5&quad=2", "quad 5 is not a QuadClass"),
    ("/dyad/NOR-ISL.json?quad=one", "quad"),
    ("/dyad/NOR-ISL.json?period=soon", "period 'soon' is not a date"),
    ("/dyad/NOR-ISL.json?by=fortnight", "by"),
    ("/dyad/NOR-ISL.json?limit=0", "limit"),
    ("/overview.json?limit=100000", "limit"),
    ("/forecasts.json?status=maybe", "status"),
    ("/forecasts.json?dyad=USA", "dyad 'USA'"),
    ("/search.json?q=%21%3F", "has no words"),
])
def test_web_bad_parameters_are_400_with_a_message(client, url, message):
    assert message in _json(client, url, 400)["error"]
    html = _html(client, url.replace("/overview.json", "/").replace(".json", "", 1), 400)
    assert "400" in html and "Bad request" in html


def test_web_unknown_things_are_404(client):
    assert "no document 'nope'" in _json(client, "/document/nope.json", 404)["error"]
    assert "no document" in _html(client, "/document/nope", 404)
    assert "nothing at /elsewhere" in _html(client, "/elsewhere", 404)


PARAMS = {
    "/": ["since", "until", "by", "limit", "offset"],
    "/dyad/NOR-ISL": ["since", "until", "by", "quad", "directed", "period", "limit", "offset", "quotes_offset",
                      "forecasts_offset"],
    "/forecasts": ["status", "dyad", "since", "until", "limit", "offset", "scorecards_offset"],
    "/search": ["q", "limit", "offset", "quotes_offset"],
}
_values = st.one_of(st.text(max_size=30), st.dates().map(date.isoformat), st.integers(-2, 10**10).map(str),
                    st.sampled_from(["", "0", "-1", "9999-12-31", "0001-01-01", "day", "week", "month", "true",
                                     "USA-RUS", "NOR-ISL", "resolved", "%", "..", "/"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(sorted(PARAMS)), as_json=st.booleans(), data=st.data())
def test_web_no_parameter_value_makes_a_server_error(client, page, as_json, data):
    params = data.draw(st.dictionaries(st.sampled_from(PARAMS[page]), _values, max_size=4))
    path = ("/overview" if page == "/" else page) + ".json" if as_json else page
    response = client.get(path, params=params)
    assert response.status_code in (200, 400), (path, params, response.text[:200])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["dyad", "document"]), value=st.text(min_size=1, max_size=20), as_json=st.booleans())
def test_web_no_path_value_makes_a_server_error(client, kind, value, as_json):
    response = client.get(f"/{kind}/{quote(value, safe='')}" + (".json" if as_json else ""))
    assert response.status_code in (200, 400, 404), (kind, value, response.text[:200])


def test_web_every_link_leads_to_an_anchor_that_exists(client):
    """Every '#x' on a page and every '/document/…#x' points at an element with that id."""
    pages = ["/", "/dyad/NOR-ISL", "/dyad/CHL-PER", f"/document/{quote(ODD_ID, safe='')}", "/document/n50",
             "/forecasts", "/search?q=chile", "/search?q=back"]
    documents: dict[str, str] = {}
    for url in pages:
        html = _html(client, url)
        ids = set(re.findall(r'id="([^"]+)"', html))
        for href in re.findall(r'href="([^"]+)"', html):
            href = href.replace("&amp;", "&")
            target, _, anchor = href.partition("#")
            if not anchor:
                continue
            if target:
                assert target.startswith(("/document/", "/dyad/", "/forecasts", "/search", "/")), href
                if target not in documents:
                    documents[target] = _html(client, target)
                assert f'id="{anchor}"' in documents[target], (url, href)
            else:
                assert anchor in ids, (url, href)
    assert any(ODD_ID in html for html in documents.values())      # the odd id made it there and back


def test_web_openapi_describes_every_json_twin_and_no_page(client):
    spec = _json(client, "/openapi.json")
    assert set(spec["paths"]) == {"/overview.json", "/dyad/{pair}.json", "/document/{doc_id}.json",
                                  "/forecasts.json", "/search.json"}
    params = {p["name"] for p in spec["paths"]["/dyad/{pair}.json"]["get"]["parameters"]}
    assert {"pair", "since", "until", "by", "quad", "directed", "period", "limit", "offset"} <= params
    assert client.get("/docs").status_code == 404            # Swagger UI would load scripts from the internet


def test_web_store_is_opened_read_only(db, client):
    with pytest.raises(duckdb.Error):
        client.app.state.store.con.execute("DELETE FROM documents")
    assert _json(client, "/overview.json")["counts"]["documents"] == 29


def test_web_serve_binds_to_loopback_unless_told(db, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from barometer.cli import app

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    assert CliRunner().invoke(app, ["serve", "--db", str(db)]).exit_code == 0
    result = CliRunner().invoke(app, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "9001"])
    assert result.exit_code == 0 and "anyone who can reach it" in result.stderr
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 8000), ("0.0.0.0", 9001)]
    missing = CliRunner().invoke(app, ["serve", "--db", str(db) + ".absent"])
    assert missing.exit_code != 0 and not calls[2:]


def test_web_highlight_cuts_nested_and_overlapping_spans():
    text = "Norway seized the Icelandic trawler."
    spans = [(0, 36, "event", "event-0"), (0, 6, "actor", "actor-0"), (18, 27, "actor", "actor-1"),
             (14, 35, "quote", "quote-0"), (30, 99, "forecast", "outside")]
    pieces = highlight(text, spans)
    assert "".join(p["text"] for p in pieces) == text
    assert pieces[0] == {"text": "Norway", "start": 0, "kinds": ["actor", "event"], "over": ["event-0", "actor-0"],
                         "anchors": ["event-0", "actor-0"]}
    icelandic = next(p for p in pieces if p["text"] == "Icelandic")
    assert icelandic["kinds"] == ["actor", "event", "quote"] and icelandic["anchors"] == ["actor-1"]
    assert not any("forecast" in p["kinds"] for p in pieces)


def test_web_chart_runs_to_scale_and_dashes_gaps():
    rows = [{"period": date(2024, m, 1), "events": e, "goldstein_mean": g} for m, e, g in
            [(1, 2, -10.0), (2, 4, 0.0), (5, 1, 10.0)]]
    layout = chart_layout(rows, [], by="month")
    xs = [p["x"] for p in layout["periods"]]
    assert xs == sorted(xs) and xs[2] - xs[1] > 2.5 * (xs[1] - xs[0])   # three months on, not one
    ys = [p["y"] for p in layout["periods"]]
    assert ys[0] == layout["line_bottom"] and ys[2] == layout["top"] and ys[1] == layout["zero_y"]
    assert len(layout["lines"]) == 2 and len(layout["gaps"]) == 1
    assert layout["periods"][1]["bar_height"] == layout["bottom"] - layout["bar_top"]   # the busiest is full height
