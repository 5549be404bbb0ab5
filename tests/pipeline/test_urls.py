"""URL checks and canonical forms."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PermanentError
from pipeline.urls import MAX_URL_LENGTH, UrlError, absolute_link, canonical_url, check_http_url, origin


@pytest.mark.parametrize(("url", "expected"), [
    # tracking parameters, whatever their case; the rest kept
    ("https://news.example/a?utm_source=rss&utm_medium=feed&id=7", "https://news.example/a?id=7"),
    ("https://news.example/a?UTM_Campaign=x&fbclid=1&gclid=2&mc_eid=3&_ga=4&ocid=5", "https://news.example/a"),
    ("https://news.example/a?utm_source=rss", "https://news.example/a"),
    ("https://news.example/a?page=2&utm_source=x&ref=home", "https://news.example/a?page=2&ref=home"),
    # case: scheme and host lower-cased, path and query kept as written
    ("HTTPS://News.EXAMPLE/Story/A?Q=B", "https://news.example/Story/A?Q=B"),
    # default ports dropped, others kept
    ("http://news.example:80/a", "http://news.example/a"),
    ("https://news.example:443/a", "https://news.example/a"),
    ("http://news.example:443/a", "http://news.example:443/a"),
    ("https://news.example:8443/a", "https://news.example:8443/a"),
    # fragments dropped
    ("https://news.example/a#comments", "https://news.example/a"),
    ("https://news.example/a?x=1#", "https://news.example/a?x=1"),
    # parameter order
    ("https://news.example/a?z=1&b=2&a=3", "https://news.example/a?a=3&b=2&z=1"),
    # empty path, trailing dot, user info
    ("https://news.example", "https://news.example/"),
    ("https://news.example./a", "https://news.example/a"),
    ("https://user:secret@news.example/a", "https://news.example/a"),
    # IPv6 literals keep their brackets
    ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
    # percent-encoding: unreserved decoded, hex upper-cased, reserved and %25 left alone
    ("https://news.example/%7Euser/a", "https://news.example/~user/a"),
    ("https://news.example/caf%c3%a9", "https://news.example/caf%C3%A9"),
    ("https://news.example/café", "https://news.example/caf%C3%A9"),
    ("https://news.example/a%2Fb", "https://news.example/a%2Fb"),
    ("https://news.example/100%2541", "https://news.example/100%2541"),
    ("https://news.example/a%3Fb", "https://news.example/a%3Fb"),
    # query values as written: a bare flag stays bare, encoded separators stay encoded
    ("https://news.example/article.php?12345", "https://news.example/article.php?12345"),
    ("https://news.example/s?q=fish%26chips&x=1+2", "https://news.example/s?q=fish%26chips&x=1+2"),
    ("https://news.example/s?q=caf%c3%a9", "https://news.example/s?q=caf%C3%A9"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_merges_variants_of_one_link() -> None:
    variants = ["https://news.example/a?id=1&utm_source=rss", "HTTPS://NEWS.example:443/a?id=1#top",
                "https://news.example./a?fbclid=x&id=1", " https://news.example/a?id=1 "]
    assert {canonical_url(v) for v in variants} == {"https://news.example/a?id=1"}


def test_canonical_url_keeps_distinct_resources_apart() -> None:
    distinct = ["https://news.example/a", "https://news.example/A", "http://news.example/a",
                "https://news.example:8443/a", "https://news.example/a?id=1", "https://news.example/a/b",
                "https://news.example/a%2Fb", "https://news.example/a?b", "https://news.example/a?b="]
    assert len({canonical_url(u) for u in distinct}) == len(distinct)


SEGMENT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#[]@\\"), max_size=12)
URLS = st.builds(
    lambda scheme, host, port, path, query, fragment: f"{scheme}://{host}{port}/{'/'.join(path)}{query}{fragment}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[a-zA-Z0-9-]{1,10}(\.[a-zA-Z0-9-]{1,10}){0,3}\.?", fullmatch=True),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(SEGMENT, max_size=4),
    st.sampled_from(["", "?a=1", "?utm_source=x&b=%2f", "?b&a=1", "?q=%E2%82%AC&_ga=1"]),
    st.sampled_from(["", "#x", "#"]),
)


@settings(max_examples=150, deadline=None)
@given(URLS)
def test_canonical_url_is_idempotent_and_fetchable(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert check_http_url(once) == once and "#" not in once and "utm_" not in once


# --- check_http_url -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://news.example/", "https://news.example/a?b=c#d", "HTTPS://News.Example",
                                 "http://127.0.0.1:8000/x", "http://[::1]:8080/"])
def test_check_http_url_accepts(url: str) -> None:
    assert check_http_url(url) == url
    assert check_http_url(f"  {url}\n") == url


@pytest.mark.parametrize(("url", "words"), [
    ("", "empty"), ("   ", "empty"),
    ("https://news.example/" + "a" * MAX_URL_LENGTH, "longer than"),
    ("https://news.example/a b", "spaces"), ("https://news.example/a\tb", "control"),
    ("https://news.example/\x00", "control"), ("https://news.example/\x7f", "control"),
    ("ftp://news.example/a", "not ftp"), ("file:///etc/passwd", "not file"),
    ("javascript:alert(1)", "not javascript"), ("data:text/html,hi", "not data"),
    ("news.example/a", "no scheme"), ("//news.example/a", "no scheme"),
    ("https:///a", "no host"), ("http://", "no host"),
    ("https://news.example:99999/", "invalid port"), ("https://news.example:port/", "invalid port"),
    ("http://[::1/a", "malformed"),
])
def test_check_http_url_refuses(url: str, words: str) -> None:
    with pytest.raises(UrlError) as caught:
        check_http_url(url)
    assert words in str(caught.value)
    assert isinstance(caught.value, PermanentError)


# --- origin and absolute_link -------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("https://News.Example/a?b", "https://news.example:443"),
    ("http://news.example/a", "http://news.example:80"),
    ("http://news.example:8080/a", "http://news.example:8080"),
    ("https://news.example:443/x", "https://news.example:443"),
    ("https://news.example./x", "https://news.example:443"),
    ("http://[::1]:8000/x", "http://[::1]:8000"),
    ("HTTP://user@news.example/x", "http://news.example:80"),
])
def test_origin(url: str, expected: str) -> None:
    assert origin(url) == expected


def test_origin_separates_scheme_host_and_port() -> None:
    urls = ["http://news.example/", "https://news.example/", "https://news.example:8443/", "https://www.news.example/"]
    assert len({origin(u) for u in urls}) == 4


@pytest.mark.parametrize(("link", "expected"), [
    ("/news/b", "https://news.example/news/b"),
    ("b?x=1", "https://news.example/news/b?x=1"),
    ("../top", "https://news.example/top"),
    ("//other.example/c", "https://other.example/c"),
    ("  http://other.example/d  ", "http://other.example/d"),
    ("#comments", "https://news.example/news/a#comments"),
    ("javascript:alert(1)", None), ("data:text/html,x", None), ("file:///etc/passwd", None),
    ("mailto:desk@news.example", None), ("ftp://news.example/x", None), ("http://[::1", None),
    ("http://news.example:99999/", None), ("/with space", None),
])
def test_absolute_link(link: str, expected: str | None) -> None:
    assert absolute_link(link, "https://news.example/news/a") == expected
