"""Per-origin politeness: a concurrency cap, a minimum gap between starts, Retry-After."""
from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

log = logging.getLogger(__name__)

RETRY_AFTER_MIN_S = 1.0
RETRY_AFTER_MAX_S = 24 * 3600.0
RETRY_AFTER_DEFAULT_S = 60.0


class HostBackedOff(Exception):
    """The origin asked us to wait longer than this run is willing to."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"origin in back-off for {wait_s:.0f} s more")
        self.wait_s = wait_s


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP-date), clamped; None if absent."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit() also accepts "²", which float() rejects
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return RETRY_AFTER_DEFAULT_S
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return min(max(seconds, RETRY_AFTER_MIN_S), RETRY_AFTER_MAX_S)


def backoff_delay(attempt: int, *, base_s: float = 0.5, cap_s: float = 8.0,
                  rng: Callable[[], float] = random.random) -> float:
    """Full-jitter exponential back-off before retry number `attempt` (1-based)."""
    return rng() * min(cap_s, base_s * 2 ** attempt)


@dataclass(slots=True)
class _OriginState:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_start: float = float("-inf")
    blocked_until: float = float("-inf")


class Politeness:
    """Gates requests per origin; one instance per run and event loop."""

    def __init__(self, *, concurrency: int, min_gap_s: float, max_wait_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._concurrency = concurrency
        self._min_gap_s = min_gap_s
        self._max_wait_s = max_wait_s
        self._clock = clock
        self._origins: dict[str, _OriginState] = {}

    def _state(self, origin: str) -> _OriginState:
        if origin not in self._origins:
            self._origins[origin] = _OriginState(slots=asyncio.Semaphore(self._concurrency))
        return self._origins[origin]

    def back_off(self, origin: str, seconds: float) -> None:
        """Send no request to the origin for `seconds` (from a 429/503 Retry-After)."""
        state = self._state(origin)
        state.blocked_until = max(state.blocked_until, self._clock() + seconds)
        log.info("backing off %s for %.0f s", origin, seconds)

    def blocked_for(self, origin: str) -> float:
        """Seconds the origin is still blocked for (0 when free)."""
        return max(0.0, self._state(origin).blocked_until - self._clock())

    @asynccontextmanager
    async def slot(self, origin: str) -> AsyncIterator[None]:
        """Hold one of the origin's request slots, started no sooner than the gap allows."""
        state = self._state(origin)
        async with state.slots:
            await self._wait_turn(origin, state)
            yield

    async def _wait_turn(self, origin: str, state: _OriginState) -> None:
        async with state.lock:
            blocked = self.blocked_for(origin)
            if blocked > self._max_wait_s:
                raise HostBackedOff(blocked)
            wait = max(blocked, state.last_start + self._min_gap_s - self._clock())
            if wait > 0:
                await asyncio.sleep(wait)
            state.last_start = self._clock()
