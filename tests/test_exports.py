import csv
import json
import re

import duckdb
import pytest

from barometer.errors import BarometerError
from barometer.exports import GDELT_COLUMNS, export
from barometer.models import Actor, Analysis, Article, Duplicate, Event, Failure, Forecast, Quote, Tone
from barometer.store import Filters, Store

VISIT = "Russian Foreign Minister Sergei Lavrov travelled to Beijing on Monday for talks with Chinese officials."
ACCUSATION = "The United States accused Russia of helping Iran evade sanctions."
LAVROV = f"{VISIT}\n\n{ACCUSATION}"
DRILLS = ("China did not send warships to the strait. Japan criticized China over the naval drills. "
          "Analysts expect talks between the two governments to resume within weeks.")
NATO = "NATO said it was monitoring the situation along the border."

RUSSIA, CHINA, USA, JAPAN = (Actor(text=n, start=0, end=len(n), name=n, country=c, role=None, kind="state", code=c)
                             for c, n in (("RUS", "Russia"), ("CHN", "China"), ("USA", "United States"),
                                          ("JPN", "Japan")))
LAVROV_ACTOR = Actor(text="Sergei Lavrov", start=25, end=38, name="Sergei Lavrov", country="RUS", role="GOV",
                     kind="person", code="RUSGOV", office="Foreign Minister")
ALLIANCE = Actor(text="NATO", start=0, end=4, name="NATO", country=None, role="MIL", kind="igo", code="IGOWSTNAT")


def _event(source, target, code, name, quad, goldstein, plover, verb, text, sentence, day, negated=False):
    start = text.index(sentence)
    return Event(source=source, target=target, code=code, root=code[:2], name=name, quad_class=quad,
                 goldstein=goldstein, plover=plover, verb=verb, sentence=sentence, start=start,
                 end=start + len(sentence), negated=negated, reported=False, date=day)


def _analysis(doc_id, text, day, events, url=None, tone=0.0, quotes=(), forecasts=(), source="Example Wire"):
    article = Article(id=doc_id, title=f"Story {doc_id}", url=url, date=day, source=source, authors=(),
                      text=text, removed=(), truncated=False, origin=f"{doc_id}.txt")
    actors = tuple(dict.fromkeys(a for e in events for a in (e.source, e.target) if a))
    return Analysis(article=article, actors=actors, events=tuple(events), quotes=quotes, forecasts=forecasts,
                    tone=Tone(tone, 1.0, 1.0 - tone))


@pytest.fixture
def db(tmp_path):
    """A store of three hand-made articles: a visit and an accusation; a negated show of force, a criticism and a
    forecast; a NATO statement (no PLOVER category); a copy of the first. Closed, so that tests open it read-only as the CLI does."""
    visit = _event(LAVROV_ACTOR, CHINA, "042", "Make a visit", 1, 1.9, "CONSULT", "travelled to", LAVROV, VISIT,
                   "2025-03-11")
    accuse = _event(USA, RUSSIA, "112", "Accuse, not specified", 3, -2.0, "ACCUSE", "accused", LAVROV, ACCUSATION,
                    "2025-03-11")
    show = _event(CHINA, JAPAN, "150", "Show military or police power", 4, -7.2, "MOBILIZE", "send", DRILLS,
                  "China did not send warships to the strait.", "2025-06-02", negated=True)
    criticize = _event(JAPAN, CHINA, "111", "Criticize or denounce", 3, -2.0, "ACCUSE", "criticized", DRILLS,
                       "Japan criticized China over the naval drills.", "2025-06-02")
    said = _event(ALLIANCE, None, "010", "Make a statement", 1, 0.0, None, "said", NATO, NATO, "2025-06-03")
    said_text = "it was monitoring the situation along the border"
    quote = Quote(text=said_text, start=NATO.index(said_text), end=NATO.index(said_text) + len(said_text),
                  kind="indirect", cue="said", speaker=ALLIANCE)
    expect = DRILLS.index("Analysts")
    forecast = Forecast(text=DRILLS[expect:], start=expect, end=len(DRILLS), cue="expect", probability=0.7,
                        polarity="positive", horizon=None, forecaster=None, event=None)
    path = tmp_path / "b.duckdb"
    with Store(path) as store:
        store.add(_analysis("d1", LAVROV, "2025-03-11", [visit, accuse], url="https://news.example/lavrov", tone=-0.8))
        store.add(_analysis("d2", DRILLS, "2025-06-02", [show, criticize], forecasts=(forecast,)))
        store.add(_analysis("d3", NATO, "2025-06-03", [said], quotes=(quote,), source="Border\tWatch\n"))
        store.add_failure(Failure("broken.html", "read", "no text"))
        store.add_duplicate(Duplicate("copy.html", "d9", "d1", "exact", 1.0, "Lavrov, again"))
        store.set_resolution("d2", 0, "yes", note="The two foreign ministers met in Hanoi a month later.")
    return path


def _tsv(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_exports_gdelt_rows_follow_the_61_column_codebook(db, tmp_path):
    assert len(GDELT_COLUMNS) == 61 and GDELT_COLUMNS[26] == "EventCode" and GDELT_COLUMNS[-1] == "SOURCEURL"
    with Store(db, read_only=True) as store:
        result = export(store, "gdelt", tmp_path / "events.CSV")
    lines = _tsv(tmp_path / "events.CSV")
    assert result.rows == {tmp_path / "events.CSV": 4} and len(lines) == 4   # no header; the negated event is out
    assert all(len(line) == 61 for line in lines)
    rows = {row["EventCode"]: row for row in (dict(zip(GDELT_COLUMNS, line)) for line in lines)}
    assert set(rows) == {"042", "112", "111", "010"}
    visit = rows["042"]
    assert (visit["SQLDATE"], visit["MonthYear"], visit["Year"], visit["FractionDate"]) == \
        ("20250311", "202503", "2025", "2025.1945")           # GDELT: 2025 + (2 * 30 + 11) / 365
    assert (visit["EventBaseCode"], visit["EventRootCode"], visit["QuadClass"], visit["GoldsteinScale"]) == \
        ("042", "04", "1", "1.9")
    assert (visit["Actor1Code"], visit["Actor1Name"], visit["Actor1CountryCode"], visit["Actor1Type1Code"]) == \
        ("RUSGOV", "SERGEI LAVROV", "RUS", "GOV")
    assert (visit["Actor2Code"], visit["Actor2CountryCode"], visit["Actor2Type1Code"]) == ("CHN", "CHN", "")
    assert (visit["IsRootEvent"], rows["112"]["IsRootEvent"]) == ("1", "0")   # lead paragraph or not
    assert (visit["NumMentions"], visit["AvgTone"], visit["ActionGeo_Type"], visit["ActionGeo_Lat"]) == \
        ("1", "-0.8", "0", "")
    assert visit["SOURCEURL"] == "https://news.example/lavrov" and rows["111"]["SOURCEURL"] == "d2.txt"
    assert re.fullmatch(r"\d{14}", visit["DATEADDED"])
    nato = rows["010"]                                            # IGO type, WST region, NAT group
    assert (nato["Actor1KnownGroupCode"], nato["Actor1Type1Code"], nato["Actor1CountryCode"], nato["Actor2Code"]) \
        == ("NAT", "IGO", "", "")
    ids = [int(row["GLOBALEVENTID"]) for row in rows.values()]
    assert len(set(ids)) == 4 and all(0 < i < 2**63 for i in ids)
    with Store(db, read_only=True) as store:                     # ids are the same on every export
        export(store, "gdelt", tmp_path / "again.CSV")
    assert [line[0] for line in _tsv(tmp_path / "again.CSV")] == [line[0] for line in lines]


def test_exports_icews_has_its_header_and_country_names(db, tmp_path):
    with Store(db, read_only=True) as store:
        export(store, "icews", tmp_path / "events.tab")
    with (tmp_path / "events.tab").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = {row["CAMEO Code"]: row for row in reader}
    assert reader.fieldnames == [
        "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
        "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
        "City", "District", "Province", "Country", "Latitude", "Longitude"]
    assert set(rows) == {"042", "112", "111", "010"}
    visit = rows["042"]
    assert (visit["Event Date"], visit["Source Name"], visit["Source Sectors"], visit["Source Country"]) == \
        ("2025-03-11", "Sergei Lavrov", "GOV", "Russia")
    assert (visit["Target Country"], visit["Intensity"], visit["Event Text"], visit["Story ID"]) == \
        ("China", "1.9", "Make a visit", "d1")
    assert (visit["Sentence Number"], rows["112"]["Sentence Number"], rows["111"]["Sentence Number"]) == ("1", "2", "2")
    assert (rows["112"]["Source Country"], rows["010"]["Source Country"], rows["010"]["Target Name"]) == \
        ("United States", "", "")
    assert visit["Publisher"] == "Example Wire" and visit["Country"] == ""
    assert rows["010"]["Publisher"] == "Border Watch " and None not in rows["010"]   # a tab or newline is a space


def test_exports_plover_json_lines_carry_categories_actors_and_evidence(db, tmp_path):
    with Store(db, read_only=True) as store:
        result = export(store, "plover", tmp_path / "events.jsonl")
    [(path, count)] = result.rows.items()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert count == len(records) == 3                              # no statement (010), no negated event
    visit = next(r for r in records if r["cameo"] == "042")
    assert (visit["id"], visit["date"], visit["event"], visit["quad_code"]) == ("d1:0", "2025-03-11", ["CONSULT"], 1)
    assert visit["actor"] == [{"code": "RUS", "sector": "GOV", "identifier_text": "Sergei Lavrov"}]
    assert visit["recipient"] == [{"code": "CHN", "sector": None, "identifier_text": "China"}]
    assert (visit["mode"], visit["context"], visit["goldstein"]) == ([], [], 1.9)
    info = visit["text_info"]
    assert LAVROV[info["start"]:info["end"]] == visit["text"] and visit["text"] == VISIT
    assert visit["cite_info"]["url"] == "https://news.example/lavrov" and visit["cite_info"]["citation"] == "d1"
    assert {r["event"][0] for r in records} == {"CONSULT", "ACCUSE"}


def test_exports_parquet_holds_every_table_with_its_rows(db, tmp_path):
    with Store(db, read_only=True) as store:
        result = export(store, "parquet", tmp_path / "dump")
        tables = [r["table_name"] for r in store.query("SELECT table_name FROM information_schema.tables "
                                                       "WHERE table_name <> 'schema_migrations' ORDER BY 1")]
        counts = {t: store.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in tables}
    assert {"actors", "documents", "events", "failures", "forecasts", "quotes"} <= set(tables)
    assert sorted(p.name for p in result.rows) == [f"{t}.parquet" for t in tables]
    con = duckdb.connect()
    for table in tables:
        path = str(tmp_path / "dump" / f"{table}.parquet")
        assert con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0] == counts[table] > 0
    assert counts["events"] == 5                                   # tables keep negated events
    codes = con.execute("SELECT code FROM read_parquet(?) ORDER BY doc_id, seq",
                        [str(tmp_path / "dump" / "events.parquet")]).fetchall()
    assert [c for (c,) in codes] == ["042", "112", "150", "111", "010"]


def test_exports_csv_tables_have_a_header_and_keep_codes_as_text(db, tmp_path):
    with Store(db, read_only=True) as store:
        result = export(store, "csv", tmp_path / "dump")
        columns = [r["column_name"] for r in store.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position")]
    assert result.rows[tmp_path / "dump" / "documents.csv"] == 3
    with (tmp_path / "dump" / "events.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == columns and len(rows) == 5
    assert {r["code"] for r in rows} == {"042", "112", "150", "111", "010"}


def test_exports_filters_choose_events_in_either_direction(db, tmp_path):
    with Store(db, read_only=True) as store:
        export(store, "gdelt", tmp_path / "chn.CSV", Filters(dyad=("CHN", "RUS")))
        export(store, "gdelt", tmp_path / "late.CSV", Filters(since="2025-06-01"))
        tables = export(store, "parquet", tmp_path / "dump", Filters(dyad=("JPN", "CHN")))
    assert [line[26] for line in _tsv(tmp_path / "chn.CSV")] == ["042"]           # RUS -> CHN matches CHN-RUS
    assert sorted(line[26] for line in _tsv(tmp_path / "late.CSV")) == ["010", "111"]
    assert tables.rows[tmp_path / "dump" / "events.parquet"] == 2                   # both JPN-CHN events, negated too
    assert tables.rows[tmp_path / "dump" / "documents.parquet"] == 3                # other tables are whole


def test_exports_unknown_format_names_the_choices(db, tmp_path):
    with Store(db, read_only=True) as store, pytest.raises(BarometerError, match=r"'xml'.*gdelt, icews, plover"):
        export(store, "xml", tmp_path / "out.xml")
    assert not (tmp_path / "out.xml").exists()


def test_exports_unwritable_output_is_a_clear_error(db, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with Store(db, read_only=True) as store:
        with pytest.raises(BarometerError, match="does not exist"):
            export(store, "gdelt", tmp_path / "missing" / "events.CSV")
        with pytest.raises(BarometerError, match="does not exist"):
            export(store, "parquet", tmp_path / "missing" / "dump")
        with pytest.raises(BarometerError, match="is a file"):
            export(store, "csv", tmp_path / "file.txt")
        with pytest.raises(BarometerError, match="cannot write"):
            export(store, "icews", tmp_path)                         # a folder where a file should go
