"""robots.txt: RFC 9309 status handling and matching, and one fetch per origin against a real server."""
from __future__ import annotations

import asyncio

import pytest

from pipeline.fetch import Fetcher, FetchPolicy, make_client
from pipeline.politeness import Politeness
from pipeline.records import Outcome
from pipeline.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules, rules_from_response
from tests.support.server import ScriptedServer

ORIGIN = "https://news.example:443"
AGENT = "ParallaxTest"
ROBOTS = b"""# test rules
User-agent: *
Disallow: /*.pdf$
Disallow: /private/
Allow: /private/press/
Disallow: /drafts
Allow: /drafts/published-
Disallow: /search?

User-agent: ParallaxTest
Disallow: /no-parallax/
Disallow: /*.pdf$
"""


def rules(body: bytes = ROBOTS) -> RobotsRules:
    """Rules parsed from a 200 response."""
    return rules_from_response(ORIGIN, Outcome.OK, 200, body)


def url(path: str) -> str:
    """An absolute URL on the test origin."""
    return "https://news.example" + path


# --- status handling (RFC 9309 2.3.1) -------------------------------------------------------------


def test_2xx_is_parsed() -> None:
    parsed = rules()
    assert parsed.parser is not None and parsed.reason == "parsed" and parsed.origin == ORIGIN
    assert parsed.allows(url("/news/a"), "OtherBot") and not parsed.allows(url("/private/x"), "OtherBot")


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 451])
def test_4xx_allows_everything(status: int) -> None:
    parsed = rules_from_response(ORIGIN, Outcome.PERMANENT, status, None)
    assert parsed.parser is None and parsed.allow_all and parsed.reason.startswith(f"http_{status}")
    assert parsed.allows(url("/private/anything.pdf"), AGENT)


@pytest.mark.parametrize(("outcome", "status"), [
    (Outcome.TRANSIENT, 500), (Outcome.TRANSIENT, 502), (Outcome.TRANSIENT, 503), (Outcome.TRANSIENT, 504),
    (Outcome.TRANSIENT, 429),  # "too many requests" is not "no robots.txt"
    (Outcome.TRANSIENT, None),  # timeout, refused connection
    (Outcome.PERMANENT, None),  # e.g. a refused address or an unreadable body
])
def test_5xx_429_and_unreachable_deny_everything(outcome: Outcome, status: int | None) -> None:
    parsed = rules_from_response(ORIGIN, outcome, status, None)
    assert not parsed.allow_all and parsed.reason.endswith("deny all")
    assert not parsed.allows(url("/"), AGENT) and not parsed.allows(url("/news/a"), "OtherBot")


def test_empty_robots_allows_everything() -> None:
    assert rules(b"").allows(url("/private/x.pdf"), AGENT)


def test_only_the_first_500_kib_are_read() -> None:
    body = b"User-agent: *\nDisallow: /early/\n#" + b"x" * ROBOTS_MAX_BYTES + b"\nDisallow: /late/\n"
    parsed = rules(body)
    assert not parsed.allows(url("/early/a"), AGENT) and parsed.allows(url("/late/a"), AGENT)


def test_invalid_utf8_does_not_break_parsing() -> None:
    parsed = rules(b"User-agent: *\nDisallow: /caf\xe9/\nDisallow: /x/\n")
    assert not parsed.allows(url("/x/a"), AGENT)


# --- matching (RFC 9309 2.2.2) --------------------------------------------------------------------


@pytest.mark.parametrize(("path", "allowed"), [
    ("/a.pdf", False), ("/dir/sub/report.pdf", False),
    ("/a.pdfx", True), ("/a.pdf/page", True), ("/a.pdf?download=1", True),  # $ anchors the end
    ("/no-parallax/x", False), ("/news/ok", True),
])
def test_wildcard_and_end_anchor(path: str, allowed: bool) -> None:
    assert rules().allows(url(path), AGENT) is allowed


@pytest.mark.parametrize(("path", "allowed"), [
    ("/private/x", False), ("/private/press/release", True),  # longer Allow beats shorter Disallow
    ("/drafts/one", False), ("/drafts/published-one", True),
    ("/search?q=x", False), ("/search", True),
])
def test_longest_match_wins(path: str, allowed: bool) -> None:
    assert rules().allows(url(path), "OtherBot") is allowed


def test_the_most_specific_group_applies_to_the_agent() -> None:
    parsed = rules()
    # ParallaxTest's own group replaces the * group: /private/ is not disallowed for it.
    assert parsed.allows(url("/private/x"), AGENT) and not parsed.allows(url("/no-parallax/x"), AGENT)
    assert parsed.allows(url("/no-parallax/x"), "OtherBot")
    assert not parsed.allows(url("/no-parallax/x"), "parallaxtest")  # product tokens match case-insensitively


def test_longest_match_prefers_allow_on_a_tie() -> None:
    parsed = rules(b"User-agent: *\nDisallow: /page\nAllow: /page\n")
    assert parsed.allows(url("/page"), AGENT)


# --- RobotsCache against a real server ------------------------------------------------------------


def run_cache(server: ScriptedServer, urls: list[str], *, retries: int = 2) -> tuple[list[bool], RobotsCache]:
    """Ask a fresh RobotsCache about every URL at once; the answers and the cache."""
    async def main() -> tuple[list[bool], RobotsCache]:
        policy = FetchPolicy(user_agent="ParallaxTest/1.0", allowed_hosts=frozenset({"127.0.0.1"}), retries=retries)
        async with make_client(policy) as client:
            fetcher = Fetcher(client, policy, Politeness(concurrency=2, min_gap_s=0, max_wait_s=5))
            cache = RobotsCache(fetcher, AGENT)
            answers = await asyncio.gather(*(cache.allows(u) for u in urls))
            return list(answers), cache

    return asyncio.run(main())


def test_robots_is_fetched_once_per_origin_for_many_urls() -> None:
    with ScriptedServer() as server:
        server.serve("/robots.txt", ROBOTS, content_type="text/plain")
        paths = [f"/news/{i}" for i in range(20)] + ["/no-parallax/a", "/report.pdf", "/private/x"]
        answers, cache = run_cache(server, [server.url(p) for p in paths])
        assert server.count("/robots.txt") == 1
        assert [h.path for h in server.hits] == ["/robots.txt"]  # only robots.txt is fetched, no page
        assert server.hits[0].headers.get("user-agent") == "ParallaxTest/1.0"
    assert answers == [True] * 20 + [False, False, True]
    assert len(cache.results) == 1 and cache.results[0].outcome is Outcome.OK


def test_each_origin_gets_its_own_robots() -> None:
    with ScriptedServer() as open_server, ScriptedServer() as closed_server:
        open_server.serve("/robots.txt", b"User-agent: *\nDisallow:\n", content_type="text/plain")
        closed_server.serve("/robots.txt", b"User-agent: *\nDisallow: /\n", content_type="text/plain")
        urls = [open_server.url("/a"), closed_server.url("/a"), open_server.url("/b"), closed_server.url("/b")]
        answers, cache = run_cache(open_server, urls)
        assert open_server.count("/robots.txt") == 1 and closed_server.count("/robots.txt") == 1
    assert answers == [True, False, True, False] and len(cache.results) == 2


def test_missing_robots_allows_and_failing_robots_denies() -> None:
    with ScriptedServer() as missing, ScriptedServer() as failing:
        missing.serve("/robots.txt", b"not here", status=404, content_type="text/plain")
        failing.serve("/robots.txt", b"oops", status=500, content_type="text/plain")
        answers, cache = run_cache(missing, [missing.url("/a"), failing.url("/a"), failing.url("/b")], retries=0)
        assert missing.count("/robots.txt") == 1 and failing.count("/robots.txt") == 1
    assert answers == [True, False, False]
    assert sorted(r.status for r in cache.results) == [404, 500]


def test_unreachable_origin_denies() -> None:
    with ScriptedServer() as server:
        dead = server.base  # nothing listens there once the server is closed
    answers, cache = run_cache(server, [dead + "/a"], retries=0)
    assert answers == [False] and cache.results[0].outcome is Outcome.TRANSIENT
