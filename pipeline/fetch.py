"""The one module that talks to the network: polite, bounded, never raising for a bad URL."""
from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urljoin

import httpx

from pipeline.addresses import AddressRefused, GuardedTransport
from pipeline.body import ACCEPTED_ENCODING, BodyRefused, BoundedBody
from pipeline.config import FetchSettings
from pipeline.ids import content_hash
from pipeline.politeness import HostBackedOff, Politeness, backoff_delay, parse_retry_after
from pipeline.records import FetchResult, Outcome, Validators
from pipeline.urls import UrlError, check_http_url, origin

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """The bounds every request obeys."""

    user_agent: str
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 10.0
    deadline_s: float = 30.0
    max_redirects: int = 5
    retries: int = 2
    max_retry_wait_s: float = 30.0
    allowed_hosts: frozenset[str] = frozenset()
    allow_private: bool = False

    @classmethod
    def from_settings(cls, s: FetchSettings) -> "FetchPolicy":
        """The policy a config's [fetch] table describes."""
        return cls(user_agent=s.user_agent, connect_timeout_s=s.connect_timeout_s,
                   read_timeout_s=s.read_timeout_s, deadline_s=s.deadline_s,
                   max_redirects=s.max_redirects, retries=s.retries,
                   max_retry_wait_s=s.max_retry_wait_s,
                   allowed_hosts=frozenset(h.lower() for h in s.allowed_hosts),
                   allow_private=s.allow_private_networks)


def make_client(policy: FetchPolicy) -> httpx.AsyncClient:
    """The HTTP client the fetcher is meant to get: no redirects, no env proxies, gzip only,
    and connections only to addresses the policy allows (checked on the address connected to)."""
    timeout = httpx.Timeout(policy.read_timeout_s, connect=policy.connect_timeout_s)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
    transport = GuardedTransport(allowed_hosts=policy.allowed_hosts, allow_private=policy.allow_private,
                                 limits=limits)
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False, transport=transport,
                             headers={"User-Agent": policy.user_agent})


class _Hop(Exception):
    """Internal: the response is a redirect to `location`."""

    def __init__(self, location: str) -> None:
        self.location = location


class Fetcher:
    """Fetches URLs through an injected client, one FetchResult per call."""

    def __init__(self, client: httpx.AsyncClient, policy: FetchPolicy, politeness: Politeness, *,
                 rng: Callable[[], float] = random.random,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._client = client
        self._policy = policy
        self._politeness = politeness
        self._rng = rng
        self._sleep = sleep

    async def fetch(self, url: str, *, max_bytes: int, validators: Validators = Validators(),
                    accept: str = "*/*") -> FetchResult:
        """Fetch one URL with retries of transient failures; never raises for the URL's sake."""
        result = await self._attempt(url, max_bytes, validators, accept)
        tries = 1
        while result.outcome is Outcome.TRANSIENT and tries <= self._policy.retries and self._retriable(result):
            await self._sleep(backoff_delay(tries, rng=self._rng))
            result = await self._attempt(url, max_bytes, validators, accept)
            tries += 1
        return replace(result, tries=tries)

    def _retriable(self, result: FetchResult) -> bool:
        if result.reason == "host_backoff":
            return False
        return result.retry_after_s is None or result.retry_after_s <= self._policy.max_retry_wait_s

    async def _attempt(self, url: str, max_bytes: int, validators: Validators, accept: str) -> FetchResult:
        started_at = datetime.now(timezone.utc)
        t0 = time.monotonic()
        trail: list[str] = []
        try:
            result = await self._follow(url, max_bytes, validators, accept, trail, started_at)
        except Exception as exc:  # the per-URL error boundary: every failure becomes data
            base = dict(url=url, final_url=trail[-1] if trail else url, started_at=started_at)
            result = _failure(exc, base)
        return replace(result, elapsed_s=time.monotonic() - t0, redirects=tuple(trail[:-1]))

    async def _follow(self, url: str, max_bytes: int, validators: Validators, accept: str,
                      trail: list[str], started_at: datetime) -> FetchResult:
        current = url
        budget = _Budget(self._policy.deadline_s)
        for _ in range(self._policy.max_redirects + 1):
            current = check_http_url(current)
            if current in trail:
                raise _RedirectLoop(current)
            trail.append(current)
            try:
                return await self._hop(url, current, max_bytes, validators, accept, started_at, budget)
            except _Hop as hop:
                current = urljoin(current, hop.location)
        raise _TooManyRedirects(f"more than {self._policy.max_redirects} redirects")

    async def _hop(self, url: str, current: str, max_bytes: int, validators: Validators, accept: str,
                   started_at: datetime, budget: "_Budget") -> FetchResult:
        """One request, inside the origin's slot; the deadline counts network time only."""
        headers = _request_headers(validators, accept)
        async with self._politeness.slot(origin(current)), budget.running():
            async with self._client.stream("GET", current, headers=headers) as response:
                return await self._read(url, current, response, max_bytes, validators, started_at)

    async def _read(self, url: str, current: str, response: httpx.Response, max_bytes: int,
                    validators: Validators, started_at: datetime) -> FetchResult:
        status = response.status_code
        common = dict(url=url, final_url=current, status=status, started_at=started_at,
                      content_type=response.headers.get("content-type", ""))
        if status in _REDIRECTS and response.headers.get("location"):
            raise _Hop(response.headers["location"])
        if status == 304:
            return FetchResult(outcome=Outcome.NOT_MODIFIED, reason="http_304", validators=validators, **common)
        if status in (429, 503):
            return self._throttled(current, response, common)
        if not 200 <= status < 300:
            outcome = Outcome.TRANSIENT if status in _TRANSIENT_STATUS or status >= 500 else Outcome.PERMANENT
            return FetchResult(outcome=outcome, reason=f"http_{status}", **common)
        try:
            body = await _read_body(response, max_bytes)
        except BodyRefused as refused:  # keep the status the server sent with the refused body
            return FetchResult(outcome=Outcome.PERMANENT, reason=refused.reason, **common)
        return _fresh(body, response, validators, common)

    def _throttled(self, current: str, response: httpx.Response, common: dict) -> FetchResult:
        wait = parse_retry_after(response.headers.get("retry-after"))
        if wait is not None:
            self._politeness.back_off(origin(current), wait)
        return FetchResult(outcome=Outcome.TRANSIENT, reason=f"http_{response.status_code}",
                           retry_after_s=wait, **common)


class _Budget:
    """The total deadline of one fetch, spent across its redirect hops."""

    def __init__(self, seconds: float) -> None:
        self._left = seconds

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Spend from the budget while the block runs; TimeoutError when it is gone."""
        t0 = time.monotonic()
        try:
            async with asyncio.timeout(max(self._left, 0.0)):
                yield
        finally:
            self._left -= time.monotonic() - t0


class _RedirectLoop(Exception):
    """A redirect came back to a URL already visited."""


class _TooManyRedirects(Exception):
    """The redirect chain is longer than the policy allows."""


def _request_headers(validators: Validators, accept: str) -> dict[str, str]:
    headers = {"Accept": accept, "Accept-Encoding": ACCEPTED_ENCODING}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyRefused("too_large", f"declared Content-Length {declared} exceeds {max_bytes}")
    body = BoundedBody(response.headers.get("content-encoding", ""), max_bytes)
    async for chunk in response.aiter_raw():
        body.feed(chunk)
    return body.finish()


def _fresh(body: bytes, response: httpx.Response, old: Validators, common: dict) -> FetchResult:
    new = Validators(etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
                     body_hash=content_hash(body))
    if not body:
        return FetchResult(outcome=Outcome.TRANSIENT, reason="empty_body", validators=old, **common)
    if old.body_hash is not None and new.body_hash == old.body_hash:
        return FetchResult(outcome=Outcome.NOT_MODIFIED, reason="unchanged_body", validators=new,
                           bytes_read=len(body), **common)
    return FetchResult(outcome=Outcome.OK, reason="ok", body=body, validators=new, bytes_read=len(body), **common)


_FAILURES: tuple[tuple[type[BaseException], Outcome, str], ...] = (
    (TimeoutError, Outcome.TRANSIENT, "deadline"),
    (HostBackedOff, Outcome.TRANSIENT, "host_backoff"),
    (AddressRefused, Outcome.PERMANENT, "address_refused"),
    (UrlError, Outcome.PERMANENT, "bad_url"),
    (_RedirectLoop, Outcome.PERMANENT, "redirect_loop"),
    (_TooManyRedirects, Outcome.PERMANENT, "too_many_redirects"),
    (httpx.ConnectTimeout, Outcome.TRANSIENT, "connect_timeout"),
    (httpx.ReadTimeout, Outcome.TRANSIENT, "read_timeout"),
    (httpx.TimeoutException, Outcome.TRANSIENT, "timeout"),
    (httpx.ConnectError, Outcome.TRANSIENT, "connect_error"),
    (httpx.RemoteProtocolError, Outcome.TRANSIENT, "protocol_error"),
    (httpx.HTTPError, Outcome.TRANSIENT, "http_error"),
    (OSError, Outcome.TRANSIENT, "network_error"),
)


def _failure(exc: BaseException, base: dict) -> FetchResult:
    """Classify an exception into an outcome and a short fixed reason."""
    if isinstance(exc, BodyRefused):
        return FetchResult(outcome=Outcome.PERMANENT, reason=exc.reason, **base)
    for kind, outcome, reason in _FAILURES:
        if isinstance(exc, kind):
            if reason == "connect_error" and "SSL" in str(exc).upper():
                outcome, reason = Outcome.PERMANENT, "tls_error"
            log.debug("fetch of %s failed: %s (%s)", base["url"], reason, exc)
            return FetchResult(outcome=outcome, reason=reason, **base)
    log.warning("unexpected error fetching %s: %r", base["url"], exc)
    return FetchResult(outcome=Outcome.PERMANENT, reason=f"unexpected:{type(exc).__name__}", **base)
