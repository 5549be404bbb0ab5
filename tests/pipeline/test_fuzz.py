"""Property-based fuzzing (RELIABILITY.md §3 H8) of the feed and page stages, in resource-limited workers.

Feeds: parse_feed in an IsolatedPool worker (2 s, 512 MB: the §2 F24 bounds) on structure-aware
generated feeds (items, entities, character references, CDATA, encodings, BOMs, lying declarations),
on mutations of the project's own fixture feeds, and on arbitrary bytes. Pages: extract_article in an
IsolatedPool worker (5 s, 1536 MB) on generated HTML trees and arbitrary bytes. The property: every
call returns (a ParsedFeed / an Extraction or a classified UnextractablePage), never an exception, a
deadline or an out-of-memory, and every stored string is storable. Counts print at the end (-s).
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import extract_article
from pipeline.feeds import parse_feed
from pipeline.isolation import Failed, IsolatedPool
from pipeline.records import Extraction, ParsedFeed
from pipeline.urls import canonical_url, check_http_url
from tests.pipeline.hostile_support import (ARTICLE, FEED_PROBLEM_CLASSES, FEED_URL, FETCHED_AT, PAGE_FAILURE_CLASSES, PAGE_URL,
                                            PeakRss, all_strings, extraction_strings, feed_entry, feedparser_raises,
                                            pool_pids, storable)
from tests.support.server import FIXTURES, fixture_bytes

FEED_DEADLINE_S, FEED_MEMORY_MB = 2.0, 512
PAGE_DEADLINE_S, PAGE_MEMORY_MB = 5.0, 1536
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                      HealthCheck.function_scoped_fixture])
FIGURES: dict[str, Counter] = {"feeds": Counter(), "pages": Counter(), "contained": Counter(), "raw": Counter()}
WORST: dict[str, float] = {"feeds": 0.0, "pages": 0.0}
SAMPLERS: dict[str, PeakRss] = {}

# --- feed strategies ------------------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from([
    "&#x110000;", "&#99999999999;", "&#xD800;", "&#xdfff;", "&#0;", "&#x41;", "&#65;", "&#x;", "&#", "&amp;", "&lt;",
    "&nbsp;", "&bogus;", "&#x10FFFF;", "&#" + "9" * 60 + ";", "<b>bold</b>", "<script>alert(1)</script>", "]]>",
    "<![CDATA[", "<", ">", "&", "\x00", "\ud800", "\udfff", "\ufeff", "\u202e", "<!--", "-->",
    "\\", "%", "javascript:alert(1)", "data:,x", "file:///etc/passwd", "<img src=x onerror=alert(1)>", "\r\n",
    "<item>", "</item>", "<entry>", "</channel>", "<?xml version='1.0'?>", "<!DOCTYPE x>", "\x1b[31m", "é", "東京"])
FRAGMENT = st.lists(st.one_of(st.text(max_size=25), HOSTILE_TEXT), max_size=5).map("".join)
FIELD = st.one_of(FRAGMENT, FRAGMENT.map(lambda t: f"<![CDATA[{t}]]>"))
LINK = st.one_of(
    st.sampled_from(["http://news.example/a", "https://news.example/b?utm_source=x&id=2", "/relative/c", "d",
                     "//other.example/x", "http://[::1", "http://h:99999/", "HTTP://NEWS.EXAMPLE:80/a#f",
                     "http://news.example/" + "a" * 3000, "http://xn--bcher-kva.example/é"]),
    st.builds(lambda tail: "http://news.example/" + tail, st.text(max_size=15)), FRAGMENT)
DATE = st.one_of(
    st.sampled_from(["Mon, 05 Feb 2024 07:30:00 GMT", "Mon, 05 Feb 2203 07:30:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
                     "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "2024-02-30T25:61:00Z",
                     "2024-06-01T12:00:00+14:00", "yesterday", ""]),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")), FRAGMENT)


def _rss_item(title: str, link: str, guid: str, date: str, description: str) -> str:
    return (f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid><pubDate>{date}</pubDate>"
            f"<description>{description}</description></item>")


def _atom_entry(title: str, link: str, guid: str, date: str, description: str) -> str:
    return (f'<entry><title type="html">{title}</title><link href="{link}"/><id>{guid}</id><updated>{date}</updated>'
            f'<content type="html">{description}</content><author><name>{guid}</name></author></entry>')


ENTRY = st.tuples(FIELD, LINK, FIELD, DATE, FIELD)
DOCTYPE = st.sampled_from([
    "", '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:9/rss.dtd">\n',
    "<!DOCTYPE rss [\n<!ENTITY a 'b'>\n]>\n", '<!DOCTYPE rss SYSTEM "file:///etc/passwd">\n',
    "<!-- <!ENTITY in a comment -->\n", "<!DOCTYPE rss [\n<!ENTITY % p SYSTEM 'http://127.0.0.1:9/x'> %p;\n]>\n"])
CODECS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "koi8-r", "shift_jis",
          "gb18030", "utf-7", "cp037"]
CONTENT_TYPES = ["", "application/rss+xml", "text/xml", "application/xml; charset=iso-8859-1", "text/html",
                 "application/rss+xml; charset=utf-16", "application/atom+xml; charset=utf-8"]


@st.composite
def generated_feeds(draw: st.DrawFn) -> tuple[bytes, str, int]:
    """A feed built from hostile parts: (body, content type, max_entries)."""
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    entries = draw(st.lists(ENTRY, max_size=6))
    if kind == "atom":
        inner = "".join(_atom_entry(*e) for e in entries)
        text = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(FIELD)}</title>{inner}</feed>'
    elif kind == "rdf":
        inner = "".join(_rss_item(*e) for e in entries)
        text = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
                f"<channel><title>t</title></channel>{inner}</rdf:RDF>")
    else:
        inner = "".join(_rss_item(*e) for e in entries)
        text = f'<rss version="2.0"><channel><title>{draw(FIELD)}</title><link>{draw(LINK)}</link>{inner}</channel></rss>'
    codec = draw(st.sampled_from(CODECS))
    declared = draw(st.one_of(st.none(), st.just(codec), st.sampled_from(CODECS + ["bogus-charset", ""])))
    head = "" if declared is None else f'<?xml version="1.0" encoding="{declared}"?>\n'
    body = (head + draw(DOCTYPE) + text).encode(codec, "xmlcharrefreplace")
    body = draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"])) + body
    cut = draw(st.one_of(st.none(), st.integers(0, max(len(body), 1))))
    return (body[:cut] if cut is not None else body), draw(st.sampled_from(CONTENT_TYPES)), draw(st.integers(1, 5))


def _seeds() -> list[bytes]:
    feeds = sorted((FIXTURES / "feeds").glob("*.xml"))
    return [fixture_bytes(f"feeds/{p.name}", "http://127.0.0.1:8765") for p in feeds]


SEEDS = _seeds()
INSERTS = [b"<", b"&", b"]]>", b"<![CDATA[", b"<!ENTITY a 'b'>", b"&#x110000;", b"&#99999999999;", b"\x00", b"\xff",
           b"<item>", b"</item>", b"<entry>", b"\xed\xa0\x80", b"&#xD800;", b"\\", b'"', b"<!--", b"<?xml ?>"]
MUTATION = st.tuples(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate"]), st.floats(0, 1),
                     st.integers(0, 255), st.sampled_from(INSERTS), st.integers(1, 40))


def _mutate(seed: bytes, mutations: list[tuple[str, float, int, bytes, int]]) -> bytes:
    body = seed
    for op, where, byte, token, size in mutations:
        at = int(where * len(body))
        if op == "flip" and body:
            at = min(at, len(body) - 1)
            body = body[:at] + bytes([body[at] ^ (byte or 1)]) + body[at + 1:]
        elif op == "insert":
            body = body[:at] + token + body[at:]
        elif op == "delete":
            body = body[:at] + body[at + size:]
        elif op == "repeat":
            body = body[:at] + body[at:at + size] * min(size, 20) + body[at:]
        else:
            body = body[:at]
    return body


MUTATED = st.builds(_mutate, st.sampled_from(SEEDS), st.lists(MUTATION, min_size=1, max_size=8))

# --- page strategies ------------------------------------------------------------------------------

PAGE_TEXT = st.one_of(
    st.text(max_size=40), st.sampled_from(["&amp;", "&#x110000;", "&#xD800;", "&nbsp;", "\x00", "\ud800", "\u202e",
                                           "<!--", "]]>", "&bogus", "<", "é", "東京", "\x0c"]),
    st.integers(0, 10_000).map(lambda n: f" The harbour council debated item {n} of the budget at length today. "))
TAGS = st.sampled_from(["div", "p", "span", "b", "article", "section", "main", "script", "style", "table", "td", "ul",
                        "li", "a", "img", "br", "noscript", "template", "svg", "math", "iframe", "form", "h1", "pre",
                        "header", "footer", "nav", "aside", "figure", "blockquote", "x-widget"])
ATTRIBUTE = st.tuples(
    st.sampled_from(["class", "id", "href", "src", "data-x", "style", "lang", "rel", "content", "itemprop", "onerror"]),
    st.one_of(st.text(max_size=15), st.sampled_from(["javascript:alert(1)", "file:///etc/passwd", "data:,x",
                                                     "article-body", "content", "a\"b", "x" * 5000])))


def _element(tag: str, attributes: list[tuple[str, str]], children: list[str]) -> str:
    attrs = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in attributes)
    return f"<{tag}{attrs}>{''.join(children)}</{tag}>"


NODE = st.recursive(PAGE_TEXT, lambda children: st.builds(_element, TAGS, st.lists(ATTRIBUTE, max_size=3),
                                                          st.lists(children, max_size=5)), max_leaves=40)
HEAD = st.lists(st.sampled_from([
    "<title>Harbour budget</title>", '<meta charset="utf-8">', '<meta charset="iso-8859-1">', '<meta charset="bogus">',
    '<meta http-equiv="refresh" content="0;url=file:///etc/passwd">', '<link rel="canonical" href="file:///x">',
    '<link rel="canonical" href="/news/other">', '<base href="file:///etc/">', '<html lang="de">',
    '<meta property="article:published_time" content="2203-01-01T00:00:00Z">',
    '<script type="application/ld+json">{"datePublished": "1970-01-01", "@graph": [[[[[[[[]]]]]]]]}</script>']),
    max_size=4).map("".join)


@st.composite
def generated_pages(draw: st.DrawFn) -> tuple[bytes | str, bool]:
    """An HTML page from hostile parts, possibly nested past libxml2's depth limit: (html, with feed entry)."""
    depth = draw(st.sampled_from([0, 0, 0, 5, 120, 260, 400]))
    nodes = draw(st.lists(NODE, max_size=6))
    if draw(st.booleans()):  # a real article somewhere among the hostile parts
        nodes.insert(draw(st.integers(0, len(nodes))), f"<article>{ARTICLE}</article>")
    body = "<div>" * depth + "".join(nodes) + "</div>" * draw(st.integers(0, depth))
    html = f"<!DOCTYPE html><html><head>{draw(HEAD)}</head><body>{body}</body></html>"
    if draw(st.booleans()):
        return html, draw(st.booleans())  # str input, lone surrogates and all
    codec = draw(st.sampled_from(["utf-8", "latin-1", "cp1252", "utf-16", "utf-16-le", "shift_jis"]))
    raw = draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + html.encode(codec, "xmlcharrefreplace")
    return raw, draw(st.booleans())


# --- workers and checks ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feed_pool() -> Iterator[IsolatedPool]:
    with IsolatedPool(parse_feed, workers=1, deadline_s=FEED_DEADLINE_S, memory_mb=FEED_MEMORY_MB) as pool, \
            PeakRss(pool_pids(pool)) as peak:
        SAMPLERS["feeds"] = peak
        yield pool


@pytest.fixture(scope="module")
def raw_pool() -> Iterator[IsolatedPool]:
    """Raw feedparser on the same inputs: the baseline the boundary must beat."""
    with IsolatedPool(feedparser_raises, workers=1, deadline_s=FEED_DEADLINE_S, memory_mb=FEED_MEMORY_MB) as pool:
        yield pool


@pytest.fixture(scope="module")
def page_pool() -> Iterator[IsolatedPool]:
    with IsolatedPool(extract_article, workers=1, deadline_s=PAGE_DEADLINE_S, memory_mb=PAGE_MEMORY_MB) as pool, \
            PeakRss(pool_pids(pool)) as peak:
        SAMPLERS["pages"] = peak
        yield pool


def _call(pool: IsolatedPool, args: tuple, kwargs: dict) -> tuple[object, float]:
    started = time.monotonic()
    ((_, result),) = pool.run([("x", args, kwargs)])
    return result, time.monotonic() - started


def _failure(stage: str, result: object) -> None:
    counts = FIGURES[stage]
    if isinstance(result, Failed):
        counts["timeouts" if result.reason == "deadline" else
               "ooms" if result.reason == "memory_limit" else "escapes"] += 1


def _check_feed(body: bytes, content_type: str, max_entries: int, pool: IsolatedPool, raw: IsolatedPool | None) -> None:
    feed, elapsed = _call(pool, (body,), dict(feed_id="f", outlet_id="o", url=FEED_URL, fetched_at=FETCHED_AT,
                                              content_type=content_type, max_entries=max_entries))
    FIGURES["feeds"]["examples"] += 1
    WORST["feeds"] = max(WORST["feeds"], elapsed)
    if elapsed > 2.0:
        FIGURES["feeds"]["over_2s"] += 1
    _failure("feeds", feed)
    if raw is not None:
        (raised, _) = _call(raw, (body, content_type), {})
        FIGURES["raw"]["inputs"] += 1
        FIGURES["raw"]["raised" if raised and not isinstance(raised, Failed) else
                       "blew_up" if isinstance(raised, Failed) else "returned"] += 1
    assert isinstance(feed, ParsedFeed), feed
    assert feed.problem == "" or feed.problem.startswith(FEED_PROBLEM_CLASSES), feed.problem
    if feed.problem.startswith("unparseable:"):
        FIGURES["contained"][feed.problem.split(":")[1].strip()] += 1
    FIGURES["feeds"]["with_entries" if feed.entries else "without_entries"] += 1
    assert len(feed.entries) <= max_entries and len({e.entry_id for e in feed.entries}) == len(feed.entries)
    for entry in feed.entries:
        assert check_http_url(entry.url) == entry.url == canonical_url(entry.url)
        assert all(storable(text) for text in all_strings(entry)), entry
        assert entry.published_at is None or entry.published_at.year in range(1995, 2025)


def _check_page(html: bytes | str, with_entry: bool, pool: IsolatedPool) -> None:
    entry = feed_entry(content=" ".join(f"Feed word {i}." for i in range(200))) if with_entry else None
    result, elapsed = _call(pool, (html, PAGE_URL), {"entry": entry, "fetched_at": FETCHED_AT})
    FIGURES["pages"]["examples"] += 1
    WORST["pages"] = max(WORST["pages"], elapsed)
    if elapsed > 2.0:
        FIGURES["pages"]["over_2s"] += 1
    if isinstance(result, Failed) and result.reason.startswith("error: UnextractablePage: "):
        reason = result.reason.removeprefix("error: UnextractablePage: ")
        assert reason.startswith(PAGE_FAILURE_CLASSES) and not with_entry, reason
        FIGURES["pages"]["flagged_" + reason.split(":")[0]] += 1
        return
    _failure("pages", result)
    assert isinstance(result, Extraction), result
    FIGURES["pages"]["partial" if result.partial else "article"] += 1
    assert all(storable(text) for text in extraction_strings(result)), result
    assert check_http_url(result.canonical_url) and "/etc/" not in result.canonical_url
    assert result.partial or len(result.text.split()) >= 125


# --- the properties -------------------------------------------------------------------------------


@settings(max_examples=300, **SETTINGS)
@given(generated_feeds())
def test_generated_feeds(feed_pool: IsolatedPool, raw_pool: IsolatedPool, case: tuple[bytes, str, int]) -> None:
    _check_feed(*case, feed_pool, raw_pool)


@settings(max_examples=200, **SETTINGS)
@given(MUTATED, st.sampled_from(CONTENT_TYPES))
def test_mutated_fixture_feeds(feed_pool: IsolatedPool, raw_pool: IsolatedPool, body: bytes, content_type: str) -> None:
    _check_feed(body, content_type, 2000, feed_pool, raw_pool)


@settings(max_examples=200, **SETTINGS)
@given(st.binary(max_size=4096), st.sampled_from(CONTENT_TYPES))
def test_arbitrary_bytes_as_a_feed(feed_pool: IsolatedPool, body: bytes, content_type: str) -> None:
    _check_feed(body, content_type, 2000, feed_pool, None)


@settings(max_examples=80, **SETTINGS)
@given(generated_pages())
def test_generated_pages(page_pool: IsolatedPool, case: tuple[bytes | str, bool]) -> None:
    _check_page(*case, page_pool)


@settings(max_examples=40, **SETTINGS)
@given(st.binary(max_size=8192))
def test_arbitrary_bytes_as_a_page(page_pool: IsolatedPool, body: bytes) -> None:
    _check_page(body, False, page_pool)


def test_zz_print_figures(feed_pool: IsolatedPool, page_pool: IsolatedPool) -> None:
    """§4 item 2 (run with -s)."""
    feeds, pages, raw = FIGURES["feeds"], FIGURES["pages"], FIGURES["raw"]
    print(f"\nfuzz feeds: {feeds['examples']} examples in a {FEED_DEADLINE_S:g} s/{FEED_MEMORY_MB} MB worker: "
          f"escapes {feeds['escapes']}, timeouts {feeds['timeouts']}, OOMs {feeds['ooms']}, over 2 s "
          f"{feeds['over_2s']}, worst {WORST['feeds']:.2f} s, workers killed {feed_pool.killed}, peak worker RSS "
          f"{SAMPLERS['feeds'].peak_mb:.0f} MB; {feeds['with_entries']} with entries; "
          f"library exceptions contained {dict(FIGURES['contained'])}; raw feedparser on {raw['inputs']} of them: "
          f"raised {raw['raised']}, blew up {raw['blew_up']}")
    print(f"fuzz pages: {pages['examples']} examples in a {PAGE_DEADLINE_S:g} s/{PAGE_MEMORY_MB} MB worker: "
          f"escapes {pages['escapes']}, timeouts {pages['timeouts']}, OOMs {pages['ooms']}, over 2 s "
          f"{pages['over_2s']}, worst {WORST['pages']:.2f} s, workers killed {page_pool.killed}, peak worker RSS "
          f"{SAMPLERS['pages'].peak_mb:.0f} MB; "
          f"{ {k: v for k, v in pages.items() if k.startswith(('flagged', 'partial', 'article'))} }")
    assert feeds["escapes"] == feeds["timeouts"] == feeds["ooms"] == 0
    assert pages["escapes"] == pages["timeouts"] == pages["ooms"] == 0
