import pytest

from barometer.digest import build_digest, render_html, render_markdown
from barometer.errors import BarometerError
from barometer.models import Actor, Analysis, Article, Event, Quote, Tone
from barometer.plot import plot_series
from barometer.series import change_points, dyad_series, turning_points
from barometer.store import Store


def _state(code):
    return Actor(text=code, start=0, end=3, name=code, country=code, role=None, kind="state", code=code)


def _doc(doc_id, day, source, target, code, goldstein, quad, text, tone=0.0, quotes=()):
    event = Event(source=_state(source), target=_state(target), code=code, root=code[:2], name="", quad_class=quad,
                  goldstein=goldstein, plover=None, verb="", sentence=text, start=0, end=len(text), negated=False,
                  reported=False, date=day)
    url = "javascript:alert(1)" if doc_id == "n50" else f"https://news.example/{doc_id}"
    article = Article(id=doc_id, title=f"Story {doc_id}", url=url, date=day,
                      source="Harbour Gazette", authors=(), text=text, removed=(), truncated=False, origin=doc_id)
    return Analysis(article=article, actors=(), events=(event,), quotes=quotes, forecasts=(), tone=Tone(tone, 0, 0))


@pytest.fixture
def store(tmp_path):
    """Four cold months between Norway and Iceland (fishing quarrel), then four warm ones; Chile–Peru as background."""
    with Store(tmp_path / "s.duckdb") as s:
        for month in range(1, 9):
            cold = month <= 4
            for n in range(3):
                text = (f"Norway seized Icelandic trawler number {month}-{n} in the disputed zone <script>." if cold
                        else f"Norway and Iceland signed fishing protocol {month}-{n}.")
                s.add(_doc(f"n{month}{n}", f"2024-{month:02d}-{10 + n}", "NOR", "ISL", "171" if cold else "057",
                           -9.2 if cold else 8.0, 4 if cold else 2, text, tone=-3.0 if cold else 2.0))
            s.add(_doc(f"c{month}", f"2024-{month:02d}-20", "CHL", "PER", "042", 1.9, 1, f"Chile met Peru {month}."))
        quote = Quote(text="“The quarrel is behind us,” the minister said.", start=0, end=40, kind="direct",
                      cue="said", speaker=_state("ISL"))
        s.add(_doc("q1", "2024-05-11", "ISL", "NOR", "057", 8.0, 2, "Iceland and Norway signed the accord.",
                   quotes=(quote,)))
        yield s


def test_dyad_series_counts_share_tone_and_net_cooperation(store):
    rows = dyad_series(store, "NOR", "ISL", by="month")
    assert len(rows) == 8
    january, may = rows[0], rows[4]
    assert (january["events"], january["material_conflict"], january["net_cooperation"]) == (3, 3, -1.0)
    assert january["share"] == pytest.approx(75.0)          # 3 of the month's 4 coded events
    assert january["tone"] == pytest.approx(-3.0)
    assert may["events"] == 4 and may["goldstein_mean"] == pytest.approx(8.0) and may["net_cooperation"] == 1.0
    mid_month = dyad_series(store, "NOR", "ISL", by="month", since="2024-01-11")[0]
    assert mid_month["events"] == 2 and mid_month["share"] == pytest.approx(66.67)   # volume in the window too
    directed = dyad_series(store, "NOR", "ISL", by="month", directed=True)
    assert directed[4]["events"] == 3                       # Iceland's own signing is ISL -> NOR
    with pytest.raises(BarometerError, match="period"):
        dyad_series(store, "NOR", "ISL", by="fortnight")


def test_turning_point_found_where_the_level_changes_with_its_drivers(store):
    rows = dyad_series(store, "NOR", "ISL", by="month")
    (point,) = turning_points(store, "NOR", "ISL", rows, by="month", penalty=10)
    assert point.period.isoformat() == "2024-05-01" and point.direction == "improving"
    assert point.before == pytest.approx(-9.2) and point.after == pytest.approx(8.0)
    assert point.events and all(e["doc_id"] and e["sentence"] for e in point.events)
    assert point.events[0]["goldstein"] == pytest.approx(8.0)   # the strongest move toward the new level
    assert [q["speaker"] for q in point.quotes] == ["ISL"]
    assert turning_points(store, "NOR", "ISL", rows[:3], by="month") == []   # too short to split
    assert change_points([0, 0, 0, 0, 0, 0], penalty=1) == []


def test_digest_markdown_and_html_cite_evidence_and_escape_text(store):
    digest = build_digest(store, ("NOR", "ISL"), by="month")
    (section,) = digest.dyads
    assert section.direction == "improving" and section.points
    markdown = render_markdown(digest)
    assert "## NOR–ISL: improving" in markdown and "Turning point 2024-05-01" in markdown
    # records cite document and offsets; the turning point lists the events that drove it
    turn = markdown.split("Turning point 2024-05-01", 1)[1].split("### Top events")[0]
    assert "NOR → ISL 057" in turn and "q1:0-" in markdown
    page = render_html(digest)
    assert page.startswith("<!doctype html>") and "@media print" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "javascript:" not in page and 'href="https://news.example/' in page   # only web addresses are links
    assert "<script>" not in markdown and "javascript:" not in markdown
    assert "http" not in page.split("<body>")[0]                 # nothing fetched: no external assets
    busiest = build_digest(store, None, by="month")
    assert [(d.a, d.b) for d in busiest.dyads][:2] == [("ISL", "NOR"), ("CHL", "PER")]


def test_plot_writes_a_png_with_turning_points(store, tmp_path):
    rows = dyad_series(store, "NOR", "ISL", by="month")
    out = plot_series(rows, turning_points(store, "NOR", "ISL", rows, by="month"), "NOR–ISL", tmp_path / "p.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    with pytest.raises(BarometerError, match="nothing to plot"):
        plot_series([], [], "empty", tmp_path / "e.png")
    with pytest.raises(BarometerError, match="must end in .png"):
        plot_series(rows, [], "NOR–ISL", tmp_path / "chart.svg")
    with pytest.raises(BarometerError, match="cannot write plot"):
        plot_series(rows, [], "NOR–ISL", tmp_path / "missing" / "p.png")


def test_forecasts_about_a_dyad_are_the_same_in_every_listing(store):
    """The register (`forecasts --dyad`, /forecasts?dyad=) and the dyad page use one rule: the predicted event is
    between the two, or the forecast codes no dyad and its story has an event between them."""
    from dataclasses import replace

    from barometer.models import Forecast
    from barometer.series import dyad_forecasts
    from barometer.store import Filters

    def forecast(event):
        return Forecast(text="It will probably change.", start=0, end=24, cue="probably", probability=0.7,
                        polarity="positive", horizon=None, forecaster=None, event=event)

    base = _doc("f1", "2024-06-01", "NOR", "ISL", "057", 8.0, 2, "Norway and Iceland signed. It will change.")
    about = replace(base.events[0], source=_state("ISL"), target=_state("NOR"))
    elsewhere = replace(base.events[0], target=_state("CHL"))          # Norway, but with Chile
    store.add(replace(base, forecasts=(forecast(about), forecast(elsewhere), forecast(None))))
    listed = store.forecasts(Filters(dyad=("NOR", "ISL")))
    assert sorted(f["id"] for f in listed) == ["f1:0", "f1:2"]
    assert store.count_forecasts(Filters(dyad=("NOR", "ISL"))) == 2
    rows, total = dyad_forecasts(store, "NOR", "ISL")
    assert total == 2 and sorted(r["id"] for r in rows) == ["f1:0", "f1:2"]
