"""Parsing a feed body into entries, inside its own error boundary (and, in a run, its own process)."""
from __future__ import annotations

import calendar
import codecs
import io
import logging
import re
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8
from feedparser.util import FeedParserDict

from pipeline.ids import content_hash, stable_id
from pipeline.isolation import Failed, IsolatedPool
from pipeline.records import FeedEntry, ParsedFeed
from pipeline.text import clean_text, plain_text, without_controls
from pipeline.urls import absolute_link, canonical_url

log = logging.getLogger(__name__)

_ENTITY_DECLARATION = re.compile(
    b"|".join(re.escape("<!ENTITY".encode(codec)) for codec in ("utf-8", "utf-16-le", "utf-16-be",
                                                                   "utf-32-le", "utf-32-be")),
    re.IGNORECASE)
_EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
_FUTURE_SLACK = timedelta(days=1)

# Numeric character references feedparser 6.0.14 raises on instead of flagging (issue #591):
# beyond U+10FFFF (ValueError, or OverflowError when huge) and UTF-16 surrogates (UnicodeEncodeError).
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")
_REPLACEMENT_REF = b"&#xFFFD;"
# Where an entry starts and ends, in an ASCII-compatible body (any namespace prefix, any case).
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]", re.IGNORECASE)
_ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>", re.IGNORECASE)
# UTF-16/32, told by a byte-order mark or by the first character "<" (feedparser sniffs only "<?"
# and mistakes a body with a BOM but no XML declaration for ISO-8859-1), and EBCDIC ("<?xm").
_EBCDIC_START = b"\x4c\x6f\xa7\x94"
_TRANSCODED_STARTS = ((_EBCDIC_START, "cp037"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"<\x00", "utf-16-le"),
                (b"\x00<", "utf-16-be"))
_DECLARED_ENCODING = re.compile(r"""\A(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])([^"']*)\2""")
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[^;]*", re.IGNORECASE)
_BAD_ENCODING_NAME = re.compile(rb"""(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])([^"']*[^"'\w.:-][^"']*)\2""")
_SURROGATE_CODECS = {"utf-7", "unicode-escape", "raw-unicode-escape"}
_SURROGATE = re.compile("[\ud800-\udfff]")

PARSE_DEADLINE_S = 10.0
PARSE_MEMORY_MB = 1024


def parse_feed(body: bytes, *, feed_id: str, outlet_id: str, url: str, fetched_at: datetime,
               content_type: str = "", max_entries: int = 2000) -> ParsedFeed:
    """Entries of a feed body; a malformed body yields what it can and names its problem."""
    headers = _headers(url, content_type)
    if _declares_entities(body, headers):  # the whole body: a long comment may come before the DOCTYPE
        return ParsedFeed(entries=(), problem="refused: document declares XML entities")
    body, headers, notes = _as_utf8(body, headers)
    body, repaired = _repair_char_refs(body)
    if repaired:
        notes.append(f"{repaired} character reference(s) to no character (beyond U+10FFFF or a surrogate) "
                     "read as U+FFFD")
    body, listed = _cut_entries(body, max_entries)
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,  # BytesIO: never a path or URL
                                  sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser raises on some malformed input instead of flagging bozo
        log.info("feed %s could not be parsed: %r", url, exc)
        return ParsedFeed(entries=(), problem=f"unparseable: {type(exc).__name__}: {exc}"[:300])
    feed = _collect(parsed, feed_id=feed_id, outlet_id=outlet_id, url=url,
                    fetched_at=fetched_at, max_entries=max_entries, listed=listed)
    if notes and not feed.problem:
        return replace(feed, problem=("malformed: " + "; ".join(notes))[:300])
    return feed


def _headers(url: str, content_type: str) -> dict[str, str]:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    return headers


def _declares_entities(body: bytes, headers: dict[str, str]) -> bool:
    """An <!ENTITY in the raw bytes, or in the text feedparser will decode them to (UTF-7, EBCDIC,
    unicode_escape… hide it from a byte search, and feedparser's loose parser expands plain entities
    without limit: 65 KB of UTF-7 became a 250 MB summary)."""
    if _ENTITY_DECLARATION.search(body):
        return True
    try:
        decoded = convert_to_utf8(dict(headers), body, FeedParserDict(bozo=False, entries=[], headers={}))
    except Exception:  # an undecodable body is feedparser's to flag
        return False
    return decoded is not body and _ENTITY_DECLARATION.search(decoded) is not None


def _as_utf8(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str], list[str]]:
    """The body as feedparser reads it right, with notes on what was wrong with its encoding.

    Transcoded to UTF-8 (XML declaration and Content-Type charset changed to match): UTF-16/32
    with or without a byte-order mark, EBCDIC (whose character references no byte search sees), and
    the codecs that decode to lone surrogates (UTF-7, unicode_escape: feedparser raises on those). A
    mark that contradicts the declared encoding is noted (the mark wins, as in XML); a declared
    encoding name with non-ASCII bytes (feedparser raises UnicodeDecodeError) is dropped.
    """
    codec = next((codec for start, codec in _TRANSCODED_STARTS if body.startswith(start)), None)
    if codec is None:
        notes: list[str] = []
        start = len(codecs.BOM_UTF8) if body.startswith(codecs.BOM_UTF8) else 0
        if bad := _BAD_ENCODING_NAME.match(body, start):
            body = body[:bad.start(3)] + body[bad.end(3):]
            notes.append(f"declared encoding {bad.group(3)[:40]!r} is no encoding name: ignored")
        if start:
            return body, headers, notes + _bom_conflict(body[3:203].decode("latin-1"), "utf-8")
        body, headers, more = _surrogate_codec_as_utf8(body, headers)
        return body, headers, notes + more
    if codec == "cp037":  # one of the EBCDIC code pages: the declared one if it reads "<?xm" too
        declared = _DECLARED_ENCODING.match(body[:200].decode("cp037"))
        name = _codec_name(declared.group(3)) if declared else ""
        codec = name if name and body[:4].decode(name, "replace") == "<?xm" else codec
    try:
        text = body.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError:  # not that encoding after all: feedparser will say what it is
        return body, headers, []
    return _utf8_document(text), _utf8_headers(headers), _bom_conflict(text[:200], codec)


def _surrogate_codec_as_utf8(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str], list[str]]:
    charset = _CHARSET_PARAM.search(headers.get("content-type", ""))
    declared = _DECLARED_ENCODING.match(body[:200].decode("latin-1"))
    names = [charset.group(0).partition("=")[2].strip(" \"'") if charset else "", declared.group(3) if declared else ""]
    codec = next((name for name in names if _codec_name(name) in _SURROGATE_CODECS), None)
    if codec is None:
        return body, headers, []
    text = body.decode(codec, "replace")
    lone = len(_SURROGATE.findall(text))
    text = _SURROGATE.sub("\ufffd", text)
    notes = [f"{lone} lone surrogate(s) in {codec} text read as U+FFFD"] if lone else []
    return _utf8_document(text), _utf8_headers(headers), notes


def _codec_name(name: str) -> str:
    try:
        return codecs.lookup(name).name if name else ""
    except LookupError:
        return ""


def _utf8_document(text: str) -> bytes:
    return _DECLARED_ENCODING.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")


def _utf8_headers(headers: dict[str, str]) -> dict[str, str]:
    if "content-type" not in headers:
        return headers
    return headers | {"content-type": _CHARSET_PARAM.sub("charset=utf-8", headers["content-type"])}


def _bom_conflict(head: str, codec: str) -> list[str]:
    match = _DECLARED_ENCODING.match(head)
    declared = match.group(3).strip() if match else ""
    name = _codec_name(declared) or declared.lower()
    if not name or name.startswith(codec[:6]):
        return []
    return [f"document declared as {declared[:40]} but its bytes are {codec} (read as {codec})"]


def _repair_char_refs(body: bytes) -> tuple[bytes, int]:
    """Character references to no character (&#x110000;, &#99999999999;, &#xD800;) become U+FFFD.

    feedparser 6.0.14 raises on them (ValueError, OverflowError, UnicodeEncodeError: issue #591)
    and the whole feed would be lost. Returns the body and how many were replaced.
    """
    if b"&#" not in body:
        return body, 0
    repaired = 0

    def check(match: re.Match[bytes]) -> bytes:
        nonlocal repaired
        hex_digits, digits = (g.decode("ascii") if g else "" for g in match.group(1, 2))
        if _is_character(hex_digits, digits):
            return match.group(0)
        repaired += 1
        return _REPLACEMENT_REF

    return _CHAR_REF.sub(check, body), repaired


def _is_character(hex_digits: str, digits: str) -> bool:
    significant = (hex_digits or digits).lstrip("0")
    if len(significant) > 7:  # also keeps int() off 5,000-digit strings
        return False
    value = int(significant or "0", 16 if hex_digits else 10)
    return value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF


def _cut_entries(body: bytes, max_entries: int) -> tuple[bytes, int]:
    """A body listing more than max_entries entries loses the extra ones before parsing.

    feedparser takes about 1.4 s per MB of small items (100,000 items: 24 s), so the cap must
    bound the parse, not only what is kept. The body keeps what follows the last entry (the
    closing tags), so a well-formed feed stays well-formed. Returns the body and the number of
    entries it listed (0 when not cut).
    """
    listed, cut = 0, -1
    for match in _ENTRY_START.finditer(body):
        listed += 1
        if listed == max_entries + 1:
            cut = match.start()
    if cut < 0:
        return body, 0
    last_end = None
    for last_end in _ENTRY_END.finditer(body, cut):
        pass
    return body[:cut] + (body[last_end.end():] if last_end else b""), listed


def _collect(parsed: Any, *, feed_id: str, outlet_id: str, url: str, fetched_at: datetime,
             max_entries: int, listed: int = 0) -> ParsedFeed:
    problem = _problem(parsed)
    entries: dict[str, FeedEntry] = {}
    dropped = 0
    for raw in parsed.entries[:max_entries]:
        entry = _entry(raw, feed_id=feed_id, outlet_id=outlet_id, base=url, fetched_at=fetched_at)
        if entry is None or entry.entry_id in entries:
            dropped += 1
            continue
        entries[entry.entry_id] = entry
    extra = max(len(parsed.entries), listed) - max_entries
    if extra > 0:
        dropped += extra
        if not problem or (listed and problem.startswith("malformed")):  # the cut may have left the markup open
            problem = f"truncated: more than {max_entries} entries"
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
    key = without_controls(raw.get("id") or raw.get("guid") or "").strip() or canonical_url(link)
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
    names = [clean_text(n).strip() for n in names if isinstance(n, str)]
    return tuple(dict.fromkeys(n for n in names if n))


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


class IsolatedFeedParser:
    """parse_feed in a killable worker process with a deadline and a memory cap.

    feedparser runs in pure Python and some small bodies make it run for minutes (an item with
    100,000 attributes: 1 MB, 160 s, quadratic in xml.sax) or grow without bound; in a worker such a
    body costs at most `deadline_s` and `memory_mb` and becomes the feed's problem. The worker
    starts on the first body (a night of 304s starts none); parse() is safe from any one thread
    at a time (calls are serialised).
    """

    def __init__(self, *, deadline_s: float | None = None, memory_mb: int | None = None) -> None:
        self.deadline_s = deadline_s or PARSE_DEADLINE_S
        self.memory_mb = memory_mb or PARSE_MEMORY_MB
        self._pool: IsolatedPool | None = None
        self._lock = threading.Lock()
        self.killed = 0

    def __enter__(self) -> "IsolatedFeedParser":
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.__exit__(*exc)
                self._pool = None

    def parse(self, body: bytes, **kwargs: Any) -> ParsedFeed:
        """What parse_feed(body, **kwargs) returns, or the reason the worker gave up as the problem."""
        with self._lock:
            if self._pool is None:
                self._pool = IsolatedPool(parse_feed, workers=1, deadline_s=self.deadline_s,
                                          memory_mb=self.memory_mb).__enter__()
            killed = self._pool.killed
            ((_, result),) = self._pool.run([("feed", (body,), kwargs)])
            self.killed += self._pool.killed - killed
        if isinstance(result, ParsedFeed):
            return result
        log.warning("feed %s: parse abandoned: %s", kwargs.get("url", "?"), getattr(result, "reason", result))
        return ParsedFeed(entries=(), problem=self._problem(result))

    def _problem(self, failed: Failed) -> str:
        reason = getattr(failed, "reason", "") or "no result"
        if reason == "deadline":
            return f"unparseable: parsing took longer than {self.deadline_s:g} s (worker killed)"
        if reason == "memory_limit":
            return f"unparseable: parsing needed more than {self.memory_mb} MB (memory limit)"
        if reason == "worker_died":
            return "unparseable: the parsing worker died"
        return f"unparseable: {reason.removeprefix('error: ')}"[:300]
