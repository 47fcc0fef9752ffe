"""The runner: the order of results and failures when a stage breaks."""


def test_pipeline_a_document_that_breaks_the_parser_fails_alone(tmp_path):
    """nlp.pipe fails for the whole batch when one text breaks a component; the runner parses the batch again one
    by one, so only that document becomes a 'parse' failure and the others go on."""
    import spacy
    from spacy.language import Language

    from barometer.models import Failure, Source
    from barometer.pipeline import run
    from barometer.settings import Settings

    @Language.component("test_breaks_on_marker")
    def breaks_on_marker(doc):
        if "UNPARSABLE" in doc.text:
            raise ValueError("the marker text cannot be parsed")
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_breaks_on_marker")
    nlp.to_disk(tmp_path / "model")
    settings = Settings().with_overrides("test", {"spacy_model": str(tmp_path / "model")})
    sources = [Source(origin=name, content=text, kind="plain", date="2025-01-01")
               for name, text in (("first", "Norway met Iceland."), ("bad", "An UNPARSABLE text."),
                                  ("last", "Chile met Peru."))]
    results = list(run(sources, settings))
    assert [getattr(r, "origin", None) or r.article.origin for r in results] == ["first", "bad", "last"]
    failure = results[1]
    assert isinstance(failure, Failure) and failure.stage == "parse"
    assert "the marker text cannot be parsed" in failure.reason
    assert not any(isinstance(r, Failure) and r.stage == "parse" for r in (results[0], results[2]))


FRENCH = ("Les ministres des affaires étrangères de la Norvège et de la Finlande se sont rencontrés jeudi à Tromso "
          "pour parler de la pêche dans la mer de Barents, selon un communiqué publié après la réunion.")
GERMAN = ("Die Außenminister Norwegens und Finnlands haben sich am Donnerstag in Tromso getroffen, um über die "
          "Fischerei in der Barentssee zu sprechen.")
ENGLISH = "The foreign ministers of Norway and Finland met in Tromso on Thursday to talk about fishing rights."


def test_pipeline_a_text_not_in_english_is_kept_marked_and_not_analysed(tmp_path, nlp):
    from typer.testing import CliRunner

    from barometer.cli import app
    from barometer.models import Analysis, Source
    from barometer.pipeline import run
    from barometer.settings import Settings
    from barometer.store import Store

    sources = [Source(origin=name, content=text, kind="text", date="2025-03-06")
               for name, text in (("fr.txt", FRENCH), ("en.txt", ENGLISH))]
    french, english = run(sources, Settings())
    assert isinstance(french, Analysis) and french.article.language == "fr" and french.article.text == FRENCH
    assert (french.actors, french.events, french.quotes, french.forecasts) == ((), (), (), ())
    assert english.article.language == "en" and english.actors and english.events

    (tmp_path / "fr.txt").write_text(FRENCH)
    (tmp_path / "de.html").write_text(f"<html lang='de'><body><article><p>{GERMAN}</p><p>{GERMAN}</p></article></body></html>")
    db = str(tmp_path / "d.duckdb")
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "the text is in fr, not English; not analysed" in result.output
    listed = runner.invoke(app, ["failures", "--db", db, "--format", "jsonl"])
    rows = {r["origin"].rsplit("/", 1)[-1]: r for r in map(__import__("json").loads, listed.output.splitlines())}
    assert rows["fr.txt"]["stage"] == "language" and "in fr, not English" in rows["fr.txt"]["reason"]
    assert rows["de.html"]["stage"] == "language" and "in de" in rows["de.html"]["reason"]
    with Store(db, read_only=True) as store:
        stored = store.query("SELECT origin, language FROM documents ORDER BY origin")
    assert [r["language"] for r in stored] == ["de", "fr"]   # stored as read, and marked
    again = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    assert "stored 0 new documents, skipped 2 already stored" in again.output


def test_pipeline_language_identification_needs_a_clear_case():
    from barometer.reading import identify_language

    assert identify_language(FRENCH) == "fr" and identify_language(GERMAN) == "de"
    assert identify_language(ENGLISH) == "en"
    assert identify_language("Putin met Xi in Moscow.") == "en"               # too short to judge
    assert identify_language("Lavrov, Wang Yi, Fidan, Jaishankar, Vieira, Sybiha, Sikorski, Barrot, Tajani") == "en"
    mixed = ENGLISH + " The minister said: « " + FRENCH[:80] + " »."
    assert identify_language(mixed) == "en"                                    # English with a quote in French


def test_pipeline_pages_read_in_a_pool_of_processes_come_out_as_read_in_one(nlp):
    """read_workers > 1 reads a batch's pages in spawned processes: same articles, same order, same failures."""
    from pathlib import Path

    from barometer.models import Failure, Source
    from barometer.pipeline import run
    from barometer.settings import Settings

    pages = sorted((Path(__file__).parents[1] / "examples" / "corpus" / "html").glob("*.html"))[:5]
    sources = [Source(origin=p.name, content=p.read_text(encoding="utf-8"), kind="html") for p in pages]
    sources.insert(2, Source(origin="empty.html", content="<html><body><script>var a = 1;</script></body></html>", kind="html"))
    sources.insert(4, Source(origin="note.txt", content="Ministers met in Oslo on Friday.", kind="text"))

    def results(workers):
        settings = Settings().with_overrides("test", {"read_workers": workers})
        return [(r.origin, r.stage, r.reason) if isinstance(r, Failure) else (r.article, len(r.events))
                for r in run(sources, settings)]

    alone, pooled = results(1), results(2)
    assert pooled == alone
    assert alone[2][0] == "empty.html" and alone[2][1] == "read"
    assert sum(isinstance(r[0], str) for r in alone) == 1
