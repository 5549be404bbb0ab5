"""Builders, worker targets and a peak-RSS sampler shared by the hostile-input and fuzz tests.

Every hostile body is generated here; nothing comes from third-party corpora. Worker targets are
module-level so IsolatedPool workers can import them by name.
"""
from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

import feedparser

from pipeline.records import Extraction, FeedEntry, ParsedFeed

FETCHED_AT = datetime(2024, 7, 1, tzinfo=timezone.utc)
FEED_URL = "http://127.0.0.1:8765/feeds/feed.xml"
PAGE_URL = "http://127.0.0.1:8765/news/2024/06/30/harbour-budget"
# The classes a feed's problem may start with (pipeline.feeds): anything else is unclassified.
FEED_PROBLEM_CLASSES = ("refused:", "unparseable:", "malformed:", "not a feed:", "truncated:")
PAGE_FAILURE_CLASSES = ("too_large:", "too_complex:", "too_deep:", "libxml2_limit:")
WORDS = ("harbour council budget ferry quay channel mayor dredging vote debate tide pier fishermen lighthouse "
         "tender contract winter schedule island crossing repairs engineers cost estimate").split()


def article(paragraphs: int = 5, start: int = 0) -> str:
    """Distinct paragraphs of plain prose (trafilatura drops repeated ones)."""
    out = []
    for p in range(start, start + paragraphs):
        sentences = " ".join(f"The {WORDS[(p + i) % len(WORDS)]} of {WORDS[(p * 7 + i * 3) % len(WORDS)]} "
                             f"number {p}-{i} was discussed by the {WORDS[(p * 3 + i) % len(WORDS)]} group."
                             for i in range(6))
        out.append(f"<p>{sentences}</p>")
    return "".join(out)


ARTICLE = article()


# --- feeds ----------------------------------------------------------------------------------------


def item(n: int | str, *, title: str = "", link: str = "", guid: str = "",
         date: str = "Mon, 05 Feb 2024 07:30:00 GMT", description: str = "") -> str:
    """One RSS item; defaults make a good, distinct entry."""
    title = title or f"Good story {n}"
    link = link or f"http://news.example/story-{n}"
    guid = guid or f"guid-{n}"
    description = description or f"About {title}."
    return (f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
            f"<pubDate>{date}</pubDate><description>{description}</description></item>")


def rss_text(*items: str, declaration: str | None = "utf-8", doctype: str = "") -> str:
    """An RSS 2.0 document (as text) around the items; declaration=None leaves the XML declaration out."""
    head = f'<?xml version="1.0" encoding="{declaration}"?>\n' if declaration else ""
    return (head + doctype + '<rss version="2.0"><channel><title>Hostile</title><link>http://news.example/</link>'
            "<description>d</description>" + "".join(items) + "</channel></rss>")


def rss(*items: str, encoding: str = "utf-8", declaration: str | None = "", doctype: str = "") -> bytes:
    """An RSS 2.0 document encoded in `encoding`, declaring `declaration` (default: the same)."""
    declared = encoding if declaration == "" else declaration
    return rss_text(*items, declaration=declared, doctype=doctype).encode(encoding)


def atom(*entries: str, encoding: str = "utf-8") -> bytes:
    """An Atom 1.0 document around <entry> markup."""
    return (f'<?xml version="1.0" encoding="{encoding}"?><feed xmlns="http://www.w3.org/2005/Atom">'
            '<title>Hostile</title><id>urn:x</id><updated>2024-06-01T00:00:00Z</updated>'
            + "".join(entries) + "</feed>").encode(encoding)


def atom_entry(n: int, *, title: str = "", link: str = "") -> str:
    """One Atom entry."""
    return (f"<entry><title>{title or f'Good story {n}'}</title><link href=\"{link or f'http://news.example/a{n}'}\"/>"
            f"<id>urn:a{n}</id><updated>2024-06-0{1 + n % 9}T00:00:00Z</updated><summary>s {n}</summary></entry>")


def billion_laughs(levels: int = 10) -> str:
    """The nested-entity DOCTYPE (10 levels of 10: 10^10 expansions)."""
    decls = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return "<!DOCTYPE rss [\n" + "\n".join(decls) + "\n]>\n"


def quadratic_entity(value_bytes: int = 50_000) -> str:
    """One large plain entity: feedparser keeps it as "safe" and its loose parser expands it without limit."""
    return f'<!DOCTYPE rss [\n<!ENTITY a "{"x" * value_bytes}">\n]>\n'


def quadratic_feed(value_bytes: int = 50_000, refs: int = 5_000, encoding: str = "utf-8") -> bytes:
    """The quadratic blow-up: `refs` references to one `value_bytes` entity (utf-7 hides '<!ENTITY')."""
    text = rss_text(item(0, description="&a;" * refs), item(1), declaration=encoding,
                    doctype=quadratic_entity(value_bytes))
    if encoding == "utf-7":
        return text.encode("utf-7").replace(b"<!ENTITY", b"+ADw-!ENTITY")
    return text.encode(encoding)


def many_attributes_feed(attributes: int) -> bytes:
    """An item carrying `attributes` attributes: xml.sax looks each up by a linear scan (quadratic)."""
    attrs = " ".join(f'a{i}="v"' for i in range(attributes))
    return rss(item(0).replace("<item>", f"<item {attrs}>", 1), item(1))


def all_strings(entry: FeedEntry) -> list[str]:
    """Every text field of an entry."""
    return [entry.entry_key, entry.url, entry.title, entry.summary, entry.content, *entry.authors]


def storable(text: str) -> bool:
    """Text any store accepts: encodable as UTF-8 (no lone surrogates) and free of NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


# --- pages ----------------------------------------------------------------------------------------


def page(body: str, *, head: str = "<title>Harbour budget agreed</title>", lang: str = "en") -> str:
    """An HTML page (as text)."""
    return f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def nested(depth: int, inner: str = ARTICLE, tag: str = "div") -> str:
    """`inner` wrapped in `depth` levels of `tag`."""
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


def spans_page(spans: int) -> bytes:
    """One <p> of `spans` inline spans: trafilatura is superlinear on it (issue #704)."""
    words = "".join(f"<span>w{i} </span>" for i in range(spans))
    return page(f"<article><p>{words}</p></article>").encode("utf-8")


def feed_entry(*, content: str = "", summary: str = "", title: str = "Harbour budget agreed") -> FeedEntry:
    """A feed entry as parse_feed makes it, to fall back on."""
    return FeedEntry(entry_id="e1", feed_id="f1", outlet_id="o1", entry_key="k1", url=PAGE_URL, title=title,
                     summary=summary, content=content, authors=("Desk",), published_at=None)


def extraction_strings(result: Extraction) -> list[str]:
    """Every text field of an extraction."""
    return [result.title, result.text, result.language, result.canonical_url, result.partial_reason,
            *result.authors]


# --- worker targets and measurement ---------------------------------------------------------------


def unguarded_feedparser(body: bytes) -> int:
    """feedparser on a body with none of parse_feed's pre-checks: what the worker alone must bound."""
    parsed = feedparser.parse(io.BytesIO(body))
    return sum(len(e.get("summary", "")) for e in parsed.entries)


def feedparser_raises(body: bytes, content_type: str = "") -> str:
    """The exception raw feedparser (no pre-checks, no boundary) raises on a body; "" when it returns."""
    headers = {"content-location": FEED_URL} | ({"content-type": content_type} if content_type else {})
    try:
        feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # what parse_feed's boundary must contain
        return type(exc).__name__
    return ""


def vm_hwm_mb(pid: int) -> float:
    """Peak resident set (VmHWM) of a live process, in MB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakRss:
    """Samples the peak RSS of worker processes every 20 ms while in use (killed workers included,
    up to their last sample)."""

    def __init__(self, pids: Callable[[], Iterable[int]]) -> None:
        self._pids = pids
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self._sample()

    def _sample(self) -> None:
        try:
            pids = list(self._pids())
        except (AttributeError, RuntimeError, ValueError):  # the pool is being rebuilt
            return
        for pid in pids:
            self.peak_mb = max(self.peak_mb, vm_hwm_mb(pid))


def pool_pids(pool: object) -> Callable[[], list[int]]:
    """The live worker pids of an IsolatedPool (read through its private list, as test_isolation does)."""
    return lambda: [w.process.pid for w in list(getattr(pool, "_workers", []))]


def feed_parser_pids(parser: object) -> Callable[[], list[int]]:
    """The live worker pids of an IsolatedFeedParser."""
    return lambda: pool_pids(getattr(parser, "_pool", None))()


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """fn() and the seconds it took."""
    started = time.monotonic()
    result = fn()
    return result, time.monotonic() - started


def self_rss_mb() -> float:
    """This process's peak RSS in MB."""
    return vm_hwm_mb(os.getpid())
