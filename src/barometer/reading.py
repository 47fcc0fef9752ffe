"""Reading: HTML pages and plain-text scrapes become clean articles with metadata and a list of what was removed."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as _date
from datetime import datetime

import lxml.html
import trafilatura
from dateutil import parser as _dateparser

from barometer.errors import UnsupportedInputError
from barometer.models import Article, Source

# Cue phrases of page clutter. A short line that starts with (or mostly is) one of these is not article body.
_CLUTTER_CUES = re.compile(
    r"^\W*(?:advertisement|sponsored|subscribe|sign up|newsletter|get (?:the|our) (?:latest|daily|morning)|"
    r"follow us|follow @|share (?:this|on|via)|share$|tweet$|email$|print$|copy link|watch(?: next| now| more|:)|"
    r"video:|read (?:next|more|also)|related(?: stories| articles| coverage)?:?$|recommended|more from|most (?:read|popular)|"
    r"trending|you may also like|don't miss|cookie|we use cookies|accept (?:all|cookies)|privacy policy|terms of (?:use|service)|"
    r"all rights reserved|©|copyright|skip to (?:content|main)|menu$|search$|log ?in|register$|back to top|"
    r"listen to (?:this|the) (?:article|story)|\d+\s*min(?:ute)? read|updated:?\s|published:?\s|photo:|image:|"
    r"leave a (?:reply|comment)|post a comment|add a comment|comments?\s*\(\d+\)|\d+\s+comments?$|show comments|"
    r"reply$|report$|trackback|pingback)",
    re.IGNORECASE,
)
_COMMENTS_START = re.compile(
    r"^\W*(?:comments?\s*\(\d+\)|\d+\s+comments?|comments?$|leave a (?:reply|comment)|join the (?:conversation|discussion)|"
    r"what do you think\?|show comments|add a comment|post a comment|discussion)\W*$",
    re.IGNORECASE,
)
_TRUNCATION = re.compile(
    r"(?:continue reading|read the (?:full|rest of the|whole) (?:story|article)|full (?:story|article) (?:at|on)|"
    r"read more at|this article (?:originally|first) appeared|click here to read)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*By\s+(?P<names>[A-Z][^|•·\n]{1,80}?)\s*(?:[|•·,—–-]\s*(?P<date>.+?))?\s*$")
_TERMINAL = re.compile(r"[.!?…\"'”’)]\s*$")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "tr", "section", "article",
           "figcaption", "pre")
_STOPWORDS = frozenset(
    "the a an of to in and or for on at by with from that this is was were are be been has have had it its as "
    "not but which who would will said says their they he she his her we our than after over about into".split()
)


@dataclass(frozen=True)
class Cleaned:
    """A plain-text scrape split into body paragraphs, removed clutter and any metadata lines found."""

    text: str
    removed: tuple[str, ...]
    truncated: bool
    title: str | None
    authors: tuple[str, ...]
    date: str | None


def read_source(source: Source, *, default_date: str | None = None, max_chars: int = 200_000) -> Article:
    """Turn one Source into an Article: main text, metadata, language.

    The story date is the one given with the source, else the document's own, else the day it was crawled or
    fetched, else ``default_date``.
    """
    if source.kind == "html":
        article = extract_article(source.content, url=source.url)
    elif source.kind == "plain":   # already clean (e.g. a labelled corpus): offsets must not move
        article = Article(id="", title=None, url=source.url, date=None, source=None, authors=(), text=source.content,
                          removed=(), truncated=False, origin=source.origin)
    else:
        cleaned = clean_text(fragment_text(source.content) if source.kind == "fragment" else source.content,
                             metadata_lines=source.kind == "text")
        article = Article(id="", title=cleaned.title, url=source.url, date=cleaned.date, source=None,
                          authors=cleaned.authors, text=cleaned.text, removed=cleaned.removed,
                          truncated=cleaned.truncated, origin=source.origin, language=identify_language(cleaned.text))
    if not article.text.strip():
        raise UnsupportedInputError(source.origin, "no article text found after removing page clutter")
    text, truncated = article.text, article.truncated or source.teaser
    if len(text) > max_chars:   # cut at a paragraph break when one is near
        cut = text.rfind("\n", 0, max_chars)
        text, truncated = text[: cut if cut > max_chars // 2 else max_chars], True
    story_date = (normalise_date(source.date) or article.date or normalise_date(source.fetched)
                  or normalise_date(default_date))
    return Article(
        id=source.id or document_id(text), title=source.title or article.title, url=source.url or article.url,
        date=story_date, source=article.source, authors=source.authors or article.authors, text=text,
        removed=article.removed, truncated=truncated, origin=source.origin, language=article.language,
    )


def identify_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "en" unless another language is clear.

    py3langid decides, on the first few thousand characters; a text is called non-English only when it is
    confident (probability >= 0.9) and English function words are rare in it, so short headlines and lists of
    names stay English.
    """
    sample = text[:3000]
    words = _WORD.findall(sample.lower())
    if len(words) < 8:
        return "en"
    language, probability = _language_identifier().classify(sample)
    if language == "en" or probability < 0.9:
        return "en"
    english = sum(word in _STOPWORDS for word in words) / len(words)
    return "en" if english >= 0.15 else language


@functools.cache
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier   # 0.4 s to load: only when a text needs it

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def fragment_text(html: str) -> str:
    """The text of a piece of HTML (a feed item's content), one paragraph per block element."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html
    for bad in root.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = f"\n\n{element.tail or ''}"
        if element.tag == "br":
            element.tail = f"\n{element.tail.lstrip()}"
    return "\n".join(line.strip() for line in root.text_content().split("\n"))


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal for the same article however it was spaced, cased or accented."""
    return hashlib.sha1(normalise_for_hash(text).encode("utf-8")).hexdigest()


def document_id(text: str) -> str:
    """A stable id from the normalised text, so the same article read twice gets the same id."""
    return content_hash(text)[:16]


def normalise_for_hash(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form of a text, for exact-duplicate detection."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return " ".join(_WORD.findall(folded))


def normalise_date(value: str | None) -> str | None:
    """ISO ``YYYY-MM-DD`` for a date string in any common format, or None if there is none."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        try:
            return _date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    try:
        # parse twice with different defaults: a part that changes was missing, and a partial date is no date
        one = _dateparser.parse(value, default=datetime(1904, 1, 1))
        two = _dateparser.parse(value, default=datetime(1908, 12, 28))
    except (ValueError, OverflowError, TypeError):
        return None
    return one.date().isoformat() if one.date() == two.date() else None


def extract_article(html: str, url: str | None = None) -> Article:
    """Main text and metadata of an HTML page (trafilatura), with the page's dropped blocks in ``removed``."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    doc = doc.as_dict() if doc is not None else None
    if not doc or not doc.get("text"):
        return Article(id="", title=None, url=url, date=None, source=None, authors=(), text="",
                       removed=(), truncated=False, origin=url or "<html>")
    # trafilatura keeps one paragraph per line; our texts separate paragraphs by a blank line.
    cleaned = clean_text("\n\n".join(p for p in doc["text"].split("\n") if p.strip()), metadata_lines=False)
    text = cleaned.text
    first, _, rest = text.partition("\n\n")
    if doc.get("title") and rest and normalise_for_hash(first) == normalise_for_hash(doc["title"]):
        text = rest   # the headline is metadata; left in the body it would be coded twice with the lead
    removed = tuple(dict.fromkeys(_page_blocks_not_in(html, text) + list(cleaned.removed)))
    authors = tuple(a.strip() for a in re.split(r";|\band\b", doc.get("author") or "") if a.strip())
    return Article(
        id="", title=doc.get("title"), url=doc.get("url") or url, date=normalise_date(doc.get("date")),
        source=doc.get("sitename") or doc.get("hostname"), authors=authors, text=text,
        removed=removed, truncated=cleaned.truncated, origin=url or "<html>", language=identify_language(text),
    )


def _page_blocks_not_in(html: str, body: str) -> list[str]:
    """Visible text blocks of the page that did not make it into the body: what extraction removed."""
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    kept = normalise_for_hash(body)
    blocks: list[str] = []
    for element in tree.iter("p", "li", "a", "h1", "h2", "h3", "h4", "span", "button", "label", "div", "footer"):
        if element.tag == "div" and any(child.tag in {"div", "p", "ul", "section"} for child in element):
            continue
        text = " ".join(element.text_content().split())
        if text and normalise_for_hash(text) not in kept and not any(text in b for b in blocks):
            blocks.append(text)
    return blocks[:100]


def clean_text(raw: str, *, metadata_lines: bool = True) -> Cleaned:
    """Split a scrape into body paragraphs and clutter, using explainable block features (docs/reading.md)."""
    lines = [" ".join(line.split()) for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs = _paragraphs(lines)
    title = authors = story_date = None
    body: list[str] = []
    removed: list[str] = []
    truncated = in_comments = False
    for index, para in enumerate(paragraphs):
        if in_comments:
            removed.append(para)
            continue
        if metadata_lines and authors is None and (match := _BYLINE.match(para)) and len(para.split()) <= 16:
            authors = tuple(n.strip() for n in re.split(r",|\band\b", match["names"]) if n.strip())
            story_date = normalise_date(match["date"]) if match["date"] else None
            removed.append(para)
            continue
        if _TRUNCATION.search(para) and len(para.split()) <= 25:
            truncated = truncated or index >= len(paragraphs) - 3 or not _has_body_after(paragraphs, index)
            removed.append(para)
            continue
        if _COMMENTS_START.match(para) and body:
            in_comments = True
            removed.append(para)
            continue
        if (metadata_lines and title is None and not body and _looks_like_title(para)
                and not _CLUTTER_CUES.match(para) and not _is_menu(para)):
            title = para
            continue
        if is_clutter(para):
            removed.append(para)
            continue
        body.append(para)
    if title is not None and not body:   # a one-line text is the article, not its headline
        body, title = [title], None
    return Cleaned(text="\n\n".join(body), removed=tuple(removed), truncated=truncated, title=title,
                   authors=authors or (), date=story_date)


def _paragraphs(lines: list[str]) -> list[str]:
    """Each line is a block unless it continues a hard-wrapped sentence (long line, no end mark, lowercase next)."""
    paragraphs: list[str] = []
    for line in lines:
        if not line:
            paragraphs.append("")
            continue
        previous = paragraphs[-1] if paragraphs else ""
        if (previous and len(previous.split()) >= 8 and not _TERMINAL.search(previous)
                and (line[0].islower() or previous.endswith((",", "-", "—")))):
            paragraphs[-1] = f"{previous} {line}"
        else:
            paragraphs.append(line)
    return [p for p in paragraphs if p]


def is_clutter(para: str) -> bool:
    """True for a block that is page furniture rather than article prose.

    Features: a clutter cue at the start of a short block; very short blocks with no sentence punctuation
    and few stop words (menus, buttons, tags); blocks that are mostly non-letters (share bars, dates lists).
    """
    words = para.split()
    if not words:
        return True
    if _CLUTTER_CUES.match(para) and len(words) <= 30:
        return True
    if _is_menu(para):
        return True
    letters = sum(ch.isalpha() for ch in para)
    if letters / max(len(para), 1) < 0.5:
        return True
    stop_share = sum(w.lower().strip(".,;:") in _STOPWORDS for w in words) / len(words)
    if len(words) <= 4 and not _TERMINAL.search(para) and stop_share < 0.34:
        # a lone short phrase: a menu item or button; titles are handled before this is called
        return True
    return False


def _is_menu(para: str) -> bool:
    """A row of short items split by bars or bullets: "World | Politics | Business"."""
    items = [item for item in re.split(r"\s[|•·/»>]\s", para) if item.strip()]
    return len(items) >= 3 and all(len(item.split()) <= 3 for item in items)


def _looks_like_title(para: str) -> bool:
    words = para.split()
    return 3 <= len(words) <= 25 and not _TERMINAL.search(para) and not para.endswith((":", ";", ","))


def _has_body_after(paragraphs: list[str], index: int) -> bool:
    return any(len(p.split()) > 30 and not is_clutter(p) for p in paragraphs[index + 1:])
