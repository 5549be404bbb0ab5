"""Parsing a feed body into entries, inside its own error boundary."""
from __future__ import annotations

import calendar
import io
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import feedparser

from pipeline.ids import content_hash, stable_id
from pipeline.records import FeedEntry, ParsedFeed
from pipeline.text import plain_text
from pipeline.urls import absolute_link, canonical_url

log = logging.getLogger(__name__)

_ENTITY_DECLARATION = re.compile(
    b"|".join(re.escape("<!ENTITY".encode(codec)) for codec in ("utf-8", "utf-16-le", "utf-16-be",
                                                                   "utf-32-le", "utf-32-be")),
    re.IGNORECASE)
_EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
_FUTURE_SLACK = timedelta(days=1)


def parse_feed(body: bytes, *, feed_id: str, outlet_id: str, url: str, fetched_at: datetime,
               content_type: str = "", max_entries: int = 2000) -> ParsedFeed:
    """Entries of a feed body; a malformed body yields what it can and names its problem."""
    if _ENTITY_DECLARATION.search(body):  # the whole body: a long comment may come before the DOCTYPE
        return ParsedFeed(entries=(), problem="refused: document declares XML entities")
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=_headers(url, content_type),
                                  sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser raises on some malformed input instead of flagging bozo
        log.info("feed %s could not be parsed: %r", url, exc)
        return ParsedFeed(entries=(), problem=f"unparseable: {type(exc).__name__}: {exc}"[:300])
    return _collect(parsed, feed_id=feed_id, outlet_id=outlet_id, url=url,
                    fetched_at=fetched_at, max_entries=max_entries)


def _headers(url: str, content_type: str) -> dict[str, str]:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    return headers


def _collect(parsed: Any, *, feed_id: str, outlet_id: str, url: str, fetched_at: datetime,
             max_entries: int) -> ParsedFeed:
    problem = _problem(parsed)
    entries: dict[str, FeedEntry] = {}
    dropped = 0
    for raw in parsed.entries[:max_entries]:
        entry = _entry(raw, feed_id=feed_id, outlet_id=outlet_id, base=url, fetched_at=fetched_at)
        if entry is None or entry.entry_id in entries:
            dropped += 1
            continue
        entries[entry.entry_id] = entry
    if len(parsed.entries) > max_entries:
        dropped += len(parsed.entries) - max_entries
        problem = problem or f"truncated: more than {max_entries} entries"
    return ParsedFeed(entries=tuple(entries.values()), problem=problem,
                      version=parsed.get("version", "") or "", dropped=dropped)


def _problem(parsed: Any) -> str:
    if not parsed.get("version") and not parsed.entries:
        return "not a feed: no RSS or Atom document found"
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(exc, feedparser.NonXMLContentType):  # only the Content-Type disagreed
        return f"malformed: {type(exc).__name__}: {exc}"[:300]
    return ""


def _entry(raw: Any, *, feed_id: str, outlet_id: str, base: str, fetched_at: datetime) -> FeedEntry | None:
    raw_link = (raw.get("link", "") or "").strip()
    link = absolute_link(raw_link, base) if raw_link else None  # no link must not become the feed's URL
    if link is None:
        return None
    key = (raw.get("id") or raw.get("guid") or "").strip() or canonical_url(link)
    content = _content(raw)
    return FeedEntry(
        entry_id=stable_id(feed_id, key),
        feed_id=feed_id,
        outlet_id=outlet_id,
        entry_key=key[:2048],
        url=canonical_url(link),
        title=plain_text(raw.get("title", "") or "")[:1000],
        summary=plain_text(raw.get("summary", "") or "")[:20000],
        content=content,
        authors=_authors(raw),
        published_at=_entry_date(raw, fetched_at),
    )


def _content(raw: Any) -> str:
    blocks = raw.get("content") or []
    texts = [plain_text(b.get("value", "") or "") for b in blocks]
    return max(texts, key=len, default="")[:200000]


def _authors(raw: Any) -> tuple[str, ...]:
    names = [a.get("name", "") for a in raw.get("authors", []) or [] if isinstance(a, dict)]
    if not any(names) and raw.get("author"):
        names = [raw.get("author")]
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _entry_date(raw: Any, fetched_at: datetime) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(key)
        if value:
            try:
                when = datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
            return when if _EARLIEST <= when <= fetched_at + _FUTURE_SLACK else None
    return None


def entries_fingerprint(entries: tuple[FeedEntry, ...]) -> str:
    """A hash of what a feed lists, to see whether it changed."""
    return content_hash("\n".join(sorted(e.entry_id for e in entries)))
