import gzip
import http.server
import json
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from barometer.errors import InputError
from barometer.inputs import USER_AGENT, InputOptions, iter_sources
from barometer.models import Failure, Source
from barometer.reading import fragment_text, read_source


def _collect(paths, max_bytes=1_000_000):
    return list(iter_sources([str(p) for p in paths], InputOptions(max_bytes=max_bytes)))


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



# --- web archives, feeds, OPML, URLs, globs -------------------------------------------------------------------------

STORY = ("<html><head><title>Envoys meet</title></head><body><article><h1>Envoys meet in Vienna</h1>"
         "<p>The foreign ministers of Austria and Hungary met in Vienna on Tuesday to discuss the river treaty, "
         "officials said after the talks.</p><p>Both sides agreed to meet again in the spring.</p>"
         "</article></body></html>")


def _warc_record(uri: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK",
                 number: int = 1) -> bytes:
    """One WARC/1.0 response record, written by hand as the format describes it."""
    http = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-03-04T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _crawl() -> list[bytes]:
    return [
        _warc_record("https://news.example/vienna", STORY.encode(), number=1),
        _warc_record("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n....", "image/png", number=2),
        _warc_record("https://news.example/old", b"", "text/html", "301 Moved Permanently", number=3),
        _warc_record("https://news.example/geneve", "<p>Le ministre a visité Genève hier soir.</p>".encode("latin-1"),
                     "text/html; charset=iso-8859-1", number=4),
    ]


def test_inputs_warc_pages_become_sources_and_the_rest_is_skipped(tmp_path):
    records = _crawl()
    (tmp_path / "crawl.warc").write_bytes(b"".join(records))
    (tmp_path / "crawl.warc.gz").write_bytes(b"".join(gzip.compress(r) for r in records))   # one member a record
    for name in ("crawl.warc", "crawl.warc.gz"):
        items = _collect([tmp_path / name])
        assert [type(i) for i in items] == [Source, Source], items
        vienna, geneve = items
        assert (vienna.kind, vienna.url, vienna.fetched) == ("html", "https://news.example/vienna", "2025-03-04")
        assert vienna.origin == f"{tmp_path / name}#1" and geneve.origin == f"{tmp_path / name}#4"
        assert "Genève" in geneve.content   # the charset the HTTP header declares


def test_inputs_broken_warc_files_fail_with_reasons(tmp_path):
    records = _crawl()
    whole = b"".join(gzip.compress(r) for r in records)
    (tmp_path / "cut.warc.gz").write_bytes(whole[: len(whole) - 60])       # the last record's member is cut
    (tmp_path / "cut.warc").write_bytes(records[0][:-120])                  # the page's body is cut
    (tmp_path / "junk.warc").write_bytes(b"this is not a web archive\r\n\r\nat all")
    (tmp_path / "images.warc").write_bytes(records[1])
    big = _warc_record("https://news.example/big", b"<p>" + b"word " * 400 + b"</p>")
    (tmp_path / "big.warc").write_bytes(big + records[0])
    items = _collect([tmp_path], max_bytes=1500)
    failures = {f.origin.rsplit("/", 1)[-1]: f.reason for f in items if isinstance(f, Failure)}
    sources = sorted(s.origin.rsplit("/", 1)[-1] for s in items if isinstance(s, Source))
    assert "cut short" in failures["cut.warc.gz#4"] and "cut short" in failures["cut.warc#1"]
    assert "malformed WARC" in failures["junk.warc"]
    assert "none of its 1 WARC response records is an HTML page" in failures["images.warc"]
    assert "max_file_bytes" in failures["big.warc#1"]
    assert sources == ["big.warc#2", "cut.warc.gz#1"]   # the good records of broken files are kept


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Border Desk</title><link>https://desk.example/</link><description>News</description>
<item><title>Ministers agree on river treaty</title><link>https://desk.example/treaty</link>
<pubDate>Tue, 04 Mar 2025 09:30:00 GMT</pubDate><dc:creator>Ana Ruiz</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The foreign ministers of Austria and Hungary signed the river treaty in Vienna.</p>
<p>They will meet again in May.</p>]]></content:encoded></item>
<item><title>Talks stall</title><link>https://desk.example/stall</link><pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Negotiators left Geneva without a deal on Wednesday.&lt;/p&gt; &lt;a href="https://desk.example/stall"&gt;Continue reading&lt;/a&gt;</description></item>
<item><title>Empty</title><link>https://desk.example/empty</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Notes</title><id>urn:harbour</id>
<updated>2025-04-01T00:00:00Z</updated>
<entry><title>Navy drills end</title><id>urn:harbour:1</id><link href="https://harbour.example/drills"/>
<published>2025-04-01T07:00:00Z</published><author><name>Lee Park</name></author>
<content type="text">The navy ended its drills near the strait on Monday.</content></entry>
</feed>"""


def test_inputs_feed_items_become_documents_with_their_metadata(tmp_path):
    (tmp_path / "desk.rss").write_text(RSS)
    (tmp_path / "harbour.xml").write_text(ATOM)
    items = _collect([tmp_path])
    by_origin = {i.origin.rsplit("/", 1)[-1]: i for i in items}
    full, teaser, atom = by_origin["desk.rss#1"], by_origin["desk.rss#2"], by_origin["harbour.xml#1"]
    assert (full.kind, full.title, full.url, full.date, full.authors, full.teaser) == (
        "fragment", "Ministers agree on river treaty", "https://desk.example/treaty", "2025-03-04", ("Ana Ruiz",), False)
    assert "signed the river treaty" in full.content and "Short summary" not in full.content
    assert teaser.teaser and teaser.date == "2025-03-05"
    assert "neither content nor a summary" in by_origin["desk.rss#3"].reason
    assert (atom.kind, atom.date, atom.authors, atom.url) == ("text", "2025-04-01", ("Lee Park",),
                                                               "https://harbour.example/drills")
    article = read_source(full)
    assert article.text == ("The foreign ministers of Austria and Hungary signed the river treaty in Vienna.\n\n"
                            "They will meet again in May.")
    assert (article.date, article.authors, article.truncated) == ("2025-03-04", ("Ana Ruiz",), False)
    cut = read_source(teaser)
    assert cut.truncated and cut.text == "Negotiators left Geneva without a deal on Wednesday."


def test_inputs_malformed_feeds_and_lists_fail_with_reasons(tmp_path):
    (tmp_path / "broken.rss").write_text("<rss><channel><title>cut")
    (tmp_path / "empty.atom").write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')
    (tmp_path / "bad.opml").write_text("<opml><body><outline text='x'")
    (tmp_path / "none.opml").write_text("<opml><body><outline text='folder'/></body></opml>")
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    failures = {f.origin.rsplit("/", 1)[-1]: f.reason for f in _collect([tmp_path])}
    assert failures.keys() == {"broken.rss", "empty.atom", "bad.opml", "none.opml", "sitemap.xml"}
    assert "feed" in failures["broken.rss"] and failures["empty.atom"] == "feed has no items"
    assert "malformed OPML" in failures["bad.opml"] and "names no feeds" in failures["none.opml"]
    assert "not a feed" in failures["sitemap.xml"]


class _Site(http.server.BaseHTTPRequestHandler):
    """A local web site: path -> (status, content type, body, delay in seconds)."""

    pages: dict[str, tuple[int, str, bytes, float]] = {}
    agents: list[str] = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/vienna")
            self.end_headers()
            return
        status, content_type, body, delay = self.pages.get(self.path, (404, "text/plain", b"not here", 0))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        time.sleep(delay)
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture()
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _Site.agents.clear()
    _Site.pages.clear()
    _Site.pages.update({
        "/vienna": (200, "text/html; charset=utf-8", STORY.encode(), 0),
        "/desk.rss": (200, "application/rss+xml", RSS.encode(), 0),
        "/harbour": (200, "application/xml", ATOM.encode(), 0),
        "/note": (200, "text/plain; charset=utf-8", "The envoy left Kyiv on Friday.".encode(), 0),
        "/slow": (200, "text/html", STORY.encode(), 3.0),
        "/big": (200, "text/html", b"<p>" + b"word " * 4000 + b"</p>", 0),
        "/logo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n", 0),
    })
    yield base
    server.shutdown()
    server.server_close()


def test_inputs_urls_are_fetched_with_our_user_agent_and_failures_named(site, tmp_path):
    urls = [f"{site}/{p}" for p in ("vienna", "moved", "desk.rss", "harbour", "note", "missing", "slow", "big",
                                    "logo.png")]
    options = InputOptions(max_bytes=10_000, fetch_timeout=1.0)
    items = list(iter_sources(urls, options))
    got = {i.origin.removeprefix(site): i for i in items}
    assert got["/vienna"].kind == "html" and got["/vienna"].url == f"{site}/vienna" and got["/vienna"].fetched
    assert got["/moved"].url == f"{site}/vienna"                         # the address after the redirect
    assert [got[f"/desk.rss#{n}"].title for n in (1, 2)] == ["Ministers agree on river treaty", "Talks stall"]
    assert got["/harbour#1"].title == "Navy drills end"
    assert got["/note"].kind == "text"
    assert got["/missing"].reason == "HTTP 404 Not Found"
    assert "timed out" in got["/slow"].reason
    assert "max_file_bytes" in got["/big"].reason
    assert "image/png" in got["/logo.png"].reason
    assert _Site.agents and all(agent == USER_AGENT and agent.startswith("Barometer/") for agent in _Site.agents)
    unreachable = list(iter_sources(["http://127.0.0.1:9/nothing"], options))
    assert isinstance(unreachable[0], Failure) and "cannot fetch" in unreachable[0].reason


def test_inputs_opml_reads_local_and_fetched_feeds(site, tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "harbour.atom").write_text(ATOM)
    (tmp_path / "list.opml").write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        f'<outline text="Desk" type="rss" xmlUrl="{site}/desk.rss"/>'
        f'<outline text="Local"><outline text="Harbour" xmlUrl="feeds/harbour.atom"/></outline>'
        f'<outline text="Gone" xmlUrl="{site}/gone.rss"/><outline text="Me again" xmlUrl="list.opml"/></body></opml>')
    items = _collect([tmp_path / "list.opml"])
    titles = [i.title for i in items if isinstance(i, Source)]
    assert titles == ["Ministers agree on river treaty", "Talks stall", "Navy drills end"]
    failures = {i.origin: i.reason for i in items if isinstance(i, Failure)}
    assert failures[f"{site}/gone.rss"] == "HTTP 404 Not Found"
    assert "not followed" in failures[str(tmp_path / "list.opml")]   # a list naming itself does not loop


def test_inputs_include_and_exclude_globs_choose_files_in_directories(tmp_path):
    for name in ("2025/a.html", "2025/b.txt", "drafts/c.html", ".git/d.txt", "e.html", "notes.log"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<p>The envoy arrived in Oslo.</p>" if name.endswith("html") else "The envoy left.")

    def names(**globs):
        return sorted(s.origin.removeprefix(f"{tmp_path}/") for s in iter_sources([str(tmp_path)], InputOptions(**globs)))

    assert names() == ["2025/a.html", "2025/b.txt", "drafts/c.html", "e.html"]
    assert names(exclude=("drafts/*",)) == ["2025/a.html", "2025/b.txt", "e.html"]
    assert names(include=("*.html",)) == ["2025/a.html", "drafts/c.html", "e.html"]
    assert names(include=("2025/*", "*.log"), exclude=("*.txt",)) == ["2025/a.html", "notes.log"]
    nothing = list(iter_sources([str(tmp_path)], InputOptions(include=("*.pdf",))))
    assert isinstance(nothing[0], Failure) and "no file to read" in nothing[0].reason


# --- property tests: whatever the bytes, every input is accounted for ---------------------------------------------

SUFFIXES = [".txt", ".html", ".jsonl", ".json", ".html.gz", ".md", ".warc", ".warc.gz", ".rss", ".atom", ".xml",
            ".opml", ".htm"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUFFIXES))
def test_inputs_random_bytes_of_any_kind_are_accounted_for(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    _check_accounted(_collect([path]))


def _documents() -> dict[str, bytes]:
    return {".warc": b"".join(_crawl()), ".rss": RSS.encode(), ".atom": ATOM.encode(), ".html": STORY.encode(),
            ".jsonl": (json.dumps({"text": "Ministers met.", "id": "m1"}) + "\n" + json.dumps({"html": STORY})).encode(),
            ".opml": b'<opml><body><outline xmlUrl="harbour.atom"/></body></opml>'}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(_documents())), cut=st.floats(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4), gz=st.booleans())
def test_inputs_mangled_documents_are_accounted_for(tmp_path, kind, cut, flips, gz):
    """A real document of each kind, cut short and with a few bytes changed, read plain or gzipped."""
    data = bytearray(_documents()[kind])
    data = data[: int(len(data) * cut)]
    for where, value in flips:
        if data:
            data[int(where * (len(data) - 1))] = value
    (tmp_path / "harbour.atom").write_text(ATOM)
    path = tmp_path / f"mangled{kind}{'.gz' if gz else ''}"
    path.write_bytes(gzip.compress(bytes(data)) if gz else bytes(data))
    _check_accounted(_collect([path]))


def _check_accounted(items):
    assert items, "every input yields a Source or a Failure"
    assert all(isinstance(i, (Source, Failure)) for i in items)
    assert all(i.reason and i.origin for i in items if isinstance(i, Failure))
    for source in items:   # and what reading makes of each source is an article or a named input error
        if isinstance(source, Source):
            try:
                article = read_source(source)
            except InputError as exc:
                assert exc.reason and exc.origin == source.origin
            else:
                assert article.text.strip() and article.id


def test_inputs_feed_item_with_control_characters_is_read():
    # a damaged feed item: lxml refuses control characters, so they are dropped before parsing
    assert fragment_text("<p>Ministers\x01 met.</p><p>Talks\x00 ended.</p>").split() == ["Ministers", "met.", "Talks",
                                                                                     "ended."]
