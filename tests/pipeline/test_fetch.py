"""Fetcher tests: real HTTP over 127.0.0.1 against the scripted server, no mocks of httpx."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import resource
import socket
import statistics
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest

from pipeline.config import DEFAULT_USER_AGENT, FetchSettings
from pipeline.fetch import Fetcher, FetchPolicy, make_client
from pipeline.politeness import Politeness
from pipeline.records import FetchResult, Outcome, Validators
from pipeline.urls import origin
from tests.support.server import ScriptedServer

T = TypeVar("T")

LOCAL = frozenset({"127.0.0.1"})
UA = "ParallaxTest/0.1 (fetch tests; +https://example.invalid/parallax)"
MB = 1 << 20


class SleepLog:
    """An injected sleep that records the back-off delays and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def policy(**overrides: object) -> FetchPolicy:
    """A policy allowed to reach 127.0.0.1, with short timeouts."""
    fields: dict[str, object] = dict(user_agent=UA, allowed_hosts=LOCAL, connect_timeout_s=2.0,
                                     read_timeout_s=5.0, deadline_s=10.0, retries=2, max_retry_wait_s=30.0)
    fields.update(overrides)
    return FetchPolicy(**fields)  # type: ignore[arg-type]


def polite(concurrency: int = 4, min_gap_s: float = 0.0, max_wait_s: float = 30.0) -> Politeness:
    """A Politeness with no gap by default, so tests do not wait."""
    return Politeness(concurrency=concurrency, min_gap_s=min_gap_s, max_wait_s=max_wait_s)


def run(body: Callable[[Fetcher], Awaitable[T]], *, pol: FetchPolicy | None = None,
        politeness: Politeness | None = None, sleep: Callable[[float], Awaitable[None]] | None = None,
        rng: Callable[[], float] | None = None) -> T:
    """Run `body` with a fresh client and fetcher inside one event loop."""
    pol = pol or policy()

    async def go() -> T:
        async with make_client(pol) as client:
            kwargs: dict[str, object] = {"sleep": sleep or SleepLog()}
            if rng is not None:
                kwargs["rng"] = rng
            fetcher = Fetcher(client, pol, politeness or polite(), **kwargs)  # type: ignore[arg-type]
            return await body(fetcher)

    return asyncio.run(go())


def fetch(url: str, *, max_bytes: int = MB, validators: Validators = Validators(), **kw: object) -> FetchResult:
    """One fetch of one URL."""
    return run(lambda f: f.fetch(url, max_bytes=max_bytes, validators=validators), **kw)  # type: ignore[arg-type]


@pytest.fixture
def srv() -> Iterator[ScriptedServer]:
    """A running scripted server on 127.0.0.1."""
    with ScriptedServer() as server:
        yield server


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_response(body: bytes, headers: dict[str, str], status: str = "200 OK") -> bytes:
    """A whole HTTP/1.1 response as bytes, for raw()."""
    head = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()] + ["Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


# plain responses ------------------------------------------------------------------


def test_200_ok_body_validators_and_request_headers(srv: ScriptedServer) -> None:
    body = b"<html><body>hello parallax</body></html>"
    lm = "Tue, 16 Jan 2024 08:00:00 GMT"
    srv.serve("/page", body, etag='"v7"', last_modified=lm)
    r = fetch(srv.url("/page"))
    assert (r.outcome, r.reason, r.status) == (Outcome.OK, "ok", 200)
    assert r.ok and r.body == body and r.bytes_read == len(body)
    assert r.validators == Validators(etag='"v7"', last_modified=lm, body_hash=sha256(body))
    assert r.content_type == "text/html; charset=utf-8"
    assert r.final_url == r.url == srv.url("/page") and r.redirects == () and r.tries == 1
    assert srv.count("/page") == 1
    hit = srv.hits[0]
    assert hit.method == "GET"
    assert hit.headers["user-agent"] == UA
    assert hit.headers["accept-encoding"] == "gzip"
    assert hit.headers["accept"] == "*/*"
    assert "if-none-match" not in hit.headers and "if-modified-since" not in hit.headers


def test_policy_from_settings_sends_the_descriptive_default_user_agent(srv: ScriptedServer) -> None:
    srv.serve("/ua", b"x")
    pol = FetchPolicy.from_settings(FetchSettings(allowed_hosts=("127.0.0.1",)))
    r = fetch(srv.url("/ua"), pol=pol)
    assert (r.outcome, r.reason, r.status) == (Outcome.OK, "ok", 200)
    ua = srv.hits[0].headers["user-agent"]
    assert ua == DEFAULT_USER_AGENT
    assert ua.startswith("Parallax/") and "(" in ua  # product token plus a descriptive comment


def test_accept_header_is_passed_through(srv: ScriptedServer) -> None:
    srv.serve("/feed", b"<rss/>", content_type="application/rss+xml")
    r = run(lambda f: f.fetch(srv.url("/feed"), max_bytes=MB, accept="application/rss+xml"))
    assert (r.outcome, r.status, r.content_type) == (Outcome.OK, 200, "application/rss+xml")
    assert srv.hits[0].headers["accept"] == "application/rss+xml"


def test_empty_200_body_is_transient(srv: ScriptedServer) -> None:
    srv.serve("/empty", b"")
    old = Validators(etag='"old"')
    r = fetch(srv.url("/empty"), validators=old, pol=policy(retries=0))
    assert (r.outcome, r.reason, r.status) == (Outcome.TRANSIENT, "empty_body", 200)
    assert r.validators == old and r.body is None
    assert srv.count("/empty") == 1


# conditional GET ------------------------------------------------------------------


def test_conditional_get_sends_validators_and_gets_304(srv: ScriptedServer) -> None:
    lm = "Tue, 16 Jan 2024 08:00:00 GMT"
    srv.serve("/feed", b"<rss/>", etag='"v1"', last_modified=lm)
    stored = Validators(etag='"v1"', last_modified=lm, body_hash=sha256(b"<rss/>"))
    r = fetch(srv.url("/feed"), validators=stored)
    assert (r.outcome, r.reason, r.status) == (Outcome.NOT_MODIFIED, "http_304", 304)
    assert r.body is None and r.validators == stored and r.tries == 1
    hit = srv.hits[0]
    assert hit.headers["if-none-match"] == '"v1"'
    assert hit.headers["if-modified-since"] == lm
    assert srv.count("/feed") == 1


def test_conditional_get_by_last_modified_only(srv: ScriptedServer) -> None:
    lm = "Wed, 17 Jan 2024 09:30:00 GMT"
    srv.serve("/feed", b"<rss/>", last_modified=lm)
    r = fetch(srv.url("/feed"), validators=Validators(last_modified=lm))
    assert (r.outcome, r.reason, r.status) == (Outcome.NOT_MODIFIED, "http_304", 304)
    assert "if-none-match" not in srv.hits[0].headers
    assert srv.hits[0].headers["if-modified-since"] == lm


def test_stale_validators_get_a_fresh_body(srv: ScriptedServer) -> None:
    srv.serve("/feed", b"<rss>new</rss>", etag='"v2"')
    r = fetch(srv.url("/feed"), validators=Validators(etag='"v1"', body_hash=sha256(b"<rss>old</rss>")))
    assert (r.outcome, r.reason, r.status) == (Outcome.OK, "ok", 200)
    assert r.body == b"<rss>new</rss>" and r.validators.etag == '"v2"'
    assert srv.hits[0].headers["if-none-match"] == '"v1"'


def test_server_ignoring_validators_with_same_body_is_unchanged(srv: ScriptedServer) -> None:
    body = b"<rss><item>same</item></rss>"
    srv.serve("/feed", body)  # no etag, no last-modified: always 200
    first = fetch(srv.url("/feed"))
    assert (first.outcome, first.reason, first.status) == (Outcome.OK, "ok", 200)
    assert first.validators == Validators(body_hash=sha256(body))
    second = fetch(srv.url("/feed"), validators=first.validators)
    assert (second.outcome, second.reason, second.status) == (Outcome.NOT_MODIFIED, "unchanged_body", 200)
    assert second.validators.body_hash == first.validators.body_hash and second.bytes_read == len(body)
    assert srv.count("/feed") == 2
    assert "if-none-match" not in srv.hits[1].headers and "if-modified-since" not in srv.hits[1].headers


# status codes and retries ---------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 403])
def test_permanent_status_is_not_retried(srv: ScriptedServer, status: int) -> None:
    srv.serve("/gone", b"no", status=status)
    sleep = SleepLog()
    r = fetch(srv.url("/gone"), sleep=sleep)
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, f"http_{status}", status)
    assert r.body is None and r.tries == 1
    assert srv.count("/gone") == 1 and sleep.delays == []


def test_500_twice_then_200_is_ok_on_third_try(srv: ScriptedServer) -> None:
    srv.sequence("/flaky", [(500, b"oops", {}), (500, b"oops", {}), (200, b"finally", {"Content-Type": "text/html"})])
    sleep = SleepLog()
    r = fetch(srv.url("/flaky"), sleep=sleep, rng=lambda: 0.5)
    assert (r.outcome, r.reason, r.status) == (Outcome.OK, "ok", 200)
    assert r.body == b"finally" and r.tries == 3
    assert srv.count("/flaky") == 3
    assert sleep.delays == [0.5, 1.0]  # rng 0.5 of min(8, 0.5 * 2**n) for n = 1, 2


def test_500_forever_is_transient_after_retries_plus_one(srv: ScriptedServer) -> None:
    srv.serve("/down", b"down", status=500)
    sleep = SleepLog()
    r = fetch(srv.url("/down"), pol=policy(retries=3), sleep=sleep)
    assert (r.outcome, r.reason, r.status) == (Outcome.TRANSIENT, "http_500", 500)
    assert r.tries == 4 and srv.count("/down") == 4 and len(sleep.delays) == 3


def test_retries_zero_means_one_hit(srv: ScriptedServer) -> None:
    srv.serve("/down", b"down", status=502)
    r = fetch(srv.url("/down"), pol=policy(retries=0))
    assert (r.outcome, r.reason, r.status, r.tries) == (Outcome.TRANSIENT, "http_502", 502, 1)
    assert srv.count("/down") == 1


def test_backoff_delays_are_jittered(srv: ScriptedServer) -> None:
    srv.serve("/down", b"down", status=503)  # 503 without Retry-After: plain back-off
    sleep = SleepLog()

    async def five(f: Fetcher) -> list[FetchResult]:
        return [await f.fetch(srv.url("/down"), max_bytes=MB) for _ in range(5)]

    results = run(five, sleep=sleep)  # the real random.random
    assert all((r.outcome, r.reason, r.status, r.tries) == (Outcome.TRANSIENT, "http_503", 503, 3)
               for r in results)
    assert srv.count("/down") == 15 and len(sleep.delays) == 10
    first, second = sleep.delays[0::2], sleep.delays[1::2]
    assert all(0 <= d <= 1.0 for d in first) and all(0 <= d <= 2.0 for d in second)
    assert statistics.pvariance(sleep.delays) > 0
    assert len(set(first)) > 1


def test_429_with_long_retry_after_backs_off_the_origin(srv: ScriptedServer) -> None:
    srv.serve("/limited", b"slow down", status=429, headers={"Retry-After": "120"})
    srv.serve("/other", b"fine")
    politeness = polite(max_wait_s=30)
    sleep = SleepLog()
    with ScriptedServer() as elsewhere:
        elsewhere.serve("/fine", b"other origin")

        async def three(f: Fetcher) -> tuple[FetchResult, FetchResult, FetchResult]:
            a = await f.fetch(srv.url("/limited"), max_bytes=MB)
            b = await f.fetch(srv.url("/other"), max_bytes=MB)
            c = await f.fetch(elsewhere.url("/fine"), max_bytes=MB)
            return a, b, c

        first, second, third = run(three, politeness=politeness, sleep=sleep)
        assert elsewhere.count("/fine") == 1
    assert (first.outcome, first.reason, first.status) == (Outcome.TRANSIENT, "http_429", 429)
    assert first.retry_after_s == 120 and first.tries == 1
    assert srv.count("/limited") == 1 and sleep.delays == []
    assert (second.outcome, second.reason, second.status) == (Outcome.TRANSIENT, "host_backoff", None)
    assert second.tries == 1 and srv.count("/other") == 0
    assert 100 < politeness.blocked_for(origin(srv.base)) <= 120
    assert (third.outcome, third.reason, third.status) == (Outcome.OK, "ok", 200)
    assert third.body == b"other origin"


def test_503_with_short_retry_after_waits_and_retries(srv: ScriptedServer) -> None:
    srv.sequence("/busy", [(503, b"busy", {"Retry-After": "1"}), (200, b"ready", {"Content-Type": "text/plain"})])
    sleep = SleepLog()
    r = fetch(srv.url("/busy"), sleep=sleep, rng=lambda: 0.0)
    assert (r.outcome, r.reason, r.status) == (Outcome.OK, "ok", 200)
    assert r.body == b"ready" and r.tries == 2
    assert srv.count("/busy") == 2 and len(sleep.delays) == 1
    gap = srv.hits[1].at - srv.hits[0].at
    assert 0.9 <= gap < 3.0  # the origin's Retry-After was honoured, not just the (zero) back-off


def test_retry_after_longer_than_policy_allows_is_not_retried(srv: ScriptedServer) -> None:
    srv.sequence("/busy", [(503, b"busy", {"Retry-After": "5"}), (200, b"ready", {})])
    r = fetch(srv.url("/busy"), pol=policy(max_retry_wait_s=2))
    assert (r.outcome, r.reason, r.status, r.retry_after_s) == (Outcome.TRANSIENT, "http_503", 503, 5)
    assert r.tries == 1 and srv.count("/busy") == 1


# timeouts -------------------------------------------------------------------------


def test_stall_is_a_read_timeout(srv: ScriptedServer) -> None:
    srv.stall("/stall", seconds=10)
    t0 = time.monotonic()
    r = fetch(srv.url("/stall"), pol=policy(read_timeout_s=1.0, deadline_s=8.0, retries=0))
    wall = time.monotonic() - t0
    assert (r.outcome, r.reason, r.status) == (Outcome.TRANSIENT, "read_timeout", None)
    assert 0.8 <= r.elapsed_s < 3.0 and wall < 4.0
    assert srv.count("/stall") == 1


def test_trickle_hits_the_deadline(srv: ScriptedServer) -> None:
    srv.trickle("/slow", b"x" * 100, bytes_per_s=1, max_s=20)
    t0 = time.monotonic()
    r = fetch(srv.url("/slow"), pol=policy(read_timeout_s=5.0, deadline_s=2.0, retries=0))
    wall = time.monotonic() - t0
    assert (r.outcome, r.reason, r.status) == (Outcome.TRANSIENT, "deadline", None)
    assert 1.8 <= r.elapsed_s < 4.0 and wall < 4.0
    assert r.body is None and srv.count("/slow") == 1


def test_connection_refused_is_connect_error() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    sleep = SleepLog()
    r = fetch(f"http://127.0.0.1:{port}/feed", sleep=sleep)
    assert (r.outcome, r.reason, r.status) == (Outcome.TRANSIENT, "connect_error", None)
    assert r.tries == 3 and len(sleep.delays) == 2


# redirects ------------------------------------------------------------------------


def test_redirect_chain_is_followed(srv: ScriptedServer) -> None:
    srv.redirect("/a", "/b", status=301)
    srv.redirect("/b", srv.url("/c"), status=302)
    srv.serve("/c", b"landed")
    r = fetch(srv.url("/a"))
    assert (r.outcome, r.reason, r.status) == (Outcome.OK, "ok", 200)
    assert r.body == b"landed"
    assert r.url == srv.url("/a") and r.final_url == srv.url("/c")
    assert r.redirects == (srv.url("/a"), srv.url("/b"))
    assert [h.path for h in srv.hits] == ["/a", "/b", "/c"]


def test_redirect_loop_is_permanent(srv: ScriptedServer) -> None:
    srv.redirect("/x", "/y")
    srv.redirect("/y", "/x")
    r = fetch(srv.url("/x"))
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "redirect_loop", None)
    assert r.tries == 1
    assert [h.path for h in srv.hits] == ["/x", "/y"]


def test_too_many_redirects_is_permanent(srv: ScriptedServer) -> None:
    for i in range(4):
        srv.redirect(f"/r{i}", f"/r{i + 1}", status=307)
    srv.serve("/r4", b"too far")
    r = fetch(srv.url("/r0"), pol=policy(max_redirects=2))
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "too_many_redirects", None)
    assert [h.path for h in srv.hits] == ["/r0", "/r1", "/r2"]
    assert srv.count("/r4") == 0


def test_exactly_max_redirects_is_allowed(srv: ScriptedServer) -> None:
    srv.redirect("/r0", "/r1")
    srv.redirect("/r1", "/r2")
    srv.serve("/r2", b"just in time")
    r = fetch(srv.url("/r0"), pol=policy(max_redirects=2))
    assert (r.outcome, r.reason, r.status, r.body) == (Outcome.OK, "ok", 200, b"just in time")
    assert len(r.redirects) == 2 and srv.count("/r2") == 1


def test_redirect_to_file_url_is_refused(srv: ScriptedServer) -> None:
    srv.redirect("/evil", "file:///etc/passwd")
    r = fetch(srv.url("/evil"))
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "bad_url", None)
    assert r.body is None and r.tries == 1
    assert [h.path for h in srv.hits] == ["/evil"]


def test_bad_url_is_refused_without_a_request(srv: ScriptedServer) -> None:
    r = fetch("ftp://127.0.0.1/feed")
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "bad_url", None)
    assert srv.hits == []


# SSRF guard -----------------------------------------------------------------------


def test_loopback_is_refused_unless_allowed(srv: ScriptedServer) -> None:
    srv.serve("/internal", b"secret")
    guarded = policy(allowed_hosts=frozenset(), allow_private=False)
    r = fetch(srv.url("/internal"), pol=guarded)
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "address_refused", None)
    assert r.body is None and r.tries == 1
    assert srv.hits == []
    allowed = fetch(srv.url("/internal"), pol=policy(allowed_hosts=frozenset({"127.0.0.1"})))
    assert (allowed.outcome, allowed.reason, allowed.status, allowed.body) == (Outcome.OK, "ok", 200, b"secret")
    assert srv.count("/internal") == 1


# bodies and encodings -------------------------------------------------------------


def test_gzip_body_is_decoded(srv: ScriptedServer) -> None:
    text = ("<p>Parallax compares coverage.</p>\n" * 500).encode()
    srv.serve("/z", text, gzip=True)
    r = fetch(srv.url("/z"))
    assert (r.outcome, r.reason, r.status) == (Outcome.OK, "ok", 200)
    assert r.body == text and r.bytes_read == len(text)
    assert r.validators.body_hash == sha256(text)
    assert srv.hits[0].headers["accept-encoding"] == "gzip"


def _gzip_bomb(zeros_mb: int) -> bytes:
    """gzip of `zeros_mb` MB of zeros, built without ever holding the zeros."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(MB)
    parts = [comp.compress(chunk) for _ in range(zeros_mb)]
    parts.append(comp.flush())
    return b"".join(parts)


def test_gzip_bomb_is_too_large_without_inflating(srv: ScriptedServer) -> None:
    bomb = _gzip_bomb(200)
    assert len(bomb) < 1 * MB
    srv.raw("/bomb", raw_response(bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip",
                                         "Content-Length": str(len(bomb))}))
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = fetch(srv.url("/bomb"), max_bytes=MB)
    after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "too_large", 200)  # the status the server sent with the refused body
    assert r.body is None and r.tries == 1 and srv.count("/bomb") == 1
    assert after_kb - before_kb < 100 * 1024  # ru_maxrss is in KiB on Linux


def test_declared_content_length_over_cap_is_refused_before_reading(srv: ScriptedServer) -> None:
    # at 1 byte/s, reading even max_bytes + 1 of this body would take 1000 s
    srv.trickle("/big", b"x" * 5000, bytes_per_s=1, max_s=30)
    t0 = time.monotonic()
    r = fetch(srv.url("/big"), max_bytes=1000)
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "too_large", 200)  # the status the server sent with the refused body
    assert time.monotonic() - t0 < 1.5 and srv.count("/big") == 1


def test_undeclared_body_over_cap_is_too_large(srv: ScriptedServer) -> None:
    srv.raw("/nolen", raw_response(b"y" * 5000, {"Content-Type": "text/html"}))
    r = fetch(srv.url("/nolen"), max_bytes=1000)
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "too_large", 200)  # the status the server sent with the refused body
    assert srv.count("/nolen") == 1


def test_body_at_the_cap_is_accepted(srv: ScriptedServer) -> None:
    srv.serve("/exact", b"e" * 1000)
    r = fetch(srv.url("/exact"), max_bytes=1000)
    assert (r.outcome, r.status, r.bytes_read) == (Outcome.OK, 200, 1000)


def test_brotli_is_an_unrequested_encoding(srv: ScriptedServer) -> None:
    srv.serve("/br", b"\x1b\x03\x00\xf8\xa5\x80", headers={"Content-Encoding": "br"})
    r = fetch(srv.url("/br"))
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "unrequested_encoding", 200)  # the status the server sent with the refused body
    assert r.tries == 1 and srv.count("/br") == 1


def test_stacked_gzip_is_refused(srv: ScriptedServer) -> None:
    text = b"twice compressed"
    srv.serve("/gg", gzip.compress(gzip.compress(text)), headers={"Content-Encoding": "gzip, gzip"})
    r = fetch(srv.url("/gg"))
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "unrequested_encoding", 200)  # the status the server sent with the refused body
    assert r.body is None and srv.count("/gg") == 1


def test_corrupt_gzip_is_a_decode_error(srv: ScriptedServer) -> None:
    srv.serve("/bad", b"\x1f\x8bthis is not deflate data at all", headers={"Content-Encoding": "gzip"})
    r = fetch(srv.url("/bad"))
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "decode_error", 200)  # the status the server sent with the refused body
    assert r.tries == 1 and srv.count("/bad") == 1


def test_truncated_gzip_is_a_decode_error(srv: ScriptedServer) -> None:
    whole = gzip.compress(b"a complete sentence that will be cut off" * 20)
    srv.serve("/cut", whole[: len(whole) // 2], headers={"Content-Encoding": "gzip"})
    r = fetch(srv.url("/cut"))
    assert (r.outcome, r.reason, r.status) == (Outcome.PERMANENT, "decode_error", 200)  # the status the server sent with the refused body
    assert srv.count("/cut") == 1


def test_lying_content_length_is_transient(srv: ScriptedServer) -> None:
    srv.raw("/lie", raw_response(b"short", {"Content-Type": "text/html", "Content-Length": "500"}))
    r = fetch(srv.url("/lie"), pol=policy(retries=0))
    assert (r.outcome, r.reason, r.status) == (Outcome.TRANSIENT, "protocol_error", None)
    assert r.body is None and srv.count("/lie") == 1


def test_non_ascii_digit_retry_after_is_still_a_429(srv: ScriptedServer) -> None:
    # b"\xb2" decodes (latin-1) to "²", which str.isdigit() accepts but float() does not
    head = b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: \xb2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    srv.raw("/odd", head)
    r = fetch(srv.url("/odd"), pol=policy(max_retry_wait_s=10))
    assert (r.outcome, r.reason, r.status) == (Outcome.TRANSIENT, "http_429", 429)
    assert r.retry_after_s == 60.0 and r.tries == 1  # malformed → the default wait, over the policy's 10 s
    assert srv.count("/odd") == 1


def test_gzip_with_endless_trailing_bytes_stays_small(srv: ScriptedServer) -> None:
    text = b"<p>short page</p>"
    junk = b"j" * (64 * MB)  # bytes after the end of the gzip member
    body = gzip.compress(text) + junk
    srv.raw("/tail", raw_response(body, {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    del junk
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    r = fetch(srv.url("/tail"), max_bytes=MB, pol=policy(deadline_s=8.0, retries=0))
    elapsed = time.monotonic() - t0
    after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (r.outcome, r.status, r.body) == (Outcome.OK, 200, text)
    assert elapsed < 4.0
    assert after_kb - before_kb < 32 * 1024
