"""Reading: HTML pages and plain-text scrapes become clean articles with metadata and a list of what was removed."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date as _date
from datetime import datetime

import htmldate
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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # characters XML (and so lxml) refuses
_BY = re.compile(r"^\s*(?:by|written by|author:?)\s+", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·•:-]\s+")
_ARTICLE_TYPES = {"BlogPosting", "Report", "LiveBlogPosting"}
_DATE_META = ("//meta[@property='article:published_time' or @property='og:published_time' or "
              "@itemprop='datePublished' or @name='pubdate' or @name='publishdate' or @name='parsely-pub-date' or "
              "@name='sailthru.date' or @name='dc.date.issued' or @name='citation_publication_date']/@content")
_PAGE_BLOCKS = ("p", "li", "a", "h1", "h2", "h3", "h4", "span", "button", "label", "div", "footer")
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
    html = _CONTROL.sub("", html)   # lxml refuses control characters; a damaged feed item may carry some
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
    """Main text and metadata of an HTML page, with the page's dropped blocks in ``removed``.

    The page is parsed once. The main text is trafilatura's, cleaned of the teasers it keeps: in recall mode
    (tables kept, comments left out), and where that keeps under a tenth of the page's words, also in its balanced
    mode, the longer of the two winning. Title, authors, date, site name and canonical URL come from the page's own
    metadata (:func:`page_metadata`) and htmldate; docs/reading.md says how each is chosen.
    """
    tree = trafilatura.load_html(html)
    if tree is None:
        return Article(id="", title=None, url=url, date=None, source=None, authors=(), text="", removed=(),
                       truncated=False, origin=url or "<html>")
    meta = page_metadata(tree, url)
    body = _main_text(tree, url, favor_recall=True)
    page = tree.find("body")
    if len(body.split()) < 0.1 * len((page if page is not None else tree).text_content().split()):
        body = max(body, _main_text(tree, url, favor_recall=False), key=lambda t: len(t.split()))
    # trafilatura keeps one paragraph per line; our texts separate paragraphs by a blank line.
    cleaned = clean_text("\n\n".join(p for p in body.split("\n") if p.strip()), extracted=True)
    text = cleaned.text
    first, _, rest = text.partition("\n\n")
    if meta.title and rest and normalise_for_hash(first) == normalise_for_hash(meta.title):
        text = rest   # the headline is metadata; left in the body it would be coded twice with the lead
    removed = tuple(dict.fromkeys(_page_blocks_not_in(tree, text) + list(cleaned.removed)))
    return Article(
        id="", title=meta.title, url=meta.url, date=_page_date(tree, url, meta.date), source=meta.site,
        authors=meta.authors, text=text, removed=removed, truncated=cleaned.truncated, origin=url or "<html>",
        language=identify_language(text),
    )


def _main_text(tree: lxml.html.HtmlElement, url: str | None, *, favor_recall: bool) -> str:
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, favor_recall=favor_recall,
                                      include_comments=False)
    return (doc.text or "") if doc is not None else ""


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about itself: in its JSON-LD, its meta tags, its headline and byline elements."""

    title: str | None
    authors: tuple[str, ...]
    date: str | None          # the publication date the metadata declares, if any
    site: str | None
    url: str | None           # canonical URL


def page_metadata(tree: lxml.html.HtmlElement, url: str | None = None) -> PageMetadata:
    """The page's own metadata, each field from its most reliable source (measured on labelled pages):

    - title: the first ``<h1>`` when the metadata (JSON-LD headline, og:title, twitter:title, ``<title>``) contains
      it, else the JSON-LD headline, og:title or ``<title>`` without its " | Site" part, else the ``<h1>``;
    - authors: JSON-LD ``author``, else the author meta tags, else a short byline element (``rel=author``, a class
      with "author" or "byline");
    - date: JSON-LD ``datePublished`` of an article, else the publication-date meta tags;
    - site: og:site_name or JSON-LD publisher; url: ``<link rel=canonical>`` or og:url.
    """
    linked = list(_json_ld(tree))
    first = lambda xpath: next((" ".join(v.split()) for v in tree.xpath(xpath) if v.strip()), None)  # noqa: E731
    headings = tree.xpath("//h1")
    h1 = " ".join(headings[0].text_content().split()) if headings else None
    headline = next((" ".join(o["headline"].split()) for o in linked if isinstance(o.get("headline"), str)), None)
    og = first('//meta[@property="og:title"]/@content')
    declared = [t for t in (headline, og, first('//meta[@name="twitter:title"]/@content'), first("//title/text()"))
                if t]
    if h1 and any(normalise_for_hash(h1) and normalise_for_hash(h1) in normalise_for_hash(t) for t in declared):
        title = h1
    else:
        title = headline or _without_site(og) or _without_site(first("//title/text()")) or h1
    authors = _ld_authors(linked) or tuple(
        v for v in tree.xpath('//meta[@name="author" or @property="article:author" or @name="parsely-author" or '
                              '@name="sailthru.author"]/@content') if v.strip() and not v.strip().startswith("http"))[:1]
    if not authors:
        for element in tree.xpath('//*[@rel="author"] | //*[contains(@class, "author") or contains(@class, "byline")]'
                                  '[not(self::body or self::html or self::meta)]'):
            words = element.text_content().split()
            if 1 <= len(words) <= 6:
                authors = (_BY.sub("", " ".join(words)),)
                break
    date = next((d for o in linked if _is_article(o) for d in [normalise_date(o.get("datePublished"))] if d), None)
    if date is None:
        date = next((d for v in tree.xpath(_DATE_META) for d in [normalise_date(v)] if d), None)
    publisher = next((o["publisher"].get("name") for o in linked if isinstance(o.get("publisher"), dict)), None)
    return PageMetadata(
        title=title, authors=tuple(a for a in authors if a), date=date,
        site=first('//meta[@property="og:site_name"]/@content') or (publisher if isinstance(publisher, str) else None),
        url=first('//link[@rel="canonical"]/@href') or first('//meta[@property="og:url"]/@content') or url)


def _page_date(tree: lxml.html.HtmlElement, url: str | None, declared: str | None) -> str | None:
    """The publication date: htmldate's reading of the whole page (original date), unless it found none or the
    date the metadata declares is the same day with day and month swapped, which htmldate gets wrong."""
    try:
        found = normalise_date(htmldate.find_date(tree, url=url, original_date=True))
    except (ValueError, TypeError):   # htmldate on a page it cannot make sense of
        found = None
    if found is None or (declared and found[:4] == declared[:4] and found[5:7] == declared[8:10]
                         and found[8:10] == declared[5:7]):
        return declared
    return found


def _json_ld(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Every object in the page's JSON-LD blocks, nested lists and @graph included."""
    for block in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            stack = [json.loads(block)]
        except ValueError:
            continue
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [graph] if graph else [])


def _is_article(item: dict) -> bool:
    kinds = item.get("@type")
    return any(isinstance(k, str) and (k.endswith("Article") or k in _ARTICLE_TYPES)
               for k in (kinds if isinstance(kinds, list) else [kinds]))


def _ld_authors(linked: list[dict]) -> tuple[str, ...]:
    for item in linked:
        author = item.get("author")
        names = [a.get("name") if isinstance(a, dict) else a for a in (author if isinstance(author, list) else [author])]
        names = [" ".join(n.split()) for n in names if isinstance(n, str) and n.strip()]
        if names:
            return tuple(names)
    return ()


def _without_site(title: str | None) -> str | None:
    """"Talks end in Vienna | The Daily Example" -> "Talks end in Vienna": the longest part between separators."""
    if not title:
        return None
    parts = _TITLE_SEPARATOR.split(title)
    return max(parts, key=len) if len(parts) > 1 else title


def _page_blocks_not_in(tree: lxml.html.HtmlElement, body: str, limit: int = 100) -> list[str]:
    """Visible text blocks of the page (up to ``limit``) whose text is not in the body: what extraction removed."""
    kept = " ".join(body.split()).casefold()
    page = tree.find("body")
    blocks: list[str] = []
    seen: set[str] = set()
    for element in (page if page is not None else tree).iter(_PAGE_BLOCKS):
        if element.tag == "div" and any(child.tag in {"div", "p", "ul", "section"} for child in element):
            continue
        text = " ".join(element.text_content().split())
        if text and text not in seen:
            seen.add(text)
            if text.casefold() not in kept:
                blocks.append(text)
                if len(blocks) == limit:
                    break
    return blocks


def clean_text(raw: str, *, metadata_lines: bool = True, extracted: bool = False) -> Cleaned:
    """Split a scrape into body paragraphs and clutter, using explainable block features (docs/reading.md).

    ``extracted``: the text is what an extractor kept of a page (no menus or comments left), so only the cue and
    truncation rules apply; headings and list items stay.
    """
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
        if _COMMENTS_START.match(para) and body and not extracted:
            in_comments = True
            removed.append(para)
            continue
        if (metadata_lines and title is None and not body and _looks_like_title(para)
                and not _CLUTTER_CUES.match(para) and not _is_menu(para)):
            title = para
            continue
        if _has_clutter_cue(para) if extracted else is_clutter(para):
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
    if _has_clutter_cue(para) or _is_menu(para):
        return True
    letters = sum(ch.isalpha() for ch in para)
    if letters / max(len(para), 1) < 0.5:
        return True
    stop_share = sum(w.lower().strip(".,;:") in _STOPWORDS for w in words) / len(words)
    if len(words) <= 4 and not _TERMINAL.search(para) and stop_share < 0.34:
        # a lone short phrase: a menu item or button; titles are handled before this is called
        return True
    return False


def _has_clutter_cue(para: str) -> bool:
    """A block of at most 30 words that starts with a clutter cue ("Sign up", "Read more", "Advertisement")."""
    return bool(_CLUTTER_CUES.match(para)) and len(para.split()) <= 30


def _is_menu(para: str) -> bool:
    """A row of short items split by bars or bullets: "World | Politics | Business"."""
    items = [item for item in re.split(r"\s[|•·/»>]\s", para) if item.strip()]
    return len(items) >= 3 and all(len(item.split()) <= 3 for item in items)


def _looks_like_title(para: str) -> bool:
    words = para.split()
    return 3 <= len(words) <= 25 and not _TERMINAL.search(para) and not para.endswith((":", ";", ","))


def _has_body_after(paragraphs: list[str], index: int) -> bool:
    return any(len(p.split()) > 30 and not is_clutter(p) for p in paragraphs[index + 1:])
