"""Politeness tests: Retry-After parsing, back-off, and per-origin gates seen by a real loopback server."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from pipeline.fetch import Fetcher, FetchPolicy, make_client
from pipeline.politeness import (RETRY_AFTER_DEFAULT_S, RETRY_AFTER_MAX_S, RETRY_AFTER_MIN_S, HostBackedOff,
                                 Politeness, backoff_delay, parse_retry_after)
from pipeline.records import FetchResult, Outcome
from tests.support.server import ScriptedServer

NOW = datetime(2024, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
POLICY = FetchPolicy(user_agent="ParallaxTest/0.1 (politeness tests)", allowed_hosts=frozenset({"127.0.0.1"}),
                     connect_timeout_s=2.0, read_timeout_s=5.0, deadline_s=10.0, retries=0)


@pytest.fixture
def srv() -> Iterator[ScriptedServer]:
    """A running scripted server on 127.0.0.1."""
    with ScriptedServer() as server:
        yield server


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def fetch_all(urls: list[str], politeness: Politeness) -> list[FetchResult]:
    """Fetch all URLs concurrently through one fetcher."""

    async def go() -> list[FetchResult]:
        async with make_client(POLICY) as client:
            fetcher = Fetcher(client, POLICY, politeness)
            return list(await asyncio.gather(*(fetcher.fetch(u, max_bytes=1 << 20) for u in urls)))

    return asyncio.run(go())


# parse_retry_after ----------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   "])
def test_retry_after_absent_is_none(value: str | None) -> None:
    assert parse_retry_after(value, now=NOW) is None


@pytest.mark.parametrize(("value", "expected"), [("120", 120.0), (" 7 ", 7.0), ("1", 1.0)])
def test_retry_after_seconds(value: str, expected: float) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_retry_after_zero_is_raised_to_the_minimum() -> None:
    assert parse_retry_after("0", now=NOW) == RETRY_AFTER_MIN_S == 1.0


def test_retry_after_http_date_in_the_future() -> None:
    assert parse_retry_after(format_datetime(NOW + timedelta(seconds=90), usegmt=True), now=NOW) == 90.0
    assert parse_retry_after("Fri, 01 Mar 2024 12:05:00 GMT", now=NOW) == 300.0


def test_retry_after_http_date_with_offset_and_naive_zone() -> None:
    assert parse_retry_after("Fri, 01 Mar 2024 13:02:00 +0100", now=NOW) == 120.0
    assert parse_retry_after("Fri, 01 Mar 2024 12:01:00 -0000", now=NOW) == 60.0  # -0000: naive, read as UTC


def test_retry_after_http_date_in_the_past_is_the_minimum() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=NOW) == RETRY_AFTER_MIN_S


@pytest.mark.parametrize("value", ["soon", "1.5", "1e3", "Fri, 99 Foo 2024", "Mon, 01 Jan 99999 00:00:00 GMT"])
def test_retry_after_malformed_is_the_default(value: str) -> None:
    assert parse_retry_after(value, now=NOW) == RETRY_AFTER_DEFAULT_S == 60.0


@pytest.mark.parametrize("value", ["-5", "-120"])
def test_retry_after_negative_seconds_are_malformed(value: str) -> None:
    # delay-seconds is 1*DIGIT: a sign makes the value malformed, so the default wait applies
    assert parse_retry_after(value, now=NOW) == RETRY_AFTER_DEFAULT_S


@pytest.mark.parametrize("value", ["²", "١٢٠", "１２"])
def test_retry_after_non_ascii_digits_are_malformed(value: str) -> None:
    assert parse_retry_after(value, now=NOW) == RETRY_AFTER_DEFAULT_S


@pytest.mark.parametrize("value", ["86401", "999999999", "9" * 400, "Fri, 01 Mar 2124 12:00:00 GMT"])
def test_retry_after_huge_is_clamped_to_a_day(value: str) -> None:
    assert parse_retry_after(value, now=NOW) == RETRY_AFTER_MAX_S == 24 * 3600.0


# backoff_delay --------------------------------------------------------------------


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    assert [backoff_delay(n, rng=lambda: 1.0) for n in range(1, 7)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert backoff_delay(3, base_s=0.1, cap_s=100.0, rng=lambda: 1.0) == pytest.approx(0.8)
    assert backoff_delay(5, rng=lambda: 0.0) == 0.0
    assert backoff_delay(2, rng=lambda: 0.25) == 0.5


def test_backoff_has_full_jitter() -> None:
    rng = random.Random(20240301).random
    delays = [backoff_delay(3, rng=rng) for _ in range(200)]
    assert all(0.0 <= d <= 4.0 for d in delays)
    assert min(delays) < 1.0 and max(delays) > 3.0  # spread over the whole range, not a fixed step


# Politeness without the network ---------------------------------------------------


def test_back_off_blocks_for_its_time_on_the_injected_clock() -> None:
    clock = FakeClock()
    p = Politeness(concurrency=2, min_gap_s=0.0, max_wait_s=30.0, clock=clock)
    a, b = "http://a.example:80", "http://b.example:80"
    assert p.blocked_for(a) == 0.0
    p.back_off(a, 120)
    assert p.blocked_for(a) == 120.0 and p.blocked_for(b) == 0.0
    clock.now += 100
    assert p.blocked_for(a) == 20.0
    p.back_off(a, 5)  # a shorter back-off never shortens a longer one
    assert p.blocked_for(a) == 20.0
    clock.now += 25
    assert p.blocked_for(a) == 0.0


def test_slot_refuses_an_origin_blocked_beyond_max_wait() -> None:
    p = Politeness(concurrency=2, min_gap_s=0.0, max_wait_s=30.0)
    p.back_off("http://a.example:80", 120)
    entered: list[str] = []

    async def go() -> None:
        async with p.slot("http://b.example:80"):
            entered.append("b")
        async with p.slot("http://a.example:80"):
            entered.append("a")

    with pytest.raises(HostBackedOff) as info:
        asyncio.run(go())
    assert entered == ["b"]
    assert 100 < info.value.wait_s <= 120


def test_slot_waits_out_a_short_back_off() -> None:
    p = Politeness(concurrency=2, min_gap_s=0.0, max_wait_s=30.0)
    p.back_off("http://a.example:80", 0.3)

    async def go() -> float:
        t0 = time.monotonic()
        async with p.slot("http://a.example:80"):
            return time.monotonic() - t0

    assert 0.25 <= asyncio.run(go()) < 1.0


# Politeness as the server sees it -------------------------------------------------


def test_per_origin_concurrency_is_capped(srv: ScriptedServer) -> None:
    srv.serve("/slow", b"ok")
    srv.delay("/slow", 0.3)
    t0 = time.monotonic()
    results = fetch_all([srv.url(f"/slow?n={i}") for i in range(6)], Politeness(concurrency=2, min_gap_s=0.0,
                                                                                 max_wait_s=30.0))
    wall = time.monotonic() - t0
    assert [(r.outcome, r.status) for r in results] == [(Outcome.OK, 200)] * 6
    assert srv.count("/slow") == 6
    assert srv.max_concurrency() == 2
    assert wall >= 0.85  # three rounds of 0.3 s


def test_concurrency_cap_is_per_origin() -> None:
    with ScriptedServer() as one, ScriptedServer() as two:
        for s in (one, two):
            s.serve("/slow", b"ok")
            s.delay("/slow", 0.4)
        t0 = time.monotonic()
        results = fetch_all([one.url("/slow"), two.url("/slow")], Politeness(concurrency=1, min_gap_s=0.0,
                                                                             max_wait_s=30.0))
        wall = time.monotonic() - t0
        assert [(r.outcome, r.status) for r in results] == [(Outcome.OK, 200)] * 2
        assert one.count("/slow") == two.count("/slow") == 1
        assert wall < 0.75  # the two origins were fetched side by side


def test_min_gap_spaces_request_starts(srv: ScriptedServer) -> None:
    srv.serve("/page", b"ok")
    results = fetch_all([srv.url(f"/page?n={i}") for i in range(4)], Politeness(concurrency=4, min_gap_s=0.3,
                                                                                max_wait_s=30.0))
    assert [(r.outcome, r.status) for r in results] == [(Outcome.OK, 200)] * 4
    starts = sorted(h.at for h in srv.hits)
    assert len(starts) == 4
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert all(g >= 0.27 for g in gaps), gaps
    assert starts[-1] - starts[0] < 2.0
