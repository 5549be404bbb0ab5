"""Tests of the scripted loopback server, with urllib and raw sockets over 127.0.0.1."""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest

from .server import ScriptedServer, fixture_bytes


@pytest.fixture
def srv() -> Iterator[ScriptedServer]:
    """A running server, closed after the test."""
    with ScriptedServer() as server:
        yield server


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET", timeout: float = 5
) -> tuple[int, bytes, Message]:
    """GET (or HEAD) a URL; return status, body and headers, HTTP errors included."""
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


def raw_exchange(srv: ScriptedServer, request: bytes, timeout: float = 5) -> bytes:
    """Send raw request bytes over a socket and read until the server closes."""
    port = int(srv.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_binds_loopback_on_free_port(srv: ScriptedServer) -> None:
    """The base is a loopback URL with a real port."""
    assert srv.base.startswith("http://127.0.0.1:")
    assert int(srv.base.rsplit(":", 1)[1]) > 0
    assert srv.url("/x") == srv.base + "/x"


def test_serve_get_head_and_404(srv: ScriptedServer) -> None:
    """A served path answers GET and HEAD; an unknown path is 404."""
    srv.serve("/page", b"hello", headers={"X-Test": "1"})
    status, body, headers = fetch(srv.url("/page"))
    assert (status, body, headers["Content-Type"], headers["X-Test"]) == (200, b"hello", "text/html; charset=utf-8", "1")
    status, body, headers = fetch(srv.url("/page"), method="HEAD")
    assert (status, body, headers["Content-Length"]) == (200, b"", "5")
    assert fetch(srv.url("/missing"))[0] == 404


def test_query_falls_back_to_path(srv: ScriptedServer) -> None:
    """A target with a query uses the route of its path, and count sees both."""
    srv.serve("/a", b"A")
    assert fetch(srv.url("/a?utm_source=rss"))[1] == b"A"
    assert srv.count("/a") == 1 and srv.count("/a?utm_source=rss") == 1


def test_conditional_requests_get_304(srv: ScriptedServer) -> None:
    """Matching If-None-Match or If-Modified-Since gives 304 without a body."""
    lm = "Tue, 16 Jan 2024 08:00:00 GMT"
    srv.serve("/feed", b"<rss/>", content_type="application/rss+xml", etag='"v1"', last_modified=lm)
    status, body, headers = fetch(srv.url("/feed"))
    assert (status, headers["ETag"], headers["Last-Modified"]) == (200, '"v1"', lm)
    assert fetch(srv.url("/feed"), {"If-None-Match": '"v1"'})[:2] == (304, b"")
    assert fetch(srv.url("/feed"), {"If-Modified-Since": lm})[:2] == (304, b"")
    assert fetch(srv.url("/feed"), {"If-None-Match": '"v0"'})[:2] == (200, b"<rss/>")


def test_gzip_only_when_accepted(srv: ScriptedServer) -> None:
    """gzip=True compresses for clients that accept gzip and not for others."""
    srv.serve("/z", b"x" * 1000, gzip=True)
    status, body, headers = fetch(srv.url("/z"), {"Accept-Encoding": "gzip, deflate"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == b"x" * 1000
    status, body, headers = fetch(srv.url("/z"))
    assert headers["Content-Encoding"] is None and body == b"x" * 1000


def test_sequence_last_repeats(srv: ScriptedServer) -> None:
    """The nth request gets the nth response and the last one repeats."""
    srv.sequence("/s", [(503, b"busy", {"Retry-After": "1"}), (200, b"ok", {"Content-Type": "text/plain"})])
    results = [fetch(srv.url("/s"))[:2] for _ in range(3)]
    assert results == [(503, b"busy"), (200, b"ok"), (200, b"ok")]


def test_redirect_is_followed(srv: ScriptedServer) -> None:
    """A redirect sends Location and urllib lands on the target."""
    srv.redirect("/old", "/new", status=301)
    srv.serve("/new", b"moved here")
    assert fetch(srv.url("/old"))[:2] == (200, b"moved here")
    assert [h.path for h in srv.hits] == ["/old", "/new"]
    assert b"Location: /new\r\n" in raw_exchange(srv, b"GET /old HTTP/1.1\r\nHost: x\r\n\r\n")


def test_stall_times_out_client(srv: ScriptedServer) -> None:
    """A stalled path sends nothing, so the client's read timeout fires."""
    srv.stall("/slow", seconds=5)
    start = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(srv.url("/slow"), timeout=0.3)
    assert time.monotonic() - start < 2
    assert srv.count("/slow") == 1


def test_stall_closes_after_its_time(srv: ScriptedServer) -> None:
    """After its seconds a stall closes the connection with no bytes sent."""
    srv.stall("/short", seconds=0.2)
    assert raw_exchange(srv, b"GET /short HTTP/1.1\r\nHost: x\r\n\r\n") == b""


def test_trickle_delivers_slowly(srv: ScriptedServer) -> None:
    """Trickle sends the head at once and the body byte by byte."""
    srv.trickle("/t", b"abcdef", bytes_per_s=25)
    start = time.monotonic()
    status, body, _ = fetch(srv.url("/t"))
    assert (status, body) == (200, b"abcdef")
    assert time.monotonic() - start >= 0.18


def test_trickle_stops_at_max_s(srv: ScriptedServer) -> None:
    """Trickle closes after max_s, leaving the body incomplete."""
    srv.trickle("/t", b"x" * 100, bytes_per_s=50, max_s=0.2)
    with pytest.raises(http.client.IncompleteRead):
        fetch(srv.url("/t"))


def test_raw_sends_exact_bytes(srv: ScriptedServer) -> None:
    """Raw bytes go out untouched, so a lying Content-Length breaks the read."""
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\nContent-Type: text/html\r\n\r\nshort"
    srv.raw("/lie", data)
    assert raw_exchange(srv, b"GET /lie HTTP/1.1\r\nHost: x\r\n\r\n") == data
    with pytest.raises(http.client.IncompleteRead):
        fetch(srv.url("/lie"))


def test_hits_record_requests(srv: ScriptedServer) -> None:
    """Hits keep method, full target, case-insensitive headers and a monotonic time."""
    srv.serve("/h", b"")
    before = time.monotonic()
    fetch(srv.url("/h?x=1"), {"User-Agent": "parallax-test", "If-None-Match": '"a"'})
    fetch(srv.url("/h"), method="HEAD")
    fetch(srv.url("/nope"))
    assert [(h.method, h.path) for h in srv.hits] == [("GET", "/h?x=1"), ("HEAD", "/h"), ("GET", "/nope")]
    first = srv.hits[0]
    assert first.headers["user-agent"] == first.headers["User-Agent"] == "parallax-test"
    assert before <= first.at <= srv.hits[1].at <= time.monotonic()
    assert srv.count("/h") == 2 and srv.count("/nope") == 1


def test_delay_and_max_concurrency(srv: ScriptedServer) -> None:
    """Delayed answers overlap across threads and max_concurrency sees it."""
    srv.serve("/d", b"ok")
    srv.delay("/d", 0.3)
    threads = [threading.Thread(target=fetch, args=(srv.url("/d"),)) for _ in range(4)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 0.3 <= time.monotonic() - start < 1.5
    assert srv.max_concurrency() == 4


def test_sequential_concurrency_is_one(srv: ScriptedServer) -> None:
    """Requests one after another never overlap."""
    srv.serve("/one", b"1")
    for _ in range(3):
        fetch(srv.url("/one"))
    assert srv.max_concurrency() == 1


def test_delay_requires_route(srv: ScriptedServer) -> None:
    """Delaying an undefined route is an error."""
    with pytest.raises(KeyError):
        srv.delay("/undefined", 1)


def test_malformed_request_is_closed(srv: ScriptedServer) -> None:
    """Garbage instead of a request line gets the connection closed and no hit."""
    assert raw_exchange(srv, b"NOT HTTP\r\n\r\n") == b""
    assert srv.hits == []


def test_exit_is_prompt_during_stall() -> None:
    """Leaving the context ends an in-progress stall quickly."""
    with ScriptedServer() as server:
        server.stall("/s", seconds=30)
        port = int(server.base.rsplit(":", 1)[1])
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
        while server.count("/s") == 0:
            time.sleep(0.01)
        start = time.monotonic()
    assert time.monotonic() - start < 3
    assert sock.recv(10) == b""
    sock.close()


def test_fixture_bytes_substitutes_base() -> None:
    """fixture_bytes replaces the {base} placeholder."""
    data = fixture_bytes("feeds/rss2.xml", "http://127.0.0.1:1234")
    assert b"{base}" not in data and b"http://127.0.0.1:1234/news/" in data
