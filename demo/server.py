"""Serve the demo world over loopback HTTP: one ThreadingHTTPServer (one origin) per outlet."""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping, NamedTuple
from urllib.parse import urlsplit

from demo.render import (http_date, related_articles, render_feed, render_home,
                         render_not_found, render_page, render_robots)
from demo.world import CORPUS_DIR, DemoArticle, DemoCorpus, DemoOutlet, feed_articles, load_corpus

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
HTML = "text/html; charset=utf-8"
FEED_TYPES = {"rss": "application/rss+xml; charset=utf-8",
              "atom": "application/atom+xml; charset=utf-8"}
EMPTY_FEED_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)
POLL_INTERVAL_S = 0.05
JOIN_TIMEOUT_S = 5.0


class RequestRecord(NamedTuple):
    """One request as an outlet's server received it (header names lower-cased)."""

    outlet: str
    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass(frozen=True, slots=True)
class Resource:
    """What a route serves before conditional GET and compression are applied."""

    body: bytes
    content_type: str
    last_modified: datetime | None = None
    cacheable: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """A complete HTTP response: status, headers and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class _OutletServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows which outlet it serves for which world."""

    daemon_threads = True

    def __init__(self, world: DemoWorld, outlet: DemoOutlet) -> None:
        """Bind to an ephemeral loopback port."""
        self.world = world
        self.outlet = outlet
        super().__init__((HOST, 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for one outlet; everything is decided by DemoWorld.respond."""

    server: _OutletServer
    protocol_version = "HTTP/1.1"
    timeout = 30

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        """Serve a GET."""
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        """Serve a HEAD (the GET headers, no body)."""
        self._serve(head=True)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep quiet: per-request lines go to the debug log, not stderr."""
        logger.debug("%s %s", self.server.outlet.id, format % args)

    def _serve(self, *, head: bool) -> None:
        """Log the request, build the reply and write it."""
        headers = {k.lower(): v for k, v in self.headers.items()}
        world, outlet = self.server.world, self.server.outlet
        world.record(outlet.id, self.command, self.path, headers)
        try:
            reply = world.respond(outlet.id, self.path, headers)
        except Exception:  # a renderer bug must not kill the connection silently
            logger.exception("demo %s: failed to serve %s", outlet.id, self.path)
            reply = Reply(500, (("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", "21")), b"internal server error")
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head and reply.body:
            self.wfile.write(reply.body)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoFaults:
    """Faults the demo world serves on purpose: feeds cut short, pages that fail at first."""

    malformed_feeds: frozenset[tuple[str, str]] = frozenset()
    flaky_pages: Mapping[tuple[str, str], int] = field(default_factory=dict)


# The demo's own faults: a malformed comments feed, and a page that fails three times
# (one night's attempt with its two retries) before it answers.
DEMO_FAULTS = DemoFaults(malformed_feeds=frozenset({("tribune", "/feed/comments/")}),
                         flaky_pages={("hpr", "/2024/01/12/red-sea-strikes.html"): 3})


def _truncated(body: bytes) -> bytes:
    """A feed cut off in the middle, as a dropped connection or a broken generator leaves it."""
    return body[: int(len(body) * 0.6)]


class DemoWorld:
    """The nine demo outlets, each served from its own loopback origin (a context manager)."""

    def __init__(self, corpus: DemoCorpus | None = None, *,
                 as_of: datetime | None = None, faults: DemoFaults | None = None) -> None:
        """Load the corpus (default: demo/corpus) and start one server per outlet."""
        self.corpus = corpus if corpus is not None else load_corpus()
        self.as_of = as_of
        self.faults = faults or DemoFaults()
        self._fault_hits: dict[tuple[str, str], int] = {}
        self.requests: list[RequestRecord] = []
        self.bases: dict[str, str] = {}
        self._lock = threading.Lock()
        self._servers: list[_OutletServer] = []
        self._threads: list[threading.Thread] = []
        self._by_path = {(a.outlet, a.path): a for a in self.corpus.articles}
        try:
            for outlet in self.corpus.outlets:
                self._start(outlet)
        except BaseException:
            self.stop()
            raise

    @property
    def as_of(self) -> datetime | None:
        """Only articles published at or before this instant are visible (None: all)."""
        return self._as_of

    @as_of.setter
    def as_of(self, value: datetime | None) -> None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        self._as_of = value

    def _start(self, outlet: DemoOutlet) -> None:
        """Start one outlet's server on an ephemeral port in a daemon thread."""
        server = _OutletServer(self, outlet)
        port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, args=(POLL_INTERVAL_S,),
                                  name=f"demo-{outlet.id}", daemon=True)
        thread.start()
        self._servers.append(server)
        self._threads.append(thread)
        self.bases[outlet.id] = f"http://{HOST}:{port}"
        logger.debug("demo outlet %s serving on %s", outlet.id, self.bases[outlet.id])

    def stop(self) -> None:
        """Shut every server down and join its thread (safe to call twice)."""
        servers, threads = self._servers, self._threads
        self._servers, self._threads = [], []
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join(JOIN_TIMEOUT_S)

    def __enter__(self) -> DemoWorld:
        """Return the running world."""
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Stop the servers."""
        self.stop()

    def record(self, outlet_id: str, method: str, path: str, headers: dict[str, str]) -> None:
        """Append one request to the log (thread-safe)."""
        with self._lock:
            self.requests.append(RequestRecord(outlet_id, method, path, headers,
                                               time.monotonic()))

    def requests_snapshot(self) -> list[RequestRecord]:
        """A copy of the request log taken under the lock."""
        with self._lock:
            return list(self.requests)

    def visible_articles(self, outlet_id: str | None = None) -> list[DemoArticle]:
        """Articles published at or before as_of, oldest first, for one outlet or all."""
        return self._visible(outlet_id, self._as_of)

    def _visible(self, outlet_id: str | None, as_of: datetime | None) -> list[DemoArticle]:
        """Articles published at or before `as_of`, oldest first, for one outlet or all."""
        return [a for a in self.corpus.articles
                if (outlet_id is None or a.outlet == outlet_id) and self._is_visible(a, as_of)]

    def _is_visible(self, article: DemoArticle, as_of: datetime | None) -> bool:
        """Whether an article is published at or before `as_of` (None: always)."""
        return as_of is None or article.published <= as_of

    def url_of(self, article: DemoArticle) -> str:
        """The absolute URL of an article page on its outlet's origin."""
        return self.bases[article.outlet] + article.path

    def respond(self, outlet_id: str, target: str, headers: Mapping[str, str]) -> Reply:
        """Answer a GET for `target` on an outlet's origin (header names lower-cased)."""
        outlet = self.corpus.outlet(outlet_id)
        path = urlsplit(target).path
        if self._fails_now(outlet_id, path):
            return _reply(503, b"Service temporarily unavailable", "text/plain; charset=utf-8", headers)
        resource = self.resource(outlet, path)
        if resource is not None and (outlet_id, path) in self.faults.malformed_feeds:
            resource = Resource(_truncated(resource.body), resource.content_type, resource.last_modified, cacheable=True)
        if resource is None:
            return _reply(404, render_not_found(outlet), HTML, headers)
        if not resource.cacheable:
            return _reply(200, resource.body, resource.content_type, headers)
        return _conditional_reply(resource, headers)

    def _fails_now(self, outlet_id: str, path: str) -> bool:
        """Whether this request to a flaky page must fail (the first N requests do)."""
        key = (outlet_id, path)
        if key not in self.faults.flaky_pages:
            return False
        with self._lock:
            self._fault_hits[key] = self._fault_hits.get(key, 0) + 1
            return self._fault_hits[key] <= self.faults.flaky_pages[key]

    def resource(self, outlet: DemoOutlet, path: str) -> Resource | None:
        """What a path serves on an outlet's origin, or None for a 404."""
        if path == "/robots.txt":
            return Resource(render_robots(outlet), "text/plain; charset=utf-8")
        as_of = self._as_of  # one snapshot per request, even if as_of changes meanwhile
        visible = self._visible(outlet.id, as_of)
        if path == "/":
            return Resource(render_home(outlet, visible), HTML)
        if path in outlet.feed_paths:
            return self._feed(outlet, path, visible, as_of)
        article = self._by_path.get((outlet.id, path))
        if article is None or not self._is_visible(article, as_of):
            return None
        page = render_page(outlet, article, self.bases[outlet.id],
                           related=related_articles(article, visible))
        return Resource(page, HTML, article.published, cacheable=True)

    def _feed(self, outlet: DemoOutlet, path: str, visible: list[DemoArticle],
              as_of: datetime | None) -> Resource:
        """A feed whose build time is its newest entry's, so that its bytes are stable."""
        items = feed_articles(outlet, path, visible)
        newest = max((a.published for a in items), default=None)
        now = newest or as_of or EMPTY_FEED_TIME
        body = render_feed(outlet, items, self.bases[outlet.id], now, feed_path=path)
        return Resource(body, FEED_TYPES[outlet.feed_format], newest, cacheable=True)

    def write_config(self, path: Path, *, min_gap_s: float = 0.0) -> Path:
        """Write an outlets TOML for the running servers ([fetch] first, then [[outlets]])."""
        path = Path(path)
        lines = ["# The demo world on loopback, written by demo.server; valid while it runs.",
                 "[fetch]", f"allowed_hosts = [{_toml_str(HOST)}]",
                 f"per_host_min_gap_s = {float(min_gap_s)!r}", ""]
        for outlet in self.corpus.outlets:
            lines.extend(_outlet_toml(outlet, self.bases[outlet.id]))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
        return path


def _outlet_toml(outlet: DemoOutlet, base: str) -> list[str]:
    """One `[[outlets]]` table with the outlet's real origin."""
    feeds = ", ".join(_toml_str(base + p) for p in outlet.feed_paths)
    tags = ", ".join(f"{_toml_key(k)} = {_toml_str(v)}" for k, v in outlet.tags.items())
    home = outlet.homepage.replace(f"{{base:{outlet.id}}}", base)
    return ["[[outlets]]", f"id = {_toml_str(outlet.id)}", f"name = {_toml_str(outlet.name)}",
            f"homepage = {_toml_str(home)}", f"feeds = [{feeds}]",
            f"language = {_toml_str(outlet.language)}",
            f"country = {_toml_str(outlet.country)}",
            f"ownership = {_toml_str(outlet.ownership)}", f"tags = {{ {tags} }}", ""]


def _toml_str(value: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def _toml_key(key: str) -> str:
    """A bare TOML key when possible, else a quoted one."""
    bare = key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
    return key if bare else _toml_str(key)


def etag_of(body: bytes) -> str:
    """A strong ETag: the quoted sha256 of the (uncompressed) body."""
    return '"' + hashlib.sha256(body).hexdigest() + '"'


def _conditional_reply(resource: Resource, headers: Mapping[str, str]) -> Reply:
    """200 with ETag/Last-Modified, or 304 when the client's copy is current."""
    etag = etag_of(resource.body)
    validators = [("ETag", etag)]
    if resource.last_modified is not None:
        validators.append(("Last-Modified", http_date(resource.last_modified)))
    if _not_modified(headers, etag, resource.last_modified):
        return Reply(304, (*validators, ("Vary", "Accept-Encoding")), b"")
    reply = _reply(200, resource.body, resource.content_type, headers)
    return Reply(200, reply.headers + tuple(validators), reply.body)


def _not_modified(headers: Mapping[str, str], etag: str, last_modified: datetime | None) -> bool:
    """If-None-Match first (weak comparison), else If-Modified-Since."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = _parse_http_date(headers.get("if-modified-since"))
    if since is None or last_modified is None:
        return False
    return last_modified.replace(microsecond=0) <= since


def _parse_http_date(value: str | None) -> datetime | None:
    """Parse an HTTP-date; None when absent or malformed."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _reply(status: int, body: bytes, content_type: str, headers: Mapping[str, str]) -> Reply:
    """A full reply, gzipped when the client accepts it."""
    out = [("Content-Type", content_type), ("Vary", "Accept-Encoding")]
    if accepts_gzip(headers.get("accept-encoding", "")):
        body = gzip.compress(body, mtime=0)
        out.append(("Content-Encoding", "gzip"))
    out.append(("Content-Length", str(len(body))))
    return Reply(status, tuple(out), body)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding value allows gzip (a q=0 refuses it)."""
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in {"gzip", "x-gzip", "*"}:
            return not _q_is_zero(params)
    return False


def _q_is_zero(params: str) -> bool:
    """Whether Accept-Encoding parameters carry q=0."""
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value) == 0.0
            except ValueError:
                return False
    return False


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options of `python -m demo.server`."""
    parser = argparse.ArgumentParser(prog="python -m demo.server",
                                     description="Serve the Parallax demo world on loopback.")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="corpus directory")
    parser.add_argument("--as-of", type=datetime.fromisoformat, default=None,
                        help="only serve articles published at or before this ISO time")
    parser.add_argument("--config", type=Path,
                        default=Path(tempfile.gettempdir()) / "parallax-demo-outlets.toml",
                        help="where to write the outlets config for the running servers")
    parser.add_argument("--min-gap", type=float, default=0.0, help="per_host_min_gap_s")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve the demo world until Ctrl-C; print the path of the config written for it."""
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with DemoWorld(load_corpus(args.corpus), as_of=args.as_of) as world:
        for outlet_id, base in world.bases.items():
            logger.info("%-10s %s", outlet_id, base)
        config = world.write_config(args.config, min_gap_s=args.min_gap)
        logger.info("%d articles; config written; press Ctrl-C to stop",
                    len(world.visible_articles()))
        print(config)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            logger.info("stopping the demo world")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
