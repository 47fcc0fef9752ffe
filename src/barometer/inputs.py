"""Turn paths, directories, URLs, feeds, web archives and standard input into :class:`Source` records.

What each kind of input becomes (docs/inputs.md):

- ``.html/.htm`` (also ``.gz``) one page; ``.txt/.md`` one plain-text scrape; ``.jsonl/.json`` one document per record;
- ``.warc/.warc.gz`` one page per HTML response (or resource) record;
- RSS/Atom feeds one document per item, with its full content where the feed carries it, else its summary
  (marked a teaser); OPML lists every feed it names, fetched or read;
- ``http(s)://`` URLs fetched with a timeout, a size cap and Barometer's User-Agent; ``-`` standard input.

Every input yields at least one record: a Source or a Failure naming the input and the reason.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import re
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatch
from http.client import HTTPException
from pathlib import Path

import feedparser
import lxml.etree
from charset_normalizer import from_bytes
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from barometer import __version__
from barometer.errors import InputError, UnreadableInputError, UnsupportedInputError
from barometer.models import Failure, Source

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".md", ".text"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".opml"}
WARC_SUFFIXES = {".warc", ".arc"}
KNOWN_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | RECORD_SUFFIXES | FEED_SUFFIXES | WARC_SUFFIXES
USER_AGENT = f"Barometer/{__version__} (news event coder; fetches the pages its user names, one request each)"
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)|<\?xml[^>]+encoding=["']([A-Za-z0-9_-]+)""", re.I)
# the first element of an XML document, after the declaration, comments, processing instructions and doctype
_XML_ROOT = re.compile(rb"^\s*(?:<\?[^>]*>\s*|<!--.*?-->\s*|<!doctype[^>]*>\s*)*<(rss|feed|rdf:rdf|opml)[\s>/]", re.S)
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_CHUNK = 1 << 16


@dataclass(frozen=True)
class InputOptions:
    """How inputs are found and read: the size cap, directory globs, and the fetcher's timeout and User-Agent."""

    max_bytes: int = 20_000_000
    include: tuple[str, ...] = ()       # globs a file under a directory must match (default: the known suffixes)
    exclude: tuple[str, ...] = ()       # globs that drop a file under a directory
    fetch_timeout: float = 20.0         # seconds for a whole fetch: connect, wait and read
    user_agent: str = USER_AGENT
    follow_lists: bool = True           # read the feeds an OPML list names (off inside a list: no list loops)


def iter_sources(paths: list[str], options: InputOptions = InputOptions()) -> Iterator[Source | Failure]:
    """Yield one Source per document found under ``paths`` ("-" is standard input), or a Failure per bad input."""
    for path in paths:
        if path == "-":
            yield from _guard("<stdin>", lambda: _sources_from_bytes(
                "<stdin>", _read_capped(sys.stdin.buffer, "<stdin>", options.max_bytes), None, options))
        elif is_url(path):
            yield from _guard(path, lambda: _sources_from_url(path, options))
        elif (target := Path(path)).is_dir():
            files = list(_walk(target, options))
            if not files:
                yield Failure(path, "read", "directory holds no file to read (known suffixes: "
                              f"{' '.join(sorted(KNOWN_SUFFIXES))}, or those --include names)")
            for file in files:
                yield from _guard(str(file), lambda: _sources_from_file(file, options))
        else:
            yield from _guard(path, lambda: _sources_from_file(target, options))


def is_url(path: str) -> bool:
    """True for an http(s) URL, which Barometer fetches rather than opens."""
    return path.lower().startswith(("http://", "https://"))


def _guard(origin: str, produce) -> Iterator[Source | Failure]:
    """Run one input's reader; an error it raises becomes that input's Failure, so the batch goes on."""
    try:
        yield from produce()
    except InputError as exc:
        yield Failure(exc.origin, "read", exc.reason)
    except Exception as exc:   # a reader's bug, or a library's, on one odd input must not stop the batch
        yield Failure(origin, "read", f"internal error {type(exc).__name__}: {exc}")


def _walk(root: Path, options: InputOptions) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        if options.include:
            if not _matches(relative, options.include):
                continue
        elif _suffix(path) not in KNOWN_SUFFIXES or any(part.startswith(".") for part in relative.split("/")):
            continue   # hidden files and folders (.git, .cache) are not news
        if not _matches(relative, options.exclude):
            yield path


def _matches(relative: str, patterns: tuple[str, ...]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch(relative, pattern) or fnmatch(name, pattern) for pattern in patterns)


def _suffix(path: Path | str) -> str:
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _sources_from_file(path: Path, options: InputOptions) -> Iterator[Source | Failure]:
    if _suffix(path) in WARC_SUFFIXES:
        yield from _warc_sources(path, options)
        return
    yield from _sources_from_bytes(str(path), _read_bytes(path, options.max_bytes), _suffix(path), options,
                                   base=path.parent)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnsupportedInputError(str(path), f"file is {size} bytes, over the max_file_bytes limit of {max_bytes}")
        if path.suffix.lower() != ".gz":
            return path.read_bytes()
        with gzip.open(path, "rb") as stream:   # read capped: a small gzip can hold a huge file
            return _read_capped(stream, str(path), max_bytes)
    except FileNotFoundError:
        raise UnreadableInputError(str(path), "no such file") from None
    except PermissionError:
        raise UnreadableInputError(str(path), "permission denied") from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise UnreadableInputError(str(path), f"cannot read: {exc}") from None


def _read_capped(stream, origin: str, max_bytes: int, deadline: float | None = None) -> bytes:
    """Read a stream to its end, refusing more than ``max_bytes`` (and, for a fetch, going past ``deadline``)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise UnsupportedInputError(origin, f"input is over the max_file_bytes limit of {max_bytes} bytes")
        if deadline is not None and time.monotonic() > deadline:
            raise UnreadableInputError(origin, "timed out while reading the response")
        chunks.append(chunk)
    return b"".join(chunks)


def _sources_from_bytes(origin: str, data: bytes, suffix: str | None, options: InputOptions, *,
                        base: Path | None = None, url: str | None = None, charset: str | None = None,
                        fetched: str | None = None) -> Iterator[Source | Failure]:
    """The documents in one input's bytes; ``suffix`` (None: unknown) and a sniff of the content say the kind."""
    if len(data) > options.max_bytes:
        raise UnsupportedInputError(origin, f"input is {len(data)} bytes, over the max_file_bytes limit")
    root = _XML_ROOT.match(data[:4096].removeprefix(b"\xef\xbb\xbf").lower())
    if suffix in {".rss", ".atom"} or (root and root.group(1) in {b"rss", b"feed", b"rdf:rdf"}):
        yield from _feed_sources(origin, data, fetched)
        return
    if suffix == ".opml" or (root and root.group(1) == b"opml"):
        if not options.follow_lists:
            raise UnsupportedInputError(origin, "an OPML list named by an OPML list is not followed")
        yield from _opml_sources(origin, data, dataclasses.replace(options, follow_lists=False), base)
        return
    text = decode(data, origin, charset)
    if not text.strip():
        raise UnsupportedInputError(origin, "file is empty")
    if suffix in RECORD_SUFFIXES or (suffix is None and text.lstrip().startswith("{")):
        yield from _records(origin, text)
        return
    if suffix == ".xml" and not re.search(r"<(?:html|body)\b", text[:4096], re.I):
        raise UnsupportedInputError(origin, "XML that is not a feed (RSS, Atom), an OPML list or XHTML")
    kind = "html" if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)) else "text"
    yield Source(origin=origin, content=text, kind=kind, url=url, fetched=fetched)


def _sources_from_url(url: str, options: InputOptions) -> Iterator[Source | Failure]:
    data, content_type, final_url, charset = fetch(url, options)
    if content_type.startswith(("image/", "audio/", "video/", "font/")) or content_type in {
            "application/pdf", "application/zip", "application/octet-stream"}:
        raise UnsupportedInputError(url, f"the server sent {content_type}, not a page, text or feed")
    suffix = (".html" if content_type in _HTML_TYPES else ".txt" if content_type == "text/plain"
              else ".rss" if content_type in _FEED_TYPES - {"application/xml", "text/xml"} else None)
    yield from _sources_from_bytes(url, data, suffix, options, url=final_url, charset=charset,
                                   fetched=datetime.now(UTC).date().isoformat())


def fetch(url: str, options: InputOptions) -> tuple[bytes, str, str, str | None]:
    """GET one URL: (body, content type, final URL after redirects, declared charset); InputError on failure."""
    request = urllib.request.Request(url, headers={
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5",
    })
    deadline = time.monotonic() + options.fetch_timeout
    try:
        with urllib.request.urlopen(request, timeout=options.fetch_timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > options.max_bytes:
                raise UnsupportedInputError(url, f"the server announces {length} bytes, over the max_file_bytes "
                                                 f"limit of {options.max_bytes}")
            data = _read_capped(response, url, options.max_bytes, deadline)
            return (data, response.headers.get_content_type(), response.geturl(),
                    response.headers.get_content_charset())
    except urllib.error.HTTPError as exc:
        raise UnreadableInputError(url, f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise UnreadableInputError(url, f"timed out after {options.fetch_timeout:g} s") from None
        raise UnreadableInputError(url, f"cannot fetch: {reason}") from None
    except TimeoutError:
        raise UnreadableInputError(url, f"timed out after {options.fetch_timeout:g} s") from None
    except (HTTPException, OSError, ValueError) as exc:
        raise UnreadableInputError(url, f"cannot fetch: {exc}") from None


def _warc_sources(path: Path, options: InputOptions) -> Iterator[Source | Failure]:
    """One Source per successful HTML response (or resource) record of a WARC file, read as a stream (warcio)."""
    origin = str(path)
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise UnreadableInputError(origin, "no such file") from None
    except OSError as exc:
        raise UnreadableInputError(origin, f"cannot read: {exc}") from None
    records = pages = 0
    with stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type not in ("response", "resource"):
                    continue
                records += 1
                where = f"{origin}#{records}"
                try:
                    page = _warc_page(record, where, options)
                except InputError as exc:
                    page = [Failure(where, "read", exc.reason)]
                if page is not None:
                    pages += 1
                    yield from page
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
            yield Failure(origin, "read", f"malformed WARC after {records} records: {exc}")
            return
    if not records:
        yield Failure(origin, "read", "no WARC response or resource records (not a WARC file?)")
    elif not pages:
        yield Failure(origin, "read", f"none of its {records} WARC response records is an HTML page")


def _warc_page(record: ArcWarcRecord, where: str, options: InputOptions) -> list[Source | Failure] | None:
    """The documents of one WARC record (or its Failure), or None for a record that is not a page (image, redirect);
    an InputError for a record that cannot be used."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:
        raise UnsupportedInputError(where, "WARC record without a target URI (archive cut short?)")
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    if headers is None:
        raise UnsupportedInputError(where, f"WARC record for {url} has no HTTP headers")
    media_type, _, parameters = (headers.get_header("Content-Type") or "").partition(";")
    page = media_type.strip().lower() in _HTML_TYPES
    if record.length is None:
        raise UnsupportedInputError(where, f"WARC record for {url} has no valid Content-Length")
    if record.length > options.max_bytes:
        if not page:
            return None
        raise UnsupportedInputError(where, f"WARC record for {url} is {record.length} bytes, over the "
                                           f"max_file_bytes limit of {options.max_bytes}")
    body = record.content_stream().read()
    missing = getattr(record.raw_stream, "limit", 0)   # bytes the record declared but the file does not hold
    if missing:   # a cut record's own headers may be cut too, so this is said whatever they claim
        raise UnreadableInputError(where, f"WARC record for {url} is cut short: {missing} of its {record.length} "
                                          "bytes are missing")
    if not page or (record.rec_type == "response" and not (record.http_headers.get_statuscode() or "").startswith("2")):
        return None   # images, scripts, redirects and errors are not pages
    charset = re.search(r"charset=[\"']?([\w-]+)", parameters)
    day = (record.rec_headers.get_header("WARC-Date") or "")[:10]
    return list(_sources_from_bytes(where, body, ".html", options, url=url, charset=charset and charset.group(1),
                                    fetched=day or None))


def _feed_sources(origin: str, data: bytes, fetched: str | None) -> Iterator[Source | Failure]:
    """One Source per feed item: its full content where the feed carries it, else its summary, marked a teaser."""
    feed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if not feed.entries:
        problem = feed.get("bozo_exception")
        raise UnsupportedInputError(origin, f"not a readable feed: {problem}" if problem else "feed has no items")
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{origin}#{number}"
        contents = [c for c in entry.get("content", []) if (c.get("value") or "").strip()]
        teaser = not contents
        detail = contents[0] if contents else entry.get("summary_detail") or {}
        body = "\n".join(c["value"] for c in contents) if contents else entry.get("summary", "")
        if not body.strip():
            yield Failure(where, "read", "feed item has neither content nor a summary")
            continue
        html = "html" in (detail.get("type") or "text/html")
        # plain dict lookups: feedparser's own maps one key to the other with a deprecation warning
        stamp = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
        authors = tuple(a["name"] for a in entry.get("authors", []) if a.get("name"))
        yield Source(origin=where, content=body, kind="fragment" if html else "text", url=entry.get("link"),
                     title=entry.get("title"), date=f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
                     if stamp else None, authors=authors, teaser=teaser, fetched=fetched)


def _opml_sources(origin: str, data: bytes, options: InputOptions, base: Path | None) -> Iterator[Source | Failure]:
    """Every item of every feed an OPML list names: URLs are fetched, other paths read beside the list."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise UnsupportedInputError(origin, f"malformed OPML: {exc}") from None
    feeds = [o.get("xmlUrl").strip() for o in tree.iter("outline") if (o.get("xmlUrl") or "").strip()]
    if not feeds:
        raise UnsupportedInputError(origin, "OPML names no feeds (no outline with an xmlUrl)")
    for feed in feeds:
        if is_url(feed):
            yield from _guard(feed, lambda: _sources_from_url(feed, options))
        else:
            path = (base or Path.cwd()) / feed
            yield from _guard(str(path), lambda: _sources_from_file(path, options))


def decode(data: bytes, origin: str, charset: str | None = None) -> str:
    """Decode bytes as UTF-8 (BOM removed), the ``charset`` a server declared, the charset the document declares,
    or the detected one; refuse binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnsupportedInputError(origin, "UTF-16 byte-order mark but invalid UTF-16 data") from None
    if b"\x00" in data[:8192]:
        raise UnsupportedInputError(origin, "binary data (NUL bytes), not a text or HTML document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    for name in (charset, declared and (declared.group(1) or declared.group(2)).decode("ascii")):
        try:
            if name:
                return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        # Western news is mostly Windows-1252 when it is not UTF-8, and detectors guess badly on short texts; but
        # where most letters come out accented, the bytes are another alphabet (Greek, Cyrillic): ask the detector
        text = data.decode("cp1252")
        letters = [ch for ch in text if ch.isalpha()]
        if sum(ch > "\x7f" for ch in letters) <= 0.3 * len(letters):
            return text
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise UnsupportedInputError(origin, "cannot detect a text encoding; the file looks binary")
    return str(best)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head


def _records(origin: str, text: str) -> Iterator[Source | Failure]:
    stripped = text.lstrip()
    whole: object = None
    if stripped.startswith(("[", "{")) and "\n" in stripped.rstrip():
        try:   # a JSON document (a list of records, or one pretty-printed record) rather than JSON lines
            whole = json.loads(stripped)
        except json.JSONDecodeError as exc:
            if stripped.startswith("["):
                yield Failure(origin, "read", f"invalid JSON: {exc.msg} at line {exc.lineno}")
                return
    if whole is not None:
        items = whole if isinstance(whole, list) else [whole]
        lines = [(f"{origin}:{i + 1}", item) for i, item in enumerate(items)]
    else:
        lines = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{origin}:{number}"
            try:
                lines.append((where, json.loads(line)))
            except json.JSONDecodeError as exc:
                yield Failure(where, "read", f"invalid JSON line: {exc.msg}")
    if not lines:
        yield Failure(origin, "read", "no JSON records found")
    for where, item in lines:
        try:
            yield _record_source(where, item)
        except InputError as exc:
            yield Failure(where, "read", exc.reason)


def _record_source(where: str, item: object) -> Source:
    if not isinstance(item, dict):
        raise UnsupportedInputError(where, "record is not a JSON object")
    html, text = item.get("html"), item.get("text")
    body = html if isinstance(html, str) and html.strip() else text
    if not isinstance(body, str) or not body.strip():
        raise UnsupportedInputError(where, "record has no non-empty 'text' or 'html' field")
    kind = "html" if body is html else "text"

    def _opt(name: str) -> str | None:
        value = item.get(name)
        return str(value) if value not in (None, "") else None

    return Source(origin=where, content=body, kind=kind, id=_opt("id"), date=_opt("date"),
                  url=_opt("url"), title=_opt("title"))
