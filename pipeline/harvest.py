"""Fetching many feeds and pages concurrently; each outcome comes back as data."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone

from pipeline.feeds import IsolatedFeedParser
from pipeline.fetch import Fetcher
from pipeline.ids import content_hash
from pipeline.records import (FeedHarvest, FeedTarget, FetchResult, Outcome, Page, PageHarvest, PageTarget,
                              ParsedFeed)
from pipeline.robots import RobotsCache
from pipeline.summary import StageCounts

log = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


async def harvest_feeds(targets: Sequence[FeedTarget], fetcher: Fetcher, *, max_bytes: int,
                        max_entries: int, concurrency: int,
                        on_done: Callable[[int, int], None] | None = None) -> list[FeedHarvest]:
    """Fetch and parse every feed; one feed's failure never stops the others.

    Bodies are parsed one at a time in a killable worker process (IsolatedFeedParser: 10 s, 1 GB)
    while the other feeds are still being fetched.
    """
    gate = asyncio.Semaphore(concurrency)
    finished = 0
    loop = asyncio.get_running_loop()

    with IsolatedFeedParser() as parser, ThreadPoolExecutor(1, thread_name_prefix="feed-parse") as parsing:
        async def one(target: FeedTarget) -> FeedHarvest:
            nonlocal finished
            async with gate:
                result = await fetcher.fetch(target.url, max_bytes=max_bytes, validators=target.validators,
                                             accept=FEED_ACCEPT)
            parsed = await loop.run_in_executor(parsing, _parse, parser, target, result, max_entries)
            harvest = FeedHarvest(target=target, result=result, parsed=parsed)
            finished += 1
            if on_done:
                on_done(finished, len(targets))
            return harvest

        harvests = list(await asyncio.gather(*(one(t) for t in targets)))
    if parser.killed:
        log.warning("%d feed parses abandoned (deadline %g s, memory %d MB)", parser.killed, parser.deadline_s,
                    parser.memory_mb)
    return harvests


def _parse(parser: IsolatedFeedParser, target: FeedTarget, result: FetchResult, max_entries: int) -> ParsedFeed | None:
    if result.outcome is not Outcome.OK or result.body is None:
        return None
    return parser.parse(result.body, feed_id=target.feed_id, outlet_id=target.outlet_id, url=result.final_url,
                        fetched_at=result.started_at, content_type=result.content_type, max_entries=max_entries)


async def harvest_pages(targets: Sequence[PageTarget], fetcher: Fetcher, robots: RobotsCache, *,
                        max_bytes: int, concurrency: int) -> AsyncIterator[PageHarvest]:
    """Fetch every allowed page, yielding each outcome as soon as it is known."""
    gate = asyncio.Semaphore(concurrency)

    async def one(target: PageTarget) -> PageHarvest:
        async with gate:
            return await _fetch_page(target, fetcher, robots, max_bytes)

    tasks = [asyncio.ensure_future(one(t)) for t in targets]
    try:
        for next_done in asyncio.as_completed(tasks):
            yield await next_done
    finally:
        for task in tasks:
            task.cancel()


async def _fetch_page(target: PageTarget, fetcher: Fetcher, robots: RobotsCache, max_bytes: int) -> PageHarvest:
    if not await robots.allows(target.url):
        return PageHarvest(target=target, result=_refused(target.url, "robots_disallowed"), page=None)
    result = await fetcher.fetch(target.url, max_bytes=max_bytes, accept=PAGE_ACCEPT)
    if result.outcome is not Outcome.OK or result.body is None:
        return PageHarvest(target=target, result=result, page=None)
    if result.content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
        refused = replace(result, outcome=Outcome.PERMANENT, reason="not_html", body=None)
        return PageHarvest(target=target, result=refused, page=None)
    page = Page(url=target.url, final_url=result.final_url, outlet_id=target.outlet_id, entry_id=target.entry_id,
                status=result.status or 200, fetched_at=result.started_at, html=result.body,
                content_hash=content_hash(result.body))
    return PageHarvest(target=target, result=result, page=page)


def _refused(url: str, reason: str) -> FetchResult:
    return FetchResult(url=url, final_url=url, outcome=Outcome.PERMANENT, reason=reason,
                       started_at=datetime.now(timezone.utc))


def count_feeds(harvests: Sequence[FeedHarvest], new_entries: int) -> StageCounts:
    """The feed stage's counts: a feed whose body was not a readable feed counts as failed."""
    failures = tuple((h.target.outlet_id, h.target.url, _feed_failure(h)) for h in harvests if _feed_failure(h))
    return StageCounts(stage="feeds", items_in=len(harvests), failed=len(failures), new_rows=new_entries,
                       ok=sum(1 for h in harvests if h.result.outcome is Outcome.OK and not _feed_failure(h)),
                       unchanged=sum(1 for h in harvests if h.result.outcome is Outcome.NOT_MODIFIED),
                       failures=failures)


def _feed_failure(h: FeedHarvest) -> str:
    if h.result.outcome in (Outcome.TRANSIENT, Outcome.PERMANENT):
        return f"{h.result.outcome.value}: {h.result.reason}" + (f" (HTTP {h.result.status})" if h.result.status else "")
    if h.parsed is not None and not h.parsed.usable:
        return f"permanent: {h.parsed.problem}"
    return ""


def count_pages(harvests: Sequence[PageHarvest], new_pages: int) -> StageCounts:
    """The page stage's counts."""
    failures = tuple((h.target.outlet_id, h.target.url, f"{h.result.outcome.value}: {h.result.reason}")
                     for h in harvests if h.page is None and h.result.outcome is not Outcome.NOT_MODIFIED)
    return StageCounts(stage="pages", items_in=len(harvests), ok=sum(1 for h in harvests if h.page),
                       failed=len(failures), new_rows=new_pages, failures=failures)
