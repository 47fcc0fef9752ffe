"""Turn paths, directories, JSON-lines files and standard input into :class:`Source` records."""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from barometer.errors import InputError, UnreadableInputError, UnsupportedInputError
from barometer.models import Failure, Source

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".md", ".text"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".json"}
KNOWN_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | RECORD_SUFFIXES
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)|<\?xml[^>]+encoding=["']([A-Za-z0-9_-]+)""", re.I)


def iter_sources(paths: list[str], *, max_bytes: int) -> Iterator[Source | Failure]:
    """Yield one Source per document found under ``paths`` ("-" is standard input), or a Failure per bad input."""
    for path in paths:
        if path == "-":
            yield from _sources_from_bytes("<stdin>", sys.stdin.buffer.read(), None, max_bytes)
            continue
        target = Path(path)
        if target.is_dir():
            files = sorted(p for p in target.rglob("*") if p.is_file() and _suffix(p) in KNOWN_SUFFIXES)
            if not files:
                yield Failure(path, "read", "directory holds no .html, .txt, .md or .jsonl files")
            for file in files:
                yield from _sources_from_file(file, max_bytes)
        else:
            yield from _sources_from_file(target, max_bytes)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _sources_from_file(path: Path, max_bytes: int) -> Iterator[Source | Failure]:
    origin = str(path)
    try:
        data = _read_bytes(path, max_bytes)
    except InputError as exc:
        yield Failure(origin, "read", exc.reason)
        return
    yield from _sources_from_bytes(origin, data, _suffix(path), max_bytes)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnsupportedInputError(str(path), f"file is {size} bytes, over the max_file_bytes limit of {max_bytes}")
        data = path.read_bytes()
        if path.suffix.lower() == ".gz":
            data = gzip.decompress(data)
    except FileNotFoundError:
        raise UnreadableInputError(str(path), "no such file") from None
    except PermissionError:
        raise UnreadableInputError(str(path), "permission denied") from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise UnreadableInputError(str(path), f"cannot read: {exc}") from None
    return data


def _sources_from_bytes(origin: str, data: bytes, suffix: str | None, max_bytes: int) -> Iterator[Source | Failure]:
    try:
        if len(data) > max_bytes:
            raise UnsupportedInputError(origin, f"input is {len(data)} bytes, over the max_file_bytes limit")
        text = decode(data, origin)
        if not text.strip():
            raise UnsupportedInputError(origin, "file is empty")
        if suffix in RECORD_SUFFIXES or (suffix is None and text.lstrip().startswith("{")):
            yield from _records(origin, text)
            return
        kind = "html" if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)) else "text"
        yield Source(origin=origin, content=text, kind=kind)
    except InputError as exc:
        yield Failure(origin, "read", exc.reason)


def decode(data: bytes, origin: str) -> str:
    """Decode bytes as UTF-8 (BOM removed) or, failing that, the detected charset; refuse binary data."""
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
    if declared:
        try:
            return data.decode((declared.group(1) or declared.group(2)).decode("ascii"))
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
