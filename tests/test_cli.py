"""The command line end to end, on the example corpus and on bad input."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sys

from barometer.cli import app, main

pytestmark = pytest.mark.model

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "examples" / "corpus"
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(corpus_db, tmp_path_factory):
    """A copy of the ingested corpus: these tests ingest into it again."""
    db = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    shutil.copy(corpus_db, db)
    return db


def test_cli_analyze_html_prints_the_contract():
    page = sorted((CORPUS / "html").glob("*.html"))[2]
    result = runner.invoke(app, ["analyze", str(page)])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.strip().splitlines()
    record = json.loads(line)
    for key in ("id", "title", "url", "date", "source", "authors", "text", "removed", "truncated", "actors",
                "events", "quotes", "forecasts", "tone"):
        assert key in record
    assert record["actors"] and record["events"] and record["quotes"]
    for event in record["events"]:
        assert record["text"][event["start"]:event["end"]] == event["sentence"]
        assert isinstance(event["code"], str) and event["code"][:2] == event["root"]
    for actor in record["actors"]:
        assert record["text"][actor["start"]:actor["end"]] == actor["text"]
    for quote in record["quotes"]:
        assert record["text"][quote["start"]:quote["end"]] == quote["text"]


def test_cli_ingest_corpus_is_idempotent_and_queryable(demo_db):
    again = runner.invoke(app, ["ingest", str(CORPUS), "--db", str(demo_db)])
    assert again.exit_code == 0
    assert "stored 0 new documents" in again.stderr
    events = runner.invoke(app, ["events", "--dyad", "USA-RUS", "--format", "jsonl", "--db", str(demo_db)])
    rows = [json.loads(l) for l in events.stdout.splitlines()]
    assert len(rows) >= 20
    assert all({r["source"][:3], r["target"][:3]} == {"USA", "RUS"} for r in rows)
    quotes = runner.invoke(app, ["quotes", "--format", "csv", "--db", str(demo_db)])
    assert quotes.exit_code == 0 and quotes.stdout.startswith("date,speaker")


def test_cli_dyad_shows_deterioration_then_thaw(demo_db):
    result = runner.invoke(app, ["dyad", "USA", "RUS", "--format", "jsonl", "--db", str(demo_db)])
    rows = {r["period"][:7]: r for r in map(json.loads, result.stdout.splitlines())}
    spring = [rows[m]["goldstein_mean"] for m in ("2025-03", "2025-04", "2025-05") if m in rows]
    autumn = [rows[m]["goldstein_mean"] for m in ("2025-08", "2025-09", "2025-10") if m in rows]
    assert spring and autumn
    assert sum(spring) / len(spring) < 0 < sum(autumn) / len(autumn)


def test_cli_bad_input_is_reported_and_the_batch_goes_on(tmp_path):
    db = tmp_path / "b.duckdb"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x00binary")
    (tmp_path / "in" / "good.txt").write_text("Japan and China agreed to open a maritime hotline on Friday.")
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db), "--date", "2025-09-17"])
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "binary" in result.stderr
    failures = runner.invoke(app, ["failures", "--format", "jsonl", "--db", str(db)])
    (row,) = [json.loads(l) for l in failures.stdout.splitlines()]
    assert row["stage"] == "read" and row["origin"].endswith("bad.txt")
    listed = runner.invoke(app, ["events", "--format", "jsonl", "--db", str(db)])
    assert any(json.loads(l)["date"] == "2025-09-17" for l in listed.stdout.splitlines())
    again = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert again.exit_code == 1
    count = runner.invoke(app, ["failures", "--format", "jsonl", "--db", str(db)])
    assert len(count.stdout.splitlines()) == 1


def test_cli_bad_options_are_one_line_errors_with_exit_code_2(tmp_path, demo_db, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["barometer", "events", "--dyad", "USA", "--db", str(demo_db)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip() == ("Error: dyad 'USA' must be two three-letter country codes joined by "
                                               "'-', like USA-RUS")


def test_cli_results_keep_input_order_with_failures_between(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Japan and China agreed to open a maritime hotline.")
    (folder / "b.txt").write_text("   ")
    (folder / "c.txt").write_text("Russia expelled three American diplomats.")
    from barometer.inputs import InputOptions, iter_sources
    from barometer.pipeline import run
    from barometer.settings import Settings
    results = list(run(iter_sources([str(folder)], InputOptions(max_bytes=10_000)), Settings()))
    assert [getattr(r, "origin", None) or r.article.origin for r in results] == [str(folder / n) for n in "abc" for n in [f"{n}.txt"]]


def test_cli_stdin_and_date(tmp_path):
    result = runner.invoke(app, ["analyze", "-", "--date", "2025-02-01"],
                           input="Russia expelled three American diplomats on Tuesday.")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["date"] == "2025-02-01" and record["events"]


def test_cli_actors_resolve_and_list_by_date():
    before = runner.invoke(app, ["actors", "resolve", "President-elect Joe Biden", "--date", "2020-12-15", "-f", "jsonl"])
    after = runner.invoke(app, ["actors", "resolve", "President Joe Biden", "--date", "2021-03-01", "-f", "jsonl"])
    assert json.loads(before.stdout)["code"] == "USAELI"
    assert json.loads(after.stdout)["code"] == "USAGOV"
    listed = runner.invoke(app, ["actors", "list", "--country", "RUS", "--date", "2010-06-01", "-f", "jsonl"])
    offices = {r["role"]: r["name"] for r in map(json.loads, listed.stdout.splitlines())}
    assert offices["head_of_state"] == "Dmitry Medvedev" and offices["head_of_government"] == "Vladimir Putin"


def test_cli_forecast_register_resolve_set_and_scores(demo_db, tmp_path):
    db = tmp_path / "register.duckdb"
    shutil.copy(demo_db, db)
    listed = runner.invoke(app, ["forecasts", "--db", str(db), "--status", "open", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    ids = [row["id"] for row in json.loads(listed.stdout)]
    assert ids and all(row["outcome"] is None for row in json.loads(listed.stdout))
    proposed = runner.invoke(app, ["forecasts", "resolve", "--db", str(db), "--format", "json"])
    proposals = json.loads(proposed.stdout)
    # the corpus: an analyst expects Washington to answer Moscow's expulsions "within weeks"; it does two weeks later
    expel = next(p for p in proposals if "expel" in p["forecast"])
    assert expel["outcome"] == "yes" and "expelled" in expel["evidence"]
    stored = runner.invoke(app, ["forecasts", "resolve", "--accept", "--db", str(db), "--format", "json"])
    assert stored.exit_code == 0 and len(json.loads(stored.stdout)) == len(proposals)
    other = next(i for i in ids if i not in {p["id"] for p in proposals})
    assert runner.invoke(app, ["forecasts", "set", other, "no", "--db", str(db)]).exit_code == 0
    resolved = json.loads(runner.invoke(app, ["forecasts", "--db", str(db), "--status", "resolved",
                                              "--format", "json"]).stdout)
    assert {r["id"] for r in resolved} == {p["id"] for p in proposals} | {other}
    scores = json.loads(runner.invoke(app, ["forecasts", "scores", "--db", str(db), "--format", "json"]).stdout)[0]
    assert sum(card["resolved"] for card in scores["scorecards"]) == len(resolved)
    assert sum(row["forecasts"] for row in scores["calibration"]) == len(resolved)



@pytest.mark.parametrize("args, message", [
    (["forecasts", "set", "nonsense", "yes"], "Error: forecast id 'nonsense' must look like DOCID:SEQ"),
    (["forecasts", "set", "nonsense:1", "yes", "--db", "missing.duckdb"], "Error: no database at missing.duckdb"),
    (["forecasts", "resolve", "--accept", "--db", "missing.duckdb"], "Error: no database at missing.duckdb"),
    (["dyad", "USA", "RUS", "--plot", "chart.svg"], "Error: plot file chart.svg must end in .png"),
])
def test_cli_register_and_plot_errors_are_one_line(demo_db, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    if "--db" not in args:
        args = [*args, "--db", str(demo_db)]
    monkeypatch.setattr(sys, "argv", ["barometer", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    assert capsys.readouterr().err.startswith(message)
    assert not (tmp_path / "missing.duckdb").exists()      # a mistyped --db is not created


def test_cli_export_gdelt_digest_and_plot(demo_db, tmp_path):
    import csv

    out = tmp_path / "usa-rus.export.CSV"
    result = runner.invoke(app, ["export", "--format", "gdelt", "--out", str(out), "--dyad", "USA-RUS",
                                 "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open(encoding="utf-8"), delimiter="\t"))
    assert rows and all(len(row) == 61 for row in rows)
    assert {row[7] for row in rows} | {row[17] for row in rows} >= {"USA", "RUS"}   # Actor1/Actor2 CountryCode
    page = tmp_path / "digest.html"
    assert runner.invoke(app, ["digest", "--dyad", "USA-RUS", "--by", "month", "--format", "html", "--out", str(page),
                               "--db", str(demo_db)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<h2>USA–RUS: <span class=\"improving\">improving</span></h2>" in html
    chart = tmp_path / "usa-rus.png"
    shown = runner.invoke(app, ["dyad", "USA", "RUS", "--plot", str(chart), "--db", str(demo_db)])
    assert "Turning point 2025-07-01: improving" in shown.stdout and chart.stat().st_size > 10_000
