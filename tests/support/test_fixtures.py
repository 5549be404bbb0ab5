"""Guards the fixture pages and feeds: trafilatura must find what expected.toml promises."""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest

from .server import FIXTURES, fixture_bytes

BASE = "http://127.0.0.1:9"
PAGES = FIXTURES / "pages"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))
NAMES = sorted(EXPECTED)
REQUIRED = {"route", "title", "authors", "date", "language", "canonical", "with", "without", "usable"}


@cache
def extracted(name: str, url: str | None = None) -> dict[str, Any]:
    """Run trafilatura on a page's bytes as the brief specifies; {} when it finds nothing."""
    trafilatura = pytest.importorskip("trafilatura")
    raw = trafilatura.extract(
        fixture_bytes(f"pages/{name}", BASE), url=url, include_comments=False, output_format="json", with_metadata=True
    )
    return json.loads(raw) if raw else {}


def text_of(name: str) -> str:
    """Return the extracted body text of a page."""
    return str(extracted(name).get("text") or "")


def test_every_page_has_expectations() -> None:
    """Each page file is described in expected.toml and each entry names a file."""
    assert sorted(p.name for p in PAGES.glob("*.html")) == NAMES
    for name in NAMES:
        assert REQUIRED <= EXPECTED[name].keys(), name


@pytest.mark.parametrize("name", NAMES)
def test_page_size_and_shape(name: str) -> None:
    """Pages are 4-15 KB, carry a cookie banner or script boilerplate, and list 3-5 snippets."""
    data = (PAGES / name).read_bytes()
    exp = EXPECTED[name]
    assert 4 * 1024 <= len(data) <= 15 * 1024
    assert b"<script" in data
    assert 3 <= len(exp["without"]) <= 5
    assert len(exp["with"]) == 0 if name.startswith("appshell") else 3 <= len(exp["with"]) <= 5


@pytest.mark.parametrize("name", NAMES)
def test_with_snippets_kept(name: str) -> None:
    """Every body phrase survives extraction."""
    text = text_of(name)
    missing = [s for s in EXPECTED[name]["with"] if s not in text]
    assert not missing


@pytest.mark.parametrize("name", NAMES)
def test_without_snippets_dropped(name: str) -> None:
    """No boilerplate phrase survives extraction."""
    text = text_of(name)
    kept = [s for s in EXPECTED[name]["without"] if s in text]
    assert not kept


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name: str) -> None:
    """Title, authors and date match (a date that cannot be known stays empty)."""
    out, exp = extracted(name), EXPECTED[name]
    authors = [a.strip() for a in (out.get("author") or "").split(";") if a.strip()]
    assert (out.get("title"), authors, out.get("date") or "") == (exp["title"], exp["authors"], exp["date"])


@pytest.mark.parametrize("name", NAMES)
def test_canonical(name: str) -> None:
    """trafilatura reports the canonical URL exactly when the page has one."""
    source, canonical = extracted(name).get("source"), EXPECTED[name]["canonical"]
    assert (urlsplit(source).path if source else "") == canonical


@pytest.mark.parametrize("name", NAMES)
def test_language(name: str) -> None:
    """<html lang> states the language, and the body text is in it."""
    head = fixture_bytes(f"pages/{name}", BASE)[:400].decode("ascii", "replace")
    match = re.search(r'<html lang="([a-zA-Z-]+)"', head)
    assert match and match.group(1).split("-")[0] == EXPECTED[name]["language"]
    if EXPECTED[name]["usable"]:
        langid = pytest.importorskip("py3langid")
        assert langid.classify(text_of(name))[0] == EXPECTED[name]["language"]


@pytest.mark.parametrize("name", NAMES)
def test_usable_means_long_body(name: str) -> None:
    """Usable pages have 250-600 words of body; unusable ones far fewer."""
    words = len(text_of(name).split())
    assert 250 <= words <= 600 if EXPECTED[name]["usable"] else words < 150


@pytest.mark.parametrize("name", [n for n in NAMES if "trafilatura_keeps" in EXPECTED[n]])
def test_recorded_trafilatura_gaps(name: str) -> None:
    """The non-article text trafilatura is recorded to keep is indeed kept (update the record if not)."""
    assert all(s in text_of(name) for s in EXPECTED[name]["trafilatura_keeps"])


@pytest.mark.parametrize("name", [n for n in NAMES if "url_date" in EXPECTED[n]])
def test_url_date(name: str) -> None:
    """The page has no date of its own, but its route carries one."""
    exp = EXPECTED[name]
    assert exp["date"] == "" and exp["url_date"].replace("-", "/") in exp["route"]
    assert extracted(name, BASE + exp["route"]).get("date") == exp["url_date"]


@pytest.mark.parametrize("name", [n for n in NAMES if "claimed_date" in EXPECTED[n]])
def test_future_date_is_not_trusted(name: str) -> None:
    """The page claims a future date that extraction must not report."""
    claimed = EXPECTED[name]["claimed_date"]
    assert claimed.encode() in (PAGES / name).read_bytes()
    assert (extracted(name).get("date") or "") != claimed


@pytest.mark.parametrize("name", [n for n in NAMES if "encoding" in EXPECTED[n]])
def test_declared_encoding(name: str) -> None:
    """A non-UTF-8 page is not valid UTF-8, declares its charset and decodes with it."""
    data, encoding = (PAGES / name).read_bytes(), EXPECTED[name]["encoding"]
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert f'<meta charset="{encoding}">'.encode() in data
    assert all(s in data.decode(encoding) for s in EXPECTED[name]["with"])


def feed_links(name: str) -> list[str]:
    """Return the article links of a feed, parsed by feedparser."""
    feedparser = pytest.importorskip("feedparser")
    return [e.get("link", "") for e in feedparser.parse(fixture_bytes(f"feeds/{name}", BASE)).entries]


@pytest.mark.parametrize(("name", "count"), [("rss2.xml", 4), ("atom.xml", 3)])
def test_feed_links_point_at_pages(name: str, count: int) -> None:
    """Every entry of the good feeds links to a fixture page route on the server base."""
    routes = {exp["route"] for exp in EXPECTED.values()}
    links = feed_links(name)
    assert len(links) == count
    assert all(link.startswith(BASE) and urlsplit(link).path in routes for link in links)


def test_rss2_details() -> None:
    """rss2.xml has one tracking-param link, one content:encoded item, authors, dates and guids."""
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse(fixture_bytes("feeds/rss2.xml", BASE))
    assert not feed.bozo and feed.version == "rss20"
    assert sum("utm_source=rss&utm_campaign=x" in e.link for e in feed.entries) == 1
    assert sum("content" in e for e in feed.entries) == 1
    assert all(e.get("author") and e.get("published_parsed") and e.get("id") and e.get("summary") for e in feed.entries)


def test_broken_feed_is_flagged_but_yields_items() -> None:
    """broken.xml is malformed yet gives its first complete items."""
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse(fixture_bytes("feeds/broken.xml", BASE))
    assert feed.bozo
    assert len([e for e in feed.entries if e.get("link")]) == 2


def test_entity_feed_declares_entity() -> None:
    """entity.xml declares one small entity and references it many times."""
    data = (FIXTURES / "feeds" / "entity.xml").read_bytes()
    assert data.count(b"<!ENTITY") == 1 and data.count(b"&town;") >= 20


def test_latin1_feed() -> None:
    """latin1.xml is ISO-8859-1 bytes, declared so, with accented words."""
    data = (FIXTURES / "feeds" / "latin1.xml").read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "Grüner" in data.decode("iso-8859-1") and "fête" in data.decode("iso-8859-1")
