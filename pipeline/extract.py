"""extract_article: the one way Parallax turns a page into an article's text and metadata."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

import py3langid
import trafilatura
from tld import get_fld

from pipeline.pagemeta import date_from_url, read_page_meta
from pipeline.records import Extraction, FeedEntry
from pipeline.text import clean_text
from pipeline.urls import absolute_link, canonical_url

log = logging.getLogger(__name__)

TRAFILATURA_OPTIONS = {"include_comments": False, "include_tables": False, "include_images": False,
                       "favor_precision": False, "with_metadata": True, "deduplicate": False}
EXTRACTOR = f"trafilatura {trafilatura.__version__}; " + ",".join(f"{k}={v}" for k, v in TRAFILATURA_OPTIONS.items())
MIN_TEXT_CHARS = 250


def extract_article(html: bytes | str, url: str, *, entry: FeedEntry | None = None,
                    fetched_at: datetime | None = None, min_text_chars: int = MIN_TEXT_CHARS) -> Extraction:
    """Text, title, authors, language, date and canonical URL of one article page.

    A page with too little text falls back to the feed entry's content and is flagged partial.
    """
    raw = html.encode("utf-8", "replace") if isinstance(html, str) else html
    fetched_at = fetched_at or datetime.now(timezone.utc)
    doc = trafilatura.bare_extraction(raw, url=url, **TRAFILATURA_OPTIONS)
    meta = read_page_meta(raw)
    title = clean_text(getattr(doc, "title", None) or (entry.title if entry else "") or "").strip()
    text = _body_text(getattr(doc, "text", None) or "", title)
    text, partial, why = _with_fallback(text, entry, min_text_chars)
    published, source = _publication_date(meta.published, url, entry, fetched_at)
    return Extraction(
        title=title, text=text, authors=_authors(getattr(doc, "author", None), entry),
        language=detect_language(text, hint=meta.lang), published_at=published, date_source=source,
        canonical_url=_canonical(meta.canonical, url), partial=partial, partial_reason=why,
        extractor=EXTRACTOR,
    )


def _body_text(text: str, title: str) -> str:
    text = clean_text(text).strip()
    first, _, rest = text.partition("\n")
    return rest.strip() if title and first.strip() == title else text


def _with_fallback(text: str, entry: FeedEntry | None, min_chars: int) -> tuple[str, bool, str]:
    """Keep the page text unless it is too short to be the article (teaser, paywall, script shell)."""
    min_words = min_chars // 2
    if len(text) >= min_chars and len(text.split()) >= min_words:
        return text, False, ""
    feed_text = max((entry.content, entry.summary), key=len) if entry else ""
    why = f"page text under {min_words} words or {min_chars} characters (teaser, paywall or script-only page)"
    if len(feed_text.split()) > len(text.split()):
        return feed_text, True, why + "; feed entry content used"
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
