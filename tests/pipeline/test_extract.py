"""extract_article on the fixture pages: text, metadata, fallbacks and dates."""
from __future__ import annotations

import tomllib
from datetime import date, datetime, timezone
from typing import Any

import pytest

from pipeline.extract import EXTRACTOR, detect_language, extract_article
from pipeline.feeds import parse_feed
from pipeline.records import Extraction, FeedEntry
from pipeline.urls import canonical_url
from tests.support.server import FIXTURES, fixture_bytes

BASE = "http://127.0.0.1:8765"
FETCHED_AT = datetime(2024, 7, 1, tzinfo=timezone.utc)
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((FIXTURES / "pages" / "expected.toml").read_text("utf-8"))
FEED_TEXT = " ".join(
    f"Sentence {i} of the full story as the outlet's feed carries it, with every paragraph included."
    for i in range(30))


def page(name: str) -> bytes:
    """A page fixture with its {base} placeholder filled."""
    return fixture_bytes(f"pages/{name}", BASE)


def extract(name: str, **kwargs: Any) -> Extraction:
    """extract_article on a fixture page at its route."""
    kwargs.setdefault("fetched_at", FETCHED_AT)
    return extract_article(page(name), BASE + EXPECTED[name]["route"], **kwargs)


def entry(*, content: str = "", summary: str = "", published: datetime | None = None,
          authors: tuple[str, ...] = ("Feed Author",), title: str = "Feed title") -> FeedEntry:
    """A feed entry as parse_feed would make it."""
    return FeedEntry(entry_id="e1", feed_id="f1", outlet_id="o1", entry_key="k1", url=f"{BASE}/news/x",
                     title=title, summary=summary, content=content, authors=authors, published_at=published)


def feed_entry(feed: str, route: str) -> FeedEntry:
    """The entry of a fixture feed that links to a route."""
    parsed = parse_feed(fixture_bytes(f"feeds/{feed}", BASE), feed_id="f1", outlet_id="o1",
                        url=f"{BASE}/feeds/{feed}", fetched_at=FETCHED_AT)
    return next(e for e in parsed.entries if e.url == BASE + route)


def norm(text: str) -> str:
    """Whitespace folded, for snippet comparison."""
    return " ".join(text.split())


# --- every page in expected.toml ------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractions() -> dict[str, Extraction]:
    return {name: extract(name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_matches_expected(name: str, extractions: dict[str, Extraction]) -> None:
    want, got = EXPECTED[name], extractions[name]
    assert got.title == want["title"]
    assert got.authors == tuple(want["authors"])
    assert got.language == want["language"]
    assert got.canonical_url == canonical_url(BASE + (want["canonical"] or want["route"]))
    assert got.extractor == EXTRACTOR


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_date_and_its_source(name: str, extractions: dict[str, Extraction]) -> None:
    want, got = EXPECTED[name], extractions[name]
    if want["date"]:
        assert got.date_source == "markup"
        assert got.published_at is not None and got.published_at.date() == date.fromisoformat(want["date"])
    elif want.get("url_date"):
        assert got.date_source == "url"
        assert got.published_at == datetime.fromisoformat(want["url_date"]).replace(tzinfo=timezone.utc)
    else:
        assert (got.published_at, got.date_source) == (None, "none")
    assert got.published_at is None or got.published_at.tzinfo == timezone.utc


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_keeps_the_article_and_drops_boilerplate(name: str, extractions: dict[str, Extraction]) -> None:
    want, text = EXPECTED[name], norm(extractions[name].text)
    for snippet in want["with"]:
        assert norm(snippet) in text, snippet
    for phrase in want["without"]:
        assert norm(phrase) not in text, phrase
    assert not text.startswith(want["title"])  # the title is not repeated as the first line


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_usable_means_not_partial(name: str, extractions: dict[str, Extraction]) -> None:
    want, got = EXPECTED[name], extractions[name]
    assert got.partial is (not want["usable"])
    assert bool(got.partial_reason) is got.partial
    if want["usable"]:
        assert len(got.text.split()) >= 200
    else:
        assert "feed" not in got.partial_reason  # no entry given: nothing to fall back on


# --- fallback to the feed -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["paywall-stadium-roof.html", "appshell-live-map.html"])
def test_unusable_page_falls_back_to_feed_content(name: str) -> None:
    got = extract(name, entry=entry(content=FEED_TEXT, summary="A short teaser."))
    assert got.partial and got.text == FEED_TEXT
    assert "feed" in got.partial_reason
    assert got.title == EXPECTED[name]["title"]  # the page's own title still wins


def test_feed_summary_is_used_when_it_is_the_longer_feed_text() -> None:
    got = extract("appshell-live-map.html", entry=entry(summary=FEED_TEXT))
    assert got.partial and got.text == FEED_TEXT and "feed" in got.partial_reason


def test_page_text_is_kept_when_the_feed_has_less() -> None:
    real_entry = feed_entry("rss2.xml", "/news/stadium-roof-costs")  # a one-line description
    got = extract("paywall-stadium-roof.html", entry=real_entry)
    assert got.partial and "feed" not in got.partial_reason
    assert "Engineers inspecting the damaged roof of the Northgate stadium" in got.text


def test_usable_page_ignores_the_feed_content() -> None:
    got = extract("meta-riverside-market.html", entry=entry(content=FEED_TEXT * 3))
    assert not got.partial and FEED_TEXT not in got.text


def test_authors_come_from_the_feed_when_the_page_has_none() -> None:
    got = extract("appshell-live-map.html", entry=entry(authors=("Transit Desk",)))
    assert got.authors == ("Transit Desk",)
    assert extract("jsonld-library-hours.html", entry=entry()).authors == ("Dana Whitfield", "Omar Castellanos")


def test_min_text_chars_is_the_usability_threshold() -> None:
    assert extract("german-radweg-kanal.html", min_text_chars=100_000).partial
    assert not extract("paywall-stadium-roof.html", min_text_chars=0).partial


# --- dates ------------------------------------------------------------------------------------------


def test_future_dated_page_gets_no_future_date() -> None:
    got = extract("future-date-robotics.html")
    assert got.published_at is None and got.date_source == "none"
    default_now = extract_article(page("future-date-robotics.html"), BASE + "/news/school-robot-final")
    assert default_now.published_at is None or default_now.published_at <= datetime.now(timezone.utc)


def test_future_dated_page_falls_back_to_the_feed_date() -> None:
    robot = feed_entry("atom.xml", "/news/school-robot-final")
    got = extract("future-date-robotics.html", entry=robot)
    assert got.date_source == "feed" and got.published_at == datetime(2024, 3, 14, 8, tzinfo=timezone.utc)


def test_future_dated_page_falls_back_to_the_url_date() -> None:
    got = extract_article(page("future-date-robotics.html"), BASE + "/news/2024/03/13/school-robot-final",
                          fetched_at=FETCHED_AT)
    assert got.date_source == "url" and got.published_at == datetime(2024, 3, 13, tzinfo=timezone.utc)


def test_the_claimed_date_counts_once_it_is_in_the_past() -> None:
    later = datetime(2032, 1, 1, tzinfo=timezone.utc)
    got = extract("future-date-robotics.html", fetched_at=later)
    assert got.date_source == "markup" and got.published_at is not None
    assert got.published_at.date() == date.fromisoformat(EXPECTED["future-date-robotics.html"]["claimed_date"])


def test_markup_date_beats_url_and_feed() -> None:
    got = extract_article(page("meta-riverside-market.html"), BASE + "/news/2020/01/01/riverside",
                          entry=entry(published=datetime(2021, 1, 1, tzinfo=timezone.utc)), fetched_at=FETCHED_AT)
    assert got.date_source == "markup" and got.published_at is not None
    assert got.published_at.date() == date(2024, 3, 12)


# --- encodings, language, canonical --------------------------------------------------------------


def test_windows_1252_page_decodes_accents() -> None:
    raw = page("cp1252-food-fair.html")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    got = extract("cp1252-food-fair.html")
    assert got.title == "Crêpes, churros and a record crowd at the Old Town food fair"
    assert got.authors == ("Renée Duchâteau",)
    for phrase in ("crème brûlée", "Zoë Marchetti", "€4 and €9", "naïve", "Andrés Peñalver", "façade"):
        assert phrase in got.text, phrase
    assert "\ufffd" not in got.text and "Ã" not in got.text and "â€" not in got.text


def test_german_page_is_german() -> None:
    got = extract("german-radweg-kanal.html")
    assert got.language == "de" and "Für viele Familien" in got.text


def test_language_comes_from_the_text_not_only_the_lang_attribute() -> None:
    html = page("german-radweg-kanal.html").replace(b'lang="de"', b'lang="en"')
    assert extract_article(html, BASE + "/news/neuer-radweg-am-kanal").language == "de"
    assert detect_language("Kurz.", hint="de") == "de"  # too short to classify: the hint stands


def test_extract_accepts_str() -> None:
    name = "jsonld-library-hours.html"
    from_str = extract_article(page(name).decode("utf-8"), BASE + EXPECTED[name]["route"], fetched_at=FETCHED_AT)
    assert from_str == extract(name)
    fair = extract_article(page("cp1252-food-fair.html").decode("cp1252"), BASE + "/news/old-town-food-fair",
                           fetched_at=FETCHED_AT)
    assert "crème brûlée, whose owner, Zoë Marchetti" in fair.text and fair.authors == ("Renée Duchâteau",)


def test_tracking_parameters_never_reach_the_canonical_url() -> None:
    for name in ("jsonld-library-hours.html", "meta-riverside-market.html"):
        route = EXPECTED[name]["route"]
        got = extract_article(page(name), f"{BASE}{route}?utm_source=rss&utm_campaign=x#comments")
        assert got.canonical_url == BASE + route


@pytest.mark.parametrize(("page_url", "declared", "expected"), [
    ("https://www.bbc.co.uk/news/a", "https://news.bbc.co.uk/news/a-clean", "https://news.bbc.co.uk/news/a-clean"),
    ("https://www.bbc.co.uk/news/a", "https://www.itv.co.uk/news/a", "https://www.bbc.co.uk/news/a"),
    ("https://paper.example.com/a", "https://other.com/a", "https://paper.example.com/a"),
    ("https://a.github.io/story", "https://b.github.io/story", "https://a.github.io/story"),
    ("http://10.0.0.1/a", "http://192.168.0.1/a", "http://10.0.0.1/a"),
    ("https://paper.com/a?utm_source=x", "/a-canonical?ref=1", "https://paper.com/a-canonical?ref=1"),
    ("https://paper.com/a", "javascript:alert(1)", "https://paper.com/a"),
])
def test_declared_canonical_is_trusted_only_on_the_same_site(page_url: str, declared: str, expected: str) -> None:
    html = (f'<html><head><title>T</title><link rel="canonical" href="{declared}"></head>'
            f"<body><article><p>{FEED_TEXT}</p></article></body></html>")
    assert extract_article(html, page_url).canonical_url == expected


def test_empty_and_garbage_pages_do_not_raise() -> None:
    for html in (b"", b"\x00\xff\xfe", b"<html></html>", "<p>only a line</p>"):
        got = extract_article(html, "https://paper.com/a", entry=entry(content=FEED_TEXT))
        assert got.partial and got.text == FEED_TEXT
