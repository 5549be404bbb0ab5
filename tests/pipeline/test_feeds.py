"""parse_feed: fixtures, hostile bodies, entry hygiene, real outlet feeds and fuzzed input."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.feeds import entries_fingerprint, parse_feed
from pipeline.records import FeedEntry, ParsedFeed
from pipeline.urls import canonical_url, check_http_url
from tests.support.server import ScriptedServer, fixture_bytes

BASE = "http://127.0.0.1:8765"
FEED_URL = f"{BASE}/feeds/feed.xml"
FETCHED_AT = datetime(2024, 7, 1, tzinfo=timezone.utc)
REAL_FEEDS = Path(__file__).parents[2].parent / "shared" / "data" / "feeds"
# The small broken samples of that folder: nothing in them has a link, or they are not feeds at all.
REAL_DEGENERATE = {"incomplete-fields.atom": "", "missing-fields.atom": "", "unrecognized.rss": "not a feed"}
REAL_COUNTS = {"content-encoded.rss": 7, "encoding.rss": 40, "feedburner.atom": 25, "guardian.rss": 55,
               "heise.atom": 15, "heraldsun.rss": 2, "uolNoticias.rss": 15}


def parse(body: bytes, *, content_type: str = "", max_entries: int = 2000, url: str = FEED_URL) -> ParsedFeed:
    """parse_feed with the test's fixed ids and fetch time."""
    return parse_feed(body, feed_id="feed-1", outlet_id="outlet-1", url=url, fetched_at=FETCHED_AT,
                      content_type=content_type, max_entries=max_entries)


def fixture(name: str) -> bytes:
    """A feed fixture with its {base} placeholder filled."""
    return fixture_bytes(f"feeds/{name}", BASE)


def utc(*args: int) -> datetime:
    """A UTC datetime."""
    return datetime(*args, tzinfo=timezone.utc)


def rss(*items: str, encoding: str = "utf-8") -> bytes:
    """An RSS 2.0 document around the given <item> markup."""
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
            f'<link>http://news.example/</link><description>d</description>{"".join(items)}'
            "</channel></rss>").encode(encoding)


def item(link: str, guid: str, date: str = "Mon, 05 Feb 2024 07:30:00 GMT", title: str = "A story") -> str:
    """One RSS item."""
    return (f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
            f"<pubDate>{date}</pubDate><description>About {title}.</description></item>")


# --- the fixtures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["", "application/rss+xml", "text/xml"])
def test_rss2_fixture_parses_every_item_with_canonical_links(content_type: str) -> None:
    feed = parse(fixture("rss2.xml"), content_type=content_type)
    assert feed.problem == ""  # well-formed XML: a missing or odd Content-Type is not "malformed"
    assert feed.version == "rss20" and feed.usable and feed.dropped == 0
    assert [e.url for e in feed.entries] == [
        f"{BASE}/news/city-library-weekend-hours",  # ?utm_source=rss&utm_campaign=x dropped
        f"{BASE}/news/riverside-market-reopens",
        f"{BASE}/news/2024/01/16/ferry-timetable-changes",
        f"{BASE}/news/stadium-roof-costs",
    ]
    assert [e.published_at for e in feed.entries] == [
        utc(2024, 2, 5, 7, 30), utc(2024, 3, 12, 9, 15), utc(2024, 1, 16, 12, 40), utc(2024, 4, 2, 6, 0)]
    assert [e.authors for e in feed.entries] == [
        ("Dana Whitfield",), ("Priya Raman",), ("Tomas Lindqvist",), ("Marcus Feld",)]
    library, market = feed.entries[0], feed.entries[1]
    assert library.title == "Millbrook library will open on Sundays from March"
    assert library.entry_key == "roundup-2024-0205-library"
    assert library.summary.startswith("The central library adds Sunday afternoons")
    assert library.content == ""
    assert "Forty-one of the forty-six traders have come back" in market.content
    assert "<p>" not in market.content and "\n\n" in market.content  # paragraphs kept as blank lines
    assert {e.feed_id for e in feed.entries} == {"feed-1"} and {e.outlet_id for e in feed.entries} == {"outlet-1"}
    assert len({e.entry_id for e in feed.entries}) == 4


def test_entry_ids_are_stable_across_parses_and_scoped_to_the_feed() -> None:
    first, again = parse(fixture("rss2.xml")), parse(fixture("rss2.xml"))
    assert [e.entry_id for e in first.entries] == [e.entry_id for e in again.entries]
    assert entries_fingerprint(first.entries) == entries_fingerprint(again.entries)
    other = parse_feed(fixture("rss2.xml"), feed_id="feed-2", outlet_id="outlet-1", url=FEED_URL,
                       fetched_at=FETCHED_AT)
    assert not {e.entry_id for e in first.entries} & {e.entry_id for e in other.entries}
    assert entries_fingerprint(first.entries[:3]) != entries_fingerprint(first.entries)


def test_atom_fixture_parses_dates_to_utc_authors_and_html_summaries() -> None:
    feed = parse(fixture("atom.xml"), content_type="application/atom+xml")
    assert feed.problem == "" and feed.version == "atom10"
    assert [e.url for e in feed.entries] == [
        f"{BASE}/news/neuer-radweg-am-kanal", f"{BASE}/news/old-town-food-fair", f"{BASE}/news/school-robot-final"]
    assert [e.published_at for e in feed.entries] == [
        utc(2024, 5, 21, 3, 45), utc(2024, 6, 9, 17, 20), utc(2024, 3, 14, 8, 0)]  # +02:00 and +01:00 converted
    assert [e.authors for e in feed.entries] == [("Katrin Vogel",), ("Renée Duchâteau",), ("Lucy Adeyemi",)]
    fair = feed.entries[1]
    assert fair.title == "Crêpes, churros and a record crowd at the Old Town food fair"
    assert fair.summary == ("Forty stalls, one brass band and a queue for crème brûlée that reached "
                            "the cathedral steps.")
    assert feed.entries[0].entry_key == "urn:uuid:0b9e4a52-7d21-4c8e-b1f3-5a6c7d8e9f01"


def test_latin1_fixture_decodes_accents_from_the_xml_declaration() -> None:
    body = fixture("latin1.xml")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    feed = parse(body)
    assert feed.problem == "" and len(feed.entries) == 3
    assert [e.title for e in feed.entries] == [
        "La fête du pain attire une foule record à la vieille ville",
        "Grüner Radweg am Kanal: Anwohner äußern Bedenken",
        "Señora Peñalver ouvre un troisième café près du marché",
    ]
    assert "crème brûlée" in feed.entries[0].summary and "Größere Buchten" in feed.entries[1].summary
    assert feed.entries[0].authors == ("Renée Duchâteau",) and feed.entries[2].authors == ()
    assert feed.entries[2].published_at == utc(2024, 6, 10, 8, 0)
    assert not any("\ufffd" in e.title + e.summary for e in feed.entries)


def test_broken_feed_yields_its_complete_items_and_names_the_problem() -> None:
    feed = parse(fixture("broken.xml"), content_type="application/rss+xml")
    assert feed.problem.startswith("malformed:")
    assert [e.title for e in feed.entries] == ["Winter ferry timetable drops late crossings to Gull Island",
                                                "Riverside market reopens after flood repairs"]
    assert [e.entry_key for e in feed.entries] == ["ledger-ferry-0116", "ledger-market-0312"]
    assert feed.usable and feed.dropped == 1  # the cut-off third item has no link
    assert FEED_URL not in {e.url for e in feed.entries}  # a link-less item must not point at the feed itself


def test_entry_without_a_link_is_dropped_not_pointed_at_the_feed() -> None:
    body = rss(item(f"{BASE}/news/a", "g1"), "<item><title>No link</title><guid isPermaLink=\"false\">g2</guid></item>")
    feed = parse(body)
    assert [e.url for e in feed.entries] == [f"{BASE}/news/a"] and feed.dropped == 1


def test_entity_declaration_is_refused_outright() -> None:
    feed = parse(fixture("entity.xml"), content_type="application/rss+xml")
    assert feed.entries == () and feed.problem.startswith("refused")
    assert not feed.usable


@pytest.mark.parametrize("variant", ["utf-16", "utf-32", "comment-padded", "lower-case"])
def test_entity_declaration_is_refused_in_any_disguise(variant: str) -> None:
    text = fixture("entity.xml").decode("utf-8")
    if variant in ("utf-16", "utf-32"):
        body = text.replace('encoding="UTF-8"', f'encoding="{variant.upper()}"').encode(variant)
    elif variant == "comment-padded":  # 70 KB of comment before the DOCTYPE
        body = text.replace("<!DOCTYPE", "<!--" + "x" * 70_000 + "-->\n<!DOCTYPE", 1).encode("utf-8")
    else:
        body = text.replace("<!ENTITY", "<!entity").encode("utf-8")
    feed = parse(body, content_type="application/rss+xml")
    assert feed.problem.startswith("refused") and feed.entries == ()


@pytest.mark.parametrize("body", [b"/etc/hostname", b"/dev/zero", b"/etc/passwd", b"file:///etc/hostname"])
def test_a_body_that_looks_like_a_path_is_never_opened(body: bytes) -> None:
    started = time.monotonic()
    feed = parse(body)
    assert time.monotonic() - started < 1.0  # reading /dev/zero would run until MemoryError
    assert feed.entries == () and feed.problem.startswith("not a feed")


def test_a_body_that_looks_like_a_url_is_never_fetched() -> None:
    with ScriptedServer() as server:
        server.serve("/trap.xml", fixture_bytes("feeds/rss2.xml", server.base), content_type="application/rss+xml")
        feed = parse(server.url("/trap.xml").encode("ascii"))
        assert server.count("/trap.xml") == 0
    assert feed.entries == () and feed.problem.startswith("not a feed")


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", ""])
def test_html_page_given_as_a_feed_is_not_a_feed(content_type: str) -> None:
    feed = parse(fixture_bytes("pages/jsonld-library-hours.html", BASE), content_type=content_type)
    assert feed.entries == () and feed.problem.startswith("not a feed") and not feed.usable


def test_empty_body_is_not_a_feed() -> None:
    assert parse(b"").problem.startswith("not a feed")


# --- entry hygiene --------------------------------------------------------------------------------


def test_duplicate_guids_collapse_to_the_first_entry() -> None:
    feed = parse(rss(item("http://news.example/a", "same", title="First"),
                     item("http://news.example/b", "same", title="Second"),
                     item("http://news.example/c", "other", title="Third")))
    assert [e.title for e in feed.entries] == ["First", "Third"]
    assert feed.dropped == 1


def test_items_without_guid_are_keyed_by_canonical_link() -> None:
    no_guid = "<item><title>{}</title><link>{}</link></item>"
    feed = parse(rss(no_guid.format("A", "http://news.example/a?utm_source=x"),
                     no_guid.format("B", "http://NEWS.example:80/a#top")))
    assert len(feed.entries) == 1 and feed.entries[0].entry_key == "http://news.example/a"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JavaScript:alert(document.cookie)",
                                  "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
                                  "ftp://news.example/a", "mailto:desk@news.example", "http://[::1"])
def test_non_http_links_are_dropped(link: str) -> None:
    feed = parse(rss(item(link, "bad"), item("http://news.example/ok", "good")))
    assert [e.url for e in feed.entries] == ["http://news.example/ok"]
    assert feed.dropped == 1


def test_relative_links_resolve_against_the_feed_url() -> None:
    feed = parse(rss(item("/news/relative-story", "rel")), url="https://news.example/feeds/all.xml")
    assert [e.url for e in feed.entries] == ["https://news.example/news/relative-story"]


@pytest.mark.parametrize(("pub_date", "expected"), [
    ("Mon, 05 Feb 2203 07:30:00 GMT", None),  # centuries ahead
    ("Thu, 01 Jan 1970 00:00:00 GMT", None),  # the epoch: a missing date in disguise
    ("Fri, 30 Dec 1994 12:00:00 GMT", None),  # before news feeds existed
    ("Wed, 03 Jul 2024 12:00:00 GMT", None),  # two days after the fetch
    ("Tue, 02 Jul 2024 00:00:00 GMT", utc(2024, 7, 2)),  # within a day of the fetch (time zones)
    ("Mon, 05 Feb 2024 07:30:00 +0100", utc(2024, 2, 5, 6, 30)),
    ("not a date", None),
])
def test_implausible_dates_become_none(pub_date: str, expected: datetime | None) -> None:
    feed = parse(rss(item("http://news.example/a", "d", date=pub_date)))
    assert len(feed.entries) == 1 and feed.entries[0].published_at == expected


def test_max_entries_truncation_is_recorded() -> None:
    body = rss(*(item(f"http://news.example/{i}", f"g{i}") for i in range(10)))
    feed = parse(body, content_type="application/rss+xml", max_entries=4)
    assert [e.entry_key for e in feed.entries] == ["g0", "g1", "g2", "g3"]
    assert feed.dropped == 6 and feed.problem == "truncated: more than 4 entries"
    assert feed.usable
    assert parse(body, max_entries=10).problem == "" and parse(body, max_entries=10).dropped == 0


def test_markup_in_titles_is_reduced_to_plain_text() -> None:
    feed = parse(rss(item("http://news.example/a", "m", title="Fish &amp;amp; chips &lt;b&gt;now&lt;/b&gt;")))
    assert feed.entries[0].title == "Fish & chips now"


# --- real outlet feeds (read in place, never copied into the project) -----------------------------


def _real_feed_names() -> list[str]:
    if not REAL_FEEDS.is_dir():
        return ["(folder absent)"]
    return sorted(p.name for p in REAL_FEEDS.iterdir() if p.suffix in (".rss", ".atom"))


@pytest.mark.parametrize("name", _real_feed_names())
def test_real_feed_parses(name: str) -> None:
    if not REAL_FEEDS.is_dir():
        pytest.skip(f"real feeds not found at {REAL_FEEDS}")
    feed = parse((REAL_FEEDS / name).read_bytes(), url="https://feeds.example/feed")
    if name in REAL_DEGENERATE:
        assert feed.entries == () and feed.problem.startswith(REAL_DEGENERATE[name])
        assert "https://feeds.example/feed" not in {e.url for e in feed.entries}
        return
    assert len(feed.entries) == REAL_COUNTS[name]
    assert feed.problem == "", feed.problem
    for entry in feed.entries:
        assert check_http_url(entry.url) == entry.url and canonical_url(entry.url) == entry.url
        assert entry.title and "\ufffd" not in entry.title + entry.summary


def test_real_feeds_in_other_encodings_decode_correctly() -> None:
    if not REAL_FEEDS.is_dir():
        pytest.skip(f"real feeds not found at {REAL_FEEDS}")
    portuguese = parse((REAL_FEEDS / "encoding.rss").read_bytes())
    assert portuguese.entries[0].title == "Mãe de utente é a nova presidente da Raríssimas"
    uol = parse((REAL_FEEDS / "uolNoticias.rss").read_bytes())  # Latin-1 bytes, no XML declaration
    assert any("inquérito" in e.title for e in uol.entries)
    guardian = parse((REAL_FEEDS / "guardian.rss").read_bytes())
    assert guardian.entries[0].authors == ("David Smith in Washington",)
    assert guardian.entries[0].published_at == utc(2018, 1, 31, 7, 26, 5)


# --- fuzzing ----------------------------------------------------------------------------------------

FRAGMENTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["&#x110000;", "&#99999999999;", "&#0;", "\x00", "&amp;", "&", "<", ">", "]]>", "<![CDATA[",
                     "<b>", "</item>", "<item>", "javascript:alert(1)", "data:,x", "file:///etc/passwd",
                     "http://news.example/a", "/relative", "//host.example/x", "http://[::1", "http://h:99999/",
                     "Mon, 05 Feb 2203 07:30:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "2024-02-30T25:61:00Z",
                     "\ud7ff", "\ufeff", "\u202e", "<!DOCTYPE x>", "<?xml version='1.0'?>", "\\", "%", "&x;"]),
)

LINKS = st.one_of(
    st.sampled_from(["http://news.example/a", "https://news.example/b?utm_source=x", "/relative/c", "d"]),
    st.builds(lambda tail: "http://news.example/" + tail, st.text(max_size=20)),
    FRAGMENTS,
)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_raise(body: bytes) -> None:
    feed = parse(body)
    assert isinstance(feed, ParsedFeed)
    assert feed.usable == (bool(feed.entries) or not feed.problem)
    for entry in feed.entries:
        assert isinstance(entry, FeedEntry) and check_http_url(entry.url)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FRAGMENTS, LINKS, FRAGMENTS, FRAGMENTS, FRAGMENTS), max_size=6),
       st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_rss_from_random_fragments_never_raises(items: list[tuple[str, ...]], encoding: str) -> None:
    markup = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{g}</guid><pubDate>{d}</pubDate>"
                     f"<description>{desc}</description></item>" for t, link, g, d, desc in items)
    body = rss(markup, encoding="utf-8").decode("utf-8").replace('encoding="utf-8"', f'encoding="{encoding}"')
    feed = parse(body.encode(encoding, "replace"), content_type="application/rss+xml", max_entries=4)
    assert isinstance(feed, ParsedFeed) and len(feed.entries) <= 4
    for entry in feed.entries:
        assert check_http_url(entry.url) == entry.url
        assert entry.published_at is None or utc(1995, 1, 1) <= entry.published_at <= utc(2024, 7, 2)
        assert "\x00" not in entry.title + entry.summary + entry.content
