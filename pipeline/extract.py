"""extract_article: the one way Parallax turns a page into an article's text and metadata."""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import py3langid
import trafilatura
from tld import get_fld

from pipeline.errors import PermanentError
from pipeline.pagemeta import date_from_url, read_page_meta
from pipeline.records import Extraction, FeedEntry
from pipeline.text import clean_text
from pipeline.urls import absolute_link, canonical_url

log = logging.getLogger(__name__)

TRAFILATURA_OPTIONS = {"include_comments": False, "include_tables": False, "include_images": False,
                       "favor_precision": False, "with_metadata": True, "deduplicate": False}
EXTRACTOR = f"trafilatura {trafilatura.__version__}; " + ",".join(f"{k}={v}" for k, v in TRAFILATURA_OPTIONS.items())
MIN_TEXT_CHARS = 250
# Refused before any parsing: trafilatura takes ~1.3 s per MB of plain markup (a 45 MB page: 66 s and
# 1.3 GB) and is superlinear on many inline elements (40,000 spans in one <p>: 9 s; 1,000,000: >9 min).
# libxml2's HTML parser is quadratic in the attributes of one element (20,000: 0.35 s a parse; 100,000:
# over 20 s for the four parses of one extraction), so a tag with too many attributes is refused too.
MAX_PAGE_BYTES = 10 * 2**20
MAX_ELEMENTS = 100_000
MAX_ATTRIBUTES = 10_000
_ELEMENT_START = re.compile(rb"<(?=[A-Za-z])")
_LONG_TAG = re.compile(rb"<[A-Za-z][^<>]{%d,}" % (2 * MAX_ATTRIBUTES))  # room for that many attributes
_ATTRIBUTE = re.compile(rb"""\s[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?""")


class UnextractablePage(PermanentError):
    """A page that yields no article; the message starts with its class (too_large, too_complex,
    too_deep, libxml2_limit) and is what the extraction records as its failure reason."""


def extract_article(html: bytes | str, url: str, *, entry: FeedEntry | None = None,
                    fetched_at: datetime | None = None, min_text_chars: int = MIN_TEXT_CHARS) -> Extraction:
    """Text, title, authors, language, date and canonical URL of one article page.

    A page with too little text falls back to the feed entry's content and is flagged partial. So
    does a page refused before parsing (too_large, too_complex: see precheck_page) or whose markup
    libxml2 silently dropped (too_deep, libxml2_limit); without feed content such a page raises
    UnextractablePage, whose message is the reason the run records.
    """
    raw = html.encode("utf-8", "replace") if isinstance(html, str) else html
    fetched_at = fetched_at or datetime.now(timezone.utc)
    refused = precheck_page(raw)
    if refused:
        return _feed_only(refused, url, entry, fetched_at)
    meta = read_page_meta(raw)
    doc = trafilatura.bare_extraction(raw, url=url, **TRAFILATURA_OPTIONS)
    title = clean_text(getattr(doc, "title", None) or (entry.title if entry else "") or "").strip()
    text = _body_text(getattr(doc, "text", None) or "", title)
    text, partial, why = _with_fallback(text, entry, min_text_chars, damage=meta.damage)
    published, source = _publication_date(meta.published, url, entry, fetched_at)
    return Extraction(
        title=title, text=text, authors=_authors(getattr(doc, "author", None), entry),
        language=detect_language(text, hint=meta.lang), published_at=published, date_source=source,
        canonical_url=_canonical(meta.canonical, url), partial=partial, partial_reason=why,
        extractor=EXTRACTOR,
    )


def precheck_page(raw: bytes) -> str:
    """Why a page is refused before any parsing ("" if it is not): too many bytes, elements or attributes."""
    if len(raw) > MAX_PAGE_BYTES:
        return f"too_large: {len(raw):,} bytes, over the extraction cap of {MAX_PAGE_BYTES:,}"
    if raw.count(b"<") > MAX_ELEMENTS:  # cheap bound first; then count only tag openings
        elements = len(_ELEMENT_START.findall(raw))
        if elements > MAX_ELEMENTS:
            return f"too_complex: about {elements:,} elements, over the cap of {MAX_ELEMENTS:,}"
    for tag in _LONG_TAG.finditer(raw):  # long tags are rare (data: URIs); count their attributes
        attributes = sum(1 for _ in _ATTRIBUTE.finditer(raw, tag.start(), tag.end()))
        if attributes > MAX_ATTRIBUTES:
            return f"too_complex: an element with about {attributes:,} attributes, over the cap of {MAX_ATTRIBUTES:,}"
    return ""


def _feed_only(refused: str, url: str, entry: FeedEntry | None, fetched_at: datetime) -> Extraction:
    """The feed entry's content stands in for a refused page; without any, the page fails with the reason."""
    text = clean_text(max((entry.content, entry.summary), key=len) if entry else "").strip()
    if not text:
        raise UnextractablePage(refused)
    published, source = _publication_date(None, url, entry, fetched_at)
    return Extraction(title=clean_text(entry.title if entry else "").strip(), text=text,
                      authors=_authors(None, entry), language=detect_language(text), published_at=published,
                      date_source=source, canonical_url=canonical_url(url), partial=True,
                      partial_reason=f"page refused ({refused}); feed entry content used", extractor=EXTRACTOR)


def _body_text(text: str, title: str) -> str:
    text = clean_text(text).strip()
    first, _, rest = text.partition("\n")
    return rest.strip() if title and first.strip() == title else text


def _with_fallback(text: str, entry: FeedEntry | None, min_chars: int, *, damage: str = "") -> tuple[str, bool, str]:
    """Keep the page text unless it is too short to be the article (teaser, paywall, script shell).

    Markup damaged by a libxml2 limit (`damage`) is always partial, and fails with that reason
    rather than becoming an empty article.
    """
    min_words = min_chars // 2
    if len(text) >= min_chars and len(text.split()) >= min_words:
        return (text, True, damage + "; the text may be incomplete") if damage else (text, False, "")
    feed_text = max((entry.content, entry.summary), key=len) if entry else ""
    why = damage or f"page text under {min_words} words or {min_chars} characters (teaser, paywall or script-only page)"
    if len(feed_text.split()) > len(text.split()):
        return feed_text, True, why + "; feed entry content used"
    if damage and not text.strip():
        raise UnextractablePage(damage)
    return text, True, why


def _publication_date(declared: datetime | None, url: str, entry: FeedEntry | None,
                      fetched_at: datetime) -> tuple[datetime | None, str]:
    candidates = (("markup", declared), ("url", date_from_url(urlsplit(url).path)),
                  ("feed", entry.published_at if entry else None))
    for source, when in candidates:
        if when is not None and when <= fetched_at:
            return when.astimezone(timezone.utc), source
    return None, "none"


def _authors(found: str | None, entry: FeedEntry | None) -> tuple[str, ...]:
    names = [n.strip() for n in (found or "").split(";") if n.strip()]
    if not names and entry:
        names = list(entry.authors)
    return tuple(dict.fromkeys(clean_text(n) for n in names))


def _canonical(declared: str, url: str) -> str:
    link = absolute_link(declared, url) if declared else None
    if link and _same_site(link, url):
        return canonical_url(link)
    return canonical_url(url)


def _same_site(a: str, b: str) -> bool:
    """Same registrable domain (news.bbc.co.uk and www.bbc.co.uk, not bbc.co.uk and itv.co.uk) and port."""
    parts_a, parts_b = urlsplit(a), urlsplit(b)
    return _site(parts_a.hostname or "") == _site(parts_b.hostname or "") and parts_a.port == parts_b.port


def _site(host: str) -> str:
    """The registrable domain by the public suffix list; an IP address or local name stands for itself."""
    return get_fld(host, fix_protocol=True, fail_silently=True) or host.lower()


def detect_language(text: str, *, hint: str = "") -> str:
    """ISO 639-1 code of the text's language (the page's lang attribute for very short text)."""
    if len(text) < 40:
        return hint
    lang, _score = py3langid.classify(text[:5000])
    return str(lang)
