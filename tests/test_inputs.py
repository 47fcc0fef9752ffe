import gzip
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from barometer.inputs import iter_sources
from barometer.models import Failure, Source


def _collect(paths, max_bytes=1_000_000):
    return list(iter_sources([str(p) for p in paths], max_bytes=max_bytes))


def test_inputs_directory_recurses_and_sniffs_kinds(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_text("<html><body><p>Hello there, world.</p></body></html>")
    (tmp_path / "note.txt").write_text("Plain words about a meeting.")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG\r\n")
    items = _collect([tmp_path])
    kinds = sorted((type(i).__name__, getattr(i, "kind", None)) for i in items)
    assert kinds == [("Source", "html"), ("Source", "text")]


def test_inputs_jsonl_good_and_bad_records(tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [json.dumps({"id": "w1", "text": "Ministers met.", "date": "2025-02-01", "url": "https://x.example/1"}),
             "{not json",
             json.dumps({"id": "w2", "title": "No body"}),
             json.dumps({"html": "<p>Talks went on.</p>", "title": "T"}),
             json.dumps(["a", "list"])]
    path.write_text("\n".join(lines) + "\n")
    items = _collect([path])
    sources = [i for i in items if isinstance(i, Source)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert [s.id for s in sources] == ["w1", None]
    assert sources[0].date == "2025-02-01" and sources[1].kind == "html"
    assert sorted(f.origin for f in failures) == [f"{path}:2", f"{path}:3", f"{path}:5"]
    assert all(f.reason for f in failures)


def test_inputs_bad_files_fail_with_reasons_and_the_rest_go_on(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage\x00")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(b"<p>cut</p>")[:12])
    (tmp_path / "big.txt").write_text("word " * 400)
    (tmp_path / "good.txt").write_text("The envoy arrived.")
    items = _collect([tmp_path, tmp_path / "missing.txt"], max_bytes=1000)
    failures = {f.origin.rsplit("/", 1)[-1]: f.reason for f in items if isinstance(f, Failure)}
    assert "binary" in failures["binary.txt"]
    assert "empty" in failures["empty.txt"]
    assert "cannot read" in failures["broken.html.gz"]
    assert "max_file_bytes" in failures["big.txt"]
    assert "no such file" in failures["missing.txt"]
    assert [i.origin.rsplit("/", 1)[-1] for i in items if isinstance(i, Source)] == ["good.txt"]


def test_inputs_latin1_and_bom_are_decoded(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Le ministre a visité Genève.".encode("latin-1"))
    (tmp_path / "bom.txt").write_bytes("\ufeffThe minister left.".encode("utf-8"))
    items = {i.origin.rsplit("/", 1)[-1]: i for i in _collect([tmp_path])}
    assert "Genève" in items["latin.txt"].content
    assert items["bom.txt"].content == "The minister left."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".html.gz", ".md"]))
def test_inputs_random_bytes_never_crash_and_are_accounted_for(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    items = _collect([path])
    assert items, "every input yields a Source or a Failure"
    assert all(isinstance(i, (Source, Failure)) for i in items)
    assert all(i.reason for i in items if isinstance(i, Failure))


def test_inputs_utf16_and_pretty_printed_json(tmp_path):
    (tmp_path / "wide.txt").write_bytes("The envoy left Kyiv.".encode("utf-16"))
    (tmp_path / "one.json").write_text(json.dumps({"id": "p1", "text": "Talks ended.", "date": "2025-01-02"}, indent=2))
    items = {i.origin.rsplit("/", 1)[-1]: i for i in _collect([tmp_path])}
    assert items["wide.txt"].content == "The envoy left Kyiv."
    assert items["one.json:1"].id == "p1"


def test_inputs_legacy_encodings_of_other_alphabets_go_to_the_detector():
    from barometer.inputs import decode

    western = "Le ministre a visité Genève et Zürich à l'été, dit-il.".encode("cp1252")
    assert decode(western, "w.txt") == "Le ministre a visité Genève et Zürich à l'été, dit-il."
    greek = "Η Ελλάδα και η Κύπρος υπέγραψαν συμφωνία για την ενέργεια.".encode("cp1253")
    assert decode(greek, "g.txt") == "Η Ελλάδα και η Κύπρος υπέγραψαν συμφωνία για την ενέργεια."

