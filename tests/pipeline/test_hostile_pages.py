"""Hostile article pages (RELIABILITY.md §2.C) through the production boundary: extract_article in
IsolatedPool workers with the default [extract] bounds (20 s, 1536 MB).

Every page must come back as an Extraction or as a classified failure (never a dead worker, a
deadline or an unclassified error), within its time budget, with nothing unsafe in any field; a
page whose content libxml2 dropped must be flagged, never stored as an empty article. The figures
of §4 items 1 and 6 are printed at the end (run with -s to see them).
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytest

from pipeline.articles import assemble
from pipeline.config import ExtractSettings
from pipeline.extract import MAX_ATTRIBUTES, MAX_ELEMENTS, MAX_PAGE_BYTES, UnextractablePage, extract_article, precheck_page
from pipeline.isolation import Failed, IsolatedPool
from pipeline.records import Extraction, FeedEntry, Page
from pipeline.urls import check_http_url
from tests.pipeline.hostile_support import (ARTICLE, PAGE_FAILURE_CLASSES, PAGE_URL, PeakRss, article,
                                            extraction_strings, feed_entry, nested, page, pool_pids, spans_page,
                                            storable)

FETCHED_AT = datetime(2024, 7, 1, tzinfo=timezone.utc)
FEED_TEXT = " ".join(f"Feed sentence {i} carries the whole story as the outlet's feed publishes it." for i in range(40))
WITH_FEED = feed_entry(content=FEED_TEXT)
FIGURES: dict[str, object] = {"cases": 0, "escapes": 0, "over_budget": 0, "worst_s": 0.0,
                              "categories": Counter(), "outcomes": Counter()}


@dataclass(frozen=True)
class HostilePage:
    """One hostile page and what extraction must make of it.

    expect: "article" (full text), "partial:<words in the reason>", "shell" (no text: the run records
    "no text on page or in feed"), or "fail:<class>" (UnextractablePage with that reason).
    """

    name: str
    category: str
    html: bytes | str
    expect: str
    entry: FeedEntry | None = None
    budget_s: float = 3.0
    contains: tuple[str, ...] = ()
    forbid: tuple[str, ...] = field(default=("root:",))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _article_page(body: str) -> str:
    return page("<article>" + body + "</article>")


FRENCH = article(5).replace("The ", "Le café crème ")
CASES = [
    # size and complexity: refused before any parsing (H1, H2)
    HostilePage("50MB", "size", b"<html><body>" + b"<p>" + b"x" * 50 * 2**20 + b"</p></body></html>",
                "fail:too_large", budget_s=3.0),
    HostilePage("million-spans", "size", spans_page(1_000_000), "fail:too_large"),
    HostilePage("million-spans-feed-fallback", "size", spans_page(1_000_000), "partial:too_large", entry=WITH_FEED,
                contains=("Feed sentence 39",)),
    HostilePage("million-b-tags-8MB", "size", _utf8(page("<p>" + "<b>x</b>" * 1_000_000 + "</p>")),
                "fail:too_complex"),
    HostilePage("5MB-ordinary", "size", _utf8(page(f"<article>{article(12_000)}</article>")), "article",
                budget_s=10.0, contains=("number 11999-5",)),
    # libxml2 limits: dropped silently by the parser, flagged here (H3, H4)
    HostilePage("nested-300", "libxml2", _utf8(page(nested(300))), "fail:too_deep"),
    HostilePage("nested-254-in-body", "libxml2", _utf8(page(nested(254))), "fail:too_deep"),
    HostilePage("nested-250-fine", "libxml2", _utf8(page(nested(250))), "article"),
    HostilePage("nested-300-feed-fallback", "libxml2", _utf8(page(nested(300))), "partial:too_deep",
                entry=WITH_FEED, contains=("Feed sentence 39",)),
    HostilePage("nested-unclosed-300", "libxml2", _utf8(page("<div>" * 300 + ARTICLE)), "fail:too_deep"),
    HostilePage("deep-then-article", "libxml2", _utf8(page(nested(300, "x") + f"<article>{ARTICLE}</article>")),
                "fail:too_deep"),
    HostilePage("article-then-deep", "libxml2", _utf8(page(f"<article>{ARTICLE}</article>" + nested(300, "x"))),
                "partial:too_deep", contains=("number 4-5",)),
    HostilePage("attribute-10.1MB", "libxml2",
                _utf8(page(f'<div data-x="{"a" * 10_100_000}"></div><article>{ARTICLE}</article>')),
                "fail:libxml2_limit"),
    HostilePage("text-node-10.1MB-after-article", "libxml2",
                _utf8(page(f'<article>{ARTICLE}</article><pre>{"word " * 2_020_000}</pre>')),
                "partial:libxml2_limit", contains=("number 4-5",)),
    # huge attributes below the limit (H9)
    HostilePage("attribute-4MB", "attributes",
                _utf8(page(f'<article><div data-x="{"a" * 4_000_000}"></div>{ARTICLE}</article>')), "article"),
    HostilePage("100k-attributes", "attributes",
                _utf8(page("<article><div " + " ".join(f'a{i}="v"' for i in range(100_000)) + f">{ARTICLE}</div>"
                           "</article>")), "fail:too_complex"),  # libxml2 is quadratic in them: >20 s
    HostilePage("data-uri-2MB", "attributes",
                _utf8(page(f'<article><img src="data:image/png;base64,{"QUJD" * 500_000}==" alt="a b">{ARTICLE}'
                           "</article>")), "article"),
    # encodings and lying charsets (H8)
    HostilePage("invalid-utf8", "encodings",
                _utf8(page(f"<article>{ARTICLE}</article>")).replace(b"number 2-3", b"number \xff\xfe\xc3 2-3"),
                "article", contains=("number 4-5",)),
    HostilePage("meta-utf8-latin1-bytes", "encodings",
                page(f"<article>{FRENCH}</article>", head='<meta charset="utf-8"><title>Café</title>').encode("latin-1"),
                "article", contains=("café crème",)),
    HostilePage("meta-latin1-utf8-bytes", "encodings",
                _utf8(page(f"<article>{FRENCH}</article>", head='<meta charset="iso-8859-1"><title>Café</title>')),
                "article"),
    HostilePage("utf8-bom-meta-latin1", "encodings",
                b"\xef\xbb\xbf" + _utf8(page(f"<article>{FRENCH}</article>",
                                             head='<meta charset="iso-8859-1"><title>Café</title>')), "article"),
    HostilePage("utf16-no-bom", "encodings", page(f"<article>{ARTICLE}</article>").encode("utf-16-le"), "article",
                contains=("number 4-5",)),
    HostilePage("utf16-bom", "encodings", page(f"<article>{ARTICLE}</article>").encode("utf-16"), "article",
                contains=("number 4-5",)),
    HostilePage("shift-jis-late-meta", "encodings",
                page("<!--" + " " * 2000 + "-->" + f"<article><p>{'東京の港で新しい予算が可決された。' * 30}</p>{ARTICLE}</article>",
                     head='<title>東京</title><meta charset="shift_jis">').encode("shift_jis"), "article",
                contains=("東京の港で新しい予算が可決された。",)),
    # characters (H7)
    HostilePage("lone-surrogates-str", "characters",
                _article_page(ARTICLE.replace("number 1-1", "number \ud800 1-1 \udfff")), "article"),
    HostilePage("lone-surrogate-bytes", "characters",
                _utf8(page(f"<article>{ARTICLE}</article>")).replace(b"number 1-1",
                                                                     "\ud800".encode("utf-8", "surrogatepass")),
                "article"),
    HostilePage("nul-and-controls", "characters",
                _utf8(_article_page(ARTICLE.replace("number 1-1", "nu\x00mber \x07\x1b 1-1"))),
                "article"),
    HostilePage("bad-char-refs", "characters",
                _utf8(_article_page(ARTICLE.replace("number 1-1", "&#x110000; &#xD800; &#99999999999; 1-1"))), "article"),
    # links and redirects to local files (never followed; canonical stays http)
    HostilePage("meta-refresh-file", "links",
                _utf8(page(f"<article>{ARTICLE}</article>",
                           head='<meta http-equiv="refresh" content="0;url=file:///etc/passwd"><title>T</title>')),
                "article"),
    HostilePage("canonical-file-and-base", "links",
                _utf8(page(f"<article>{ARTICLE}</article>",
                           head='<base href="file:///etc/"><link rel="canonical" href="passwd"><title>T</title>')),
                "article"),
    HostilePage("canonical-javascript", "links",
                _utf8(page(f"<article>{ARTICLE}</article>",
                           head='<link rel="canonical" href="javascript:alert(1)"><title>T</title>')), "article"),
    # shells and junk (H5, H6, H10)
    HostilePage("scripts-only", "shells",
                _utf8(page("<script>" + "var a = 1;" * 20_000 + "</script>" + "<script>boot()</script>" * 200)),
                "shell"),
    HostilePage("scripts-only-feed-fallback", "shells", _utf8(page("<script>boot()</script>" * 200)),
                "partial:script-only", entry=WITH_FEED, contains=("Feed sentence 39",)),
    HostilePage("empty", "shells", b"", "shell"),
    HostilePage("random-bytes", "shells", bytes(range(256)) * 400, "shell"),
    HostilePage("pdf-as-html", "shells", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n" * 500, "shell"),
    HostilePage("unclosed-comment", "shells", _utf8(page(f"<article>{ARTICLE}</article><!-- never closed")),
                "article"),
    HostilePage("stray-closers", "shells", _utf8(page(f"<article>{ARTICLE}</article>" + "</html></body>" * 10_000)),
                "article"),
    HostilePage("unclosed-tags", "shells", _utf8(page("<article>" + ARTICLE.replace("</p>", "") + "<div><span><b>")),
                "article"),
]


@pytest.fixture(scope="module")
def pool() -> Iterator[IsolatedPool]:
    """The production extraction pool, with its workers' peak RSS sampled throughout."""
    s = ExtractSettings()
    with IsolatedPool(extract_article, workers=s.workers, deadline_s=s.deadline_s, memory_mb=s.memory_mb) as workers, \
            PeakRss(pool_pids(workers)) as peak:
        FIGURES["sampler"], FIGURES["pool"] = peak, workers
        yield workers


def _check(case: HostilePage, result: object, elapsed: float) -> None:
    FIGURES["cases"] = int(FIGURES["cases"]) + 1
    FIGURES["categories"][case.category] += 1  # type: ignore[index]
    FIGURES["worst_s"] = max(float(FIGURES["worst_s"]), elapsed)
    classified = isinstance(result, Failed) and result.reason.startswith("error: UnextractablePage: ") and \
        result.reason.removeprefix("error: UnextractablePage: ").startswith(PAGE_FAILURE_CLASSES)
    if not (isinstance(result, Extraction) or classified):
        FIGURES["escapes"] = int(FIGURES["escapes"]) + 1
    if elapsed > case.budget_s:
        FIGURES["over_budget"] = int(FIGURES["over_budget"]) + 1
    assert elapsed <= case.budget_s, f"{case.name}: {elapsed:.2f} s"
    kind, _, detail = case.expect.partition(":")
    if kind == "fail":
        assert isinstance(result, Failed) and result.reason.startswith(f"error: UnextractablePage: {detail}:"), result
        FIGURES["outcomes"][detail] += 1  # type: ignore[index]
        return
    assert isinstance(result, Extraction), result
    FIGURES["outcomes"][kind] += 1  # type: ignore[index]
    for text in extraction_strings(result):
        assert storable(text), (case.name, text[:80])
        assert not any(bad in text for bad in case.forbid)
    assert check_http_url(result.canonical_url) and result.canonical_url.startswith("http://127.0.0.1:8765/")
    for wanted in case.contains:
        assert wanted in result.text, (case.name, result.text[:200])
    if kind == "article":
        assert not result.partial and len(result.text.split()) >= 125, (result.partial_reason, result.text[:200])
    elif kind == "partial":
        assert result.partial and detail in result.partial_reason and result.text.strip(), result.partial_reason
    else:  # a shell: nothing to store
        assert len(result.text.split()) < 125 and result.partial


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_page_in_the_extraction_pool(case: HostilePage, pool: IsolatedPool) -> None:
    started = time.monotonic()
    ((_, result),) = pool.run([(case.name, (case.html, PAGE_URL), {"entry": case.entry, "fetched_at": FETCHED_AT})])
    _check(case, result, time.monotonic() - started)


def test_flagged_pages_are_recorded_as_failures_with_their_reason_never_as_empty_articles(pool: IsolatedPool) -> None:
    chosen = {c.name: c for c in CASES if c.name in ("nested-300", "attribute-10.1MB", "million-b-tags-8MB",
                                                        "50MB", "scripts-only", "article-then-deep")}
    pages = [(Page(url=f"{PAGE_URL}/{name}", final_url=PAGE_URL, outlet_id="o", entry_id="e", status=200,
                   fetched_at=FETCHED_AT, html=b"", content_hash=name), None) for name in chosen]
    results = dict(pool.run([(f"{PAGE_URL}/{name}", (case.html, PAGE_URL), {"fetched_at": FETCHED_AT})
                             for name, case in chosen.items()]))
    articles, failures = assemble(pages, results)
    reasons = {url.rsplit("/", 1)[1]: why for url, why in failures}
    assert [a.page_url.rsplit("/", 1)[1] for a in articles] == ["article-then-deep"]
    assert articles[0].partial and articles[0].partial_reason.startswith("too_deep:") and articles[0].text
    assert set(reasons) == {"nested-300", "attribute-10.1MB", "million-b-tags-8MB", "50MB", "scripts-only"}
    assert "too_deep: markup nested deeper than libxml2's limit" in reasons["nested-300"]
    assert "libxml2_limit:" in reasons["attribute-10.1MB"] and "too_complex:" in reasons["million-b-tags-8MB"]
    assert "too_large:" in reasons["50MB"] and reasons["scripts-only"] == "no text on page or in feed"


def test_a_page_that_outlives_the_deadline_is_killed_and_the_pool_survives() -> None:
    """60,000 spans in one <p> (1.1 MB, under the element cap): trafilatura is superlinear, the deadline wins."""
    html = spans_page(60_000)
    assert not precheck_page(html)
    with IsolatedPool(extract_article, workers=1, deadline_s=2.0, memory_mb=1536) as short, \
            PeakRss(pool_pids(short)) as peak:
        started = time.monotonic()
        ((_, result),) = short.run([("spans", (html, PAGE_URL), {})])
        elapsed = time.monotonic() - started
        ((_, after),) = short.run([("after", (page(f"<article>{ARTICLE}</article>").encode(), PAGE_URL), {})])
    assert result == Failed("deadline") and 1.9 < elapsed < 4.0 and short.killed == 1
    assert isinstance(after, Extraction) and not after.partial
    FIGURES["deadline_kills"] = short.killed
    FIGURES["spans_worker_rss_mb"] = round(peak.peak_mb)


def test_prechecks_are_cheap_and_exact_at_their_bounds() -> None:
    at_cap = b"a" * MAX_PAGE_BYTES
    assert precheck_page(at_cap) == "" and precheck_page(at_cap + b"a").startswith("too_large:")
    elements = b"<b>" * MAX_ELEMENTS
    assert precheck_page(elements) == "" and precheck_page(elements + b"<i>").startswith("too_complex:")
    assert precheck_page(b"a < b and c <= d " * 200_000) == ""  # comparisons are not elements
    closers = b"</b>" * (2 * MAX_ELEMENTS)  # closing tags are not elements either
    assert precheck_page(closers) == ""
    many = b"<div " + b" ".join(b"a%d" % i for i in range(MAX_ATTRIBUTES)) + b">"
    assert precheck_page(many) == "" and precheck_page(many.replace(b">", b" z>")).startswith("too_complex: an element")
    started = time.monotonic()
    assert precheck_page(b"<b>x</b>" * 1_300_000).startswith("too_complex:")  # 10.4 MB
    assert time.monotonic() - started < 1.0


def test_direct_callers_get_a_typed_exception() -> None:
    with pytest.raises(UnextractablePage, match="^too_deep:"):
        extract_article(page(nested(300)).encode(), PAGE_URL)
    partial = extract_article(page(nested(300)).encode(), PAGE_URL, entry=WITH_FEED)
    assert partial.partial and partial.text == FEED_TEXT and partial.title == WITH_FEED.title


def test_zz_print_figures() -> None:
    """§4 items 1 and 6 for pages (run with -s)."""
    sampler, pool = FIGURES.pop("sampler", None), FIGURES.pop("pool", None)
    print(f"\nhostile pages: {FIGURES['cases']} inputs across {len(FIGURES['categories'])} categories "  # type: ignore[arg-type]
          f"{dict(FIGURES['categories'])}; escapes {FIGURES['escapes']}, over budget {FIGURES['over_budget']}, "
          f"worst {float(FIGURES['worst_s']):.2f} s, corpus workers killed {getattr(pool, 'killed', '?')}, "
          f"peak worker RSS {getattr(sampler, 'peak_mb', 0.0):.0f} MB; outcomes {dict(FIGURES['outcomes'])}; "
          f"60k-span page killed by a 2 s deadline: {FIGURES.get('deadline_kills')} "
          f"(worker peak {FIGURES.get('spans_worker_rss_mb')} MB)")
    assert FIGURES["escapes"] == 0 and FIGURES["over_budget"] == 0
