"""Scripted loopback HTTP server for offline tests: real sockets, byte-level faults, no mocks."""

from __future__ import annotations

import gzip as gzip_module
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MAX_LIFETIME_S = 60.0
READ_TIMEOUT_S = 10.0
MAX_HEADER_BYTES = 64 * 1024
MAX_DRAIN_BYTES = 1024 * 1024
JOIN_TIMEOUT_S = 2.0


def fixture_bytes(name: str, base: str) -> bytes:
    """Return tests/fixtures/<name> with every literal `{base}` replaced by the server base."""
    return (FIXTURES / name).read_bytes().replace(b"{base}", base.encode("ascii"))


class Headers(dict[str, str]):
    """A plain dict of request headers whose keys are lower-cased and looked up case-insensitively."""

    def __init__(self, items: list[tuple[str, str]] | None = None) -> None:
        """Store the items with lower-cased names; a repeated name is joined with ', '."""
        super().__init__()
        for name, value in items or []:
            key = name.lower()
            super().__setitem__(key, f"{self[key]}, {value}" if key in self else value)

    def __getitem__(self, key: str) -> str:
        """Look a header up whatever its case."""
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        """Tell whether a header is present whatever its case."""
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        """Look a header up whatever its case, with a default."""
        return super().get(key.lower(), default)


@dataclass(frozen=True, slots=True)
class Hit:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass(slots=True)
class _Route:
    """What the server does for one path."""

    kind: str
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    responses: list[tuple[int, bytes, dict[str, str]]] = field(default_factory=list)
    served: int = 0
    seconds: float = 0.0
    rate: float = 1.0
    delay: float = 0.0


@dataclass(slots=True)
class _Request:
    """A parsed request head."""

    method: str
    target: str
    headers: Headers


def _bounded(seconds: float) -> float:
    """Clamp a wait to the server's maximum thread lifetime."""
    return max(0.0, min(float(seconds), MAX_LIFETIME_S))


def _left(deadline: float) -> float:
    """Return the seconds left before a monotonic deadline, never negative."""
    return max(0.0, deadline - time.monotonic())


def _reason(status: int) -> str:
    """Return the standard reason phrase for a status code."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def _head_bytes(status: int, headers: list[tuple[str, str]]) -> bytes:
    """Serialise a status line and headers."""
    lines = [f"HTTP/1.1 {status} {_reason(status)}"] + [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _accepts_gzip(value: str) -> bool:
    """Tell whether an Accept-Encoding value admits gzip."""
    for part in value.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower()
            if not (q.startswith("q=") and float(q[2:] or 0) == 0):
                return True
    return False


def _etag_matches(value: str, etag: str) -> bool:
    """Tell whether an If-None-Match value matches the etag."""
    tags = [t.strip() for t in value.split(",")]
    return "*" in tags or etag in tags or any(t.removeprefix("W/") == etag.removeprefix("W/") for t in tags)


class _TCPServer(socketserver.ThreadingTCPServer):
    """Threading TCP server that hands each connection to its ScriptedServer."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, owner: ScriptedServer, address: tuple[str, int], family: int) -> None:
        """Bind the listener for the owner."""
        self.address_family = family
        self.owner = owner
        super().__init__(address, _Handler)


class _Handler(socketserver.BaseRequestHandler):
    """Per-connection handler delegating to the ScriptedServer."""

    server: _TCPServer

    def handle(self) -> None:
        """Serve one connection."""
        self.server.owner._handle(self.request)


class ScriptedServer:
    """Loopback HTTP/1.1 server whose answers are scripted per path."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        """Bind host on a free port; serving starts with `start()` or `with`."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._server = _TCPServer(self, (host, 0), family)
        port = self._server.server_address[1]
        self.base = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        self.hits: list[Hit] = []
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._in_flight = 0
        self._max_in_flight = 0
        self._conns: dict[threading.Thread, socket.socket] = {}
        self._loop: threading.Thread | None = None

    # lifecycle -----------------------------------------------------------------

    def start(self) -> ScriptedServer:
        """Start accepting connections in a background thread."""
        if self._loop is None:
            self._loop = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
            self._loop.start()
        return self

    def close(self) -> None:
        """Stop accepting, end in-flight scripted waits and wait briefly for handler threads."""
        self._stop.set()
        if self._loop is not None:
            self._server.shutdown()
            self._loop.join(JOIN_TIMEOUT_S)
        self._server.server_close()
        with self._lock:
            conns = dict(self._conns)
        for sock in conns.values():
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + JOIN_TIMEOUT_S
        for thread in conns:
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> ScriptedServer:
        """Start the server."""
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close the server."""
        self.close()

    # queries -------------------------------------------------------------------

    def url(self, path: str) -> str:
        """Return the absolute URL of a path on this server."""
        return self.base + (path if path.startswith("/") else "/" + path)

    def count(self, path: str) -> int:
        """Count requests for a path (an exact target, or a path regardless of its query)."""
        with self._lock:
            hits = list(self.hits)
        return sum(1 for h in hits if h.path == path or h.path.split("?", 1)[0] == path)

    def max_concurrency(self) -> int:
        """Return the most requests that were in flight at once."""
        with self._lock:
            return self._max_in_flight

    # scripting -----------------------------------------------------------------

    def serve(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        gzip: bool = False,
    ) -> None:
        """Answer path with a fixed response, honouring conditional requests and optional gzip."""
        all_headers = {"Content-Type": content_type, **(headers or {})}
        self._set(path, _Route("serve", status, body, all_headers, etag, last_modified, gzip))

    def sequence(self, path: str, responses: list[tuple[int, bytes, dict[str, str]]]) -> None:
        """Answer the nth request with the nth response; the last one repeats."""
        if not responses:
            raise ValueError("sequence needs at least one response")
        self._set(path, _Route("sequence", responses=list(responses)))

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """Redirect path to `to` (a path or an absolute URL)."""
        self._set(path, _Route("serve", status, b"", {"Location": to, "Content-Type": "text/plain"}))

    def stall(self, path: str, seconds: float = 30) -> None:
        """Read the request, send nothing for `seconds`, then close."""
        self._set(path, _Route("stall", seconds=_bounded(seconds)))

    def trickle(self, path: str, body: bytes, bytes_per_s: float = 1, max_s: float = 60) -> None:
        """Send the head at once, then the body one byte at a time, closing after `max_s`."""
        if bytes_per_s <= 0:
            raise ValueError("bytes_per_s must be positive")
        headers = {"Content-Type": "text/html; charset=utf-8"}
        self._set(path, _Route("trickle", body=body, headers=headers, rate=bytes_per_s, seconds=_bounded(max_s)))

    def raw(self, path: str, data: bytes) -> None:
        """Send exactly these bytes as the whole response, then close."""
        self._set(path, _Route("raw", body=data))

    def delay(self, path: str, seconds: float) -> None:
        """Wait `seconds` before answering a route already defined."""
        with self._lock:
            if path not in self._routes:
                raise KeyError(f"no route for {path!r}")
            self._routes[path].delay = _bounded(seconds)

    def _set(self, path: str, route: _Route) -> None:
        """Install a route."""
        with self._lock:
            self._routes[path] = route

    # connection handling -------------------------------------------------------

    def _handle(self, sock: socket.socket) -> None:
        """Read one request, record it and answer it according to its route."""
        me = threading.current_thread()
        with self._lock:
            self._conns[me] = sock
        try:
            sock.settimeout(READ_TIMEOUT_S)
            request = self._read_request(sock)
            if request is not None:
                self._track(request, sock)
        except OSError:
            pass
        finally:
            with self._lock:
                self._conns.pop(me, None)
            self._close(sock)

    def _track(self, request: _Request, sock: socket.socket) -> None:
        """Record the hit, count it in flight and answer it."""
        hit = Hit(request.method, request.target, request.headers, time.monotonic())
        with self._lock:
            self.hits.append(hit)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        try:
            self._answer(request, sock, hit.at + MAX_LIFETIME_S)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _read_request(self, sock: socket.socket) -> _Request | None:
        """Read and parse a request head (and drain a small body); None when malformed."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk or len(data) > MAX_HEADER_BYTES:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return None
        pairs = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:]) if k.strip()]
        request = _Request(parts[0].upper(), parts[1], Headers(pairs))
        self._drain(sock, request.headers, len(rest))
        return request

    def _drain(self, sock: socket.socket, headers: Headers, already: int) -> None:
        """Read a declared request body so that closing does not reset the connection."""
        try:
            remaining = min(int(headers.get("content-length", "0")), MAX_DRAIN_BYTES) - already
        except ValueError:
            return
        while remaining > 0:
            chunk = sock.recv(min(remaining, 65536))
            if not chunk:
                return
            remaining -= len(chunk)

    def _route_for(self, target: str) -> _Route | None:
        """Find the route for a target, first exactly, then without its query."""
        with self._lock:
            return self._routes.get(target) or self._routes.get(target.split("?", 1)[0])

    def _answer(self, request: _Request, sock: socket.socket, deadline: float) -> None:
        """Dispatch a request to its route's behaviour, never waiting past the deadline."""
        route = self._route_for(request.target)
        if route is None:
            self._send(sock, request, 404, b"not found\n", {"Content-Type": "text/plain"})
            return
        if route.delay and self._stop.wait(min(route.delay, _left(deadline))):
            return
        if route.kind == "stall":
            self._stop.wait(min(route.seconds, _left(deadline)))
        elif route.kind == "raw":
            sock.sendall(route.body)
        elif route.kind == "trickle":
            self._trickle(sock, request, route, min(deadline, time.monotonic() + route.seconds))
        elif route.kind == "sequence":
            self._send(sock, request, *self._next_response(route))
        elif request.method not in ("GET", "HEAD"):
            self._send(sock, request, 405, b"method not allowed\n", {"Allow": "GET, HEAD"})
        else:
            self._serve(sock, request, route)

    def _next_response(self, route: _Route) -> tuple[int, bytes, dict[str, str]]:
        """Take the next scripted response of a sequence."""
        with self._lock:
            index = min(route.served, len(route.responses) - 1)
            route.served += 1
        return route.responses[index]

    def _serve(self, sock: socket.socket, request: _Request, route: _Route) -> None:
        """Answer a fixed route, with 304 for matching validators and gzip when accepted."""
        validators = {}
        if route.etag is not None:
            validators["ETag"] = route.etag
        if route.last_modified is not None:
            validators["Last-Modified"] = route.last_modified
        if self._not_modified(request.headers, route):
            self._send(sock, request, 304, None, validators)
            return
        body, headers = route.body, {**route.headers, **validators}
        if route.gzip:
            headers["Vary"] = "Accept-Encoding"
            if _accepts_gzip(request.headers.get("accept-encoding", "")):
                body, headers["Content-Encoding"] = gzip_module.compress(body), "gzip"
        self._send(sock, request, route.status, body, headers)

    @staticmethod
    def _not_modified(headers: Headers, route: _Route) -> bool:
        """Tell whether the request's validators match the route's."""
        inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
        if route.etag is not None and inm is not None:
            return _etag_matches(inm, route.etag)
        return route.last_modified is not None and ims is not None and ims.strip() == route.last_modified

    def _send(
        self, sock: socket.socket, request: _Request, status: int, body: bytes | None, headers: dict[str, str]
    ) -> None:
        """Send a complete response (no body for HEAD or when body is None)."""
        pairs = [(k, v) for k, v in headers.items() if k.lower() not in ("content-length", "connection")]
        if body is not None:
            pairs.append(("Content-Length", str(len(body))))
        pairs.append(("Connection", "close"))
        payload = _head_bytes(status, pairs)
        if body is not None and request.method != "HEAD":
            payload += body
        sock.sendall(payload)

    def _trickle(self, sock: socket.socket, request: _Request, route: _Route, deadline: float) -> None:
        """Send the head now and the body byte by byte at the route's rate until the deadline."""
        headers = [(k, v) for k, v in route.headers.items()]
        headers += [("Content-Length", str(len(route.body))), ("Connection", "close")]
        sock.sendall(_head_bytes(200, headers))
        if request.method == "HEAD":
            return
        interval = 1.0 / route.rate
        for i in range(len(route.body)):
            if time.monotonic() >= deadline:
                return
            sock.sendall(route.body[i : i + 1])
            if i + 1 < len(route.body) and self._stop.wait(min(interval, _left(deadline))):
                return

    @staticmethod
    def _close(sock: socket.socket) -> None:
        """Half-close for writing, then close the connection."""
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        sock.close()
