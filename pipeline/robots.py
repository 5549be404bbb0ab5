"""robots.txt as RFC 9309 reads it (protego), fetched once per origin and run."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import urljoin

from protego import Protego

from pipeline.fetch import Fetcher
from pipeline.records import FetchResult, Outcome
from pipeline.urls import origin

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500 * 1024


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of one origin, or a blanket allow/deny when there are none."""

    origin: str
    parser: Protego | None
    allow_all: bool
    reason: str

    def allows(self, url: str, agent: str) -> bool:
        """Whether the agent may fetch the URL."""
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, agent))


def rules_from_response(origin_: str, outcome: Outcome, status: int | None, body: bytes | None) -> RobotsRules:
    """RFC 9309 §2.3.1: 2xx → parse; 4xx → allow all; 5xx, 429 or no answer → deny all."""
    if outcome is Outcome.OK and body is not None:
        text = body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        return RobotsRules(origin_, Protego.parse(text), True, "parsed")
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsRules(origin_, None, True, f"http_{status}: allow all")
    return RobotsRules(origin_, None, False, f"unreachable ({status or outcome.value}): deny all")


class RobotsCache:
    """Fetches each origin's robots.txt at most once per run."""

    def __init__(self, fetcher: Fetcher, agent: str) -> None:
        """`agent` is the product token matched against User-agent lines."""
        self._fetcher = fetcher
        self._agent = agent
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.results: list[FetchResult] = []

    async def allows(self, url: str) -> bool:
        """Whether the page may be fetched under its origin's robots.txt."""
        return (await self.rules_for(url)).allows(url, self._agent)

    async def rules_for(self, url: str) -> RobotsRules:
        """The rules of the URL's origin (fetched on first use)."""
        key = origin(url)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._rules:
                self._rules[key] = await self._load(key, url)
        return self._rules[key]

    async def _load(self, key: str, url: str) -> RobotsRules:
        robots_url = urljoin(url, "/robots.txt")
        result = await self._fetcher.fetch(robots_url, max_bytes=ROBOTS_MAX_BYTES * 2, accept="text/plain")
        self.results.append(result)
        rules = rules_from_response(key, result.outcome, result.status, result.body)
        log.debug("robots for %s: %s", key, rules.reason)
        return rules
