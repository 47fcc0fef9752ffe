"""Duplicates: exact and near copies are linked to their original and not analysed again; other stories are not."""

import json

from typer.testing import CliRunner

from barometer.cli import app
from barometer.dedup import DuplicateIndex, signature
from barometer.models import Analysis, Duplicate, Source
from barometer.pipeline import run
from barometer.reading import read_source
from barometer.settings import Settings
from barometer.store import Store

runner = CliRunner()

WIRE = ('The foreign ministers of Norway and Finland met in Tromso on Thursday to discuss fishing rights in '
        'the Barents Sea, officials from both governments said after the meeting.\n\n'
        'The two ministers agreed to set up a joint commission on quotas before the end of the year, and to '
        'share data from their research vessels, according to a statement released by the Norwegian foreign '
        'ministry.\n\n'
        "Finland's minister said the talks had been open and useful, and that both countries wanted to avoid "
        'the disputes that marked the last season. Fishing groups in the north welcomed the agreement.\n\n'
        'A second round of talks is planned for Helsinki in the spring.')

# the same wire story on another site: a new headline, a credit line, the last paragraph cut
SYNDICATED = ("Nordic neighbours agree on fish quota commission\n\n" + WIRE.rsplit("\n\n", 1)[0]
              + "\n\nReporting by the Northern Desk; editing by the night team.")

# another story on the same subject: shares names and words, but not the text
FOLLOW_UP = ('Fishing groups in northern Norway said on Monday they would ask for seats on the new commission on '
             'quotas that the foreign ministers of Norway and Finland agreed to set up last week in Tromso.\n\n'
             'The groups want the commission to publish its research data and to meet in the north rather than in '
             'the capitals, a spokesman said. The Finnish government has not yet named its members.\n\n'
             'Talks between the two governments on the Barents Sea will continue in Helsinki in the spring.')


def _article(text, origin):
    return read_source(Source(origin=origin, content=text, kind="text"))


def test_dedup_exact_and_near_copies_are_found_and_other_stories_are_not():
    index = DuplicateIndex(0.8)
    original = _article(WIRE, "wire.txt")
    assert index.check(original) is None
    exact = index.check(_article(WIRE.replace("\n", " ").upper(), "upper.txt"))   # spacing and case do not count
    assert (exact.kind, exact.original_id, exact.similarity) == ("exact", original.id, 1.0)
    near = index.check(_article(SYNDICATED, "syndicated.txt"))
    assert near.kind == "near" and near.original_id == original.id and 0.8 <= near.similarity < 1.0
    assert index.check(_article(FOLLOW_UP, "follow-up.txt")) is None
    assert len(index) == 2   # the copies were not remembered as originals
    again = index.check(original)
    assert again.kind == "same"   # the stored document read again from its own origin


def test_dedup_threshold_one_finds_exact_copies_only_and_short_texts_are_compared_exactly():
    index = DuplicateIndex(1.0)
    assert index.check(_article(WIRE, "a.txt")) is None
    assert index.check(_article(SYNDICATED, "b.txt")) is None
    assert signature("Ministers met in Oslo.") is None
    short = DuplicateIndex(0.5)
    assert short.check(_article("Ministers met in Oslo on Friday to talk about fish.", "c.txt")) is None
    assert short.check(_article("Ministers met in Oslo on Monday to talk about fish.", "d.txt")) is None


def test_dedup_runner_skips_copies_when_given_an_index(nlp):
    sources = [Source(origin=name, content=text, kind="text", date="2025-03-06")
               for name, text in (("wire.txt", WIRE), ("syndicated.txt", SYNDICATED), ("follow.txt", FOLLOW_UP))]
    with_index = list(run(sources, Settings(), duplicates=DuplicateIndex()))
    assert [type(r) for r in with_index] == [Analysis, Duplicate, Analysis]
    assert with_index[1].original_id == with_index[0].article.id
    assert [type(r) for r in run(sources, Settings())] == [Analysis] * 3   # no index: every document analysed


def test_dedup_ingest_links_copies_to_stored_documents_across_runs(tmp_path, nlp):
    folder = tmp_path / "first"
    folder.mkdir()
    (folder / "wire.txt").write_text(WIRE)
    later = tmp_path / "second"
    later.mkdir()
    (later / "syndicated.txt").write_text(SYNDICATED)
    (later / "copy.jsonl").write_text(json.dumps({"text": WIRE, "id": "copy-1", "title": "Same again"}) + "\n")
    (later / "follow.txt").write_text(FOLLOW_UP)
    db = str(tmp_path / "d.duckdb")
    first = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["ingest", str(later), "--db", db])
    assert second.exit_code == 0, second.output
    assert "stored 1 new documents" in second.output and "recorded 2 duplicates" in second.output
    assert "near duplicate of document" in second.output
    third = runner.invoke(app, ["ingest", str(folder), str(later), "--db", db])   # nothing new, nothing repeated
    assert "stored 0 new documents, skipped 2 already stored, recorded 2 duplicates" in third.output
    with Store(db, read_only=True) as store:
        rows = {r["origin"].rsplit("/", 1)[-1]: r for r in store.duplicates()}
        wire_id = store.query("SELECT id FROM documents WHERE origin LIKE '%wire.txt'")[0]["id"]
        assert store.counts()["documents"] == 2 and store.counts()["duplicates"] == 2
    assert rows.keys() == {"syndicated.txt", "copy.jsonl:1"}
    assert {r["original_id"] for r in rows.values()} == {wire_id}
    assert rows["copy.jsonl:1"]["kind"] == "exact" and rows["copy.jsonl:1"]["title"] == "Same again"
    assert rows["syndicated.txt"]["kind"] == "near" and rows["syndicated.txt"]["original_origin"].endswith("wire.txt")
    listed = runner.invoke(app, ["duplicates", "--db", db, "--format", "jsonl"])
    assert listed.exit_code == 0 and len(listed.output.strip().splitlines()) == 2


def test_dedup_signatures_are_computed_for_documents_stored_without_one(tmp_path, nlp):
    db = tmp_path / "d.duckdb"
    (tmp_path / "wire.txt").write_text(WIRE)
    runner.invoke(app, ["ingest", str(tmp_path / "wire.txt"), "--db", str(db)])
    with Store(db) as store:   # as a store written before signatures were kept
        store.con.execute("DELETE FROM signatures")
        index = store.duplicate_index(0.8)
        assert store.query("SELECT count(*) AS n FROM signatures WHERE minhash IS NOT NULL")[0]["n"] == 1
    assert index.check(_article(SYNDICATED, "s.txt")).kind == "near"
