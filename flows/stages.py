"""The nightly stages: read what is due from the warehouse, run the pipeline, load the results."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from flows import progress
from pipeline.archive import ArchiveFormatError
from pipeline.articles import assemble, dedupe
from pipeline.config import Config, load_config
from pipeline.extract import extract_article
from pipeline.fetch import Fetcher, FetchPolicy, make_client
from pipeline.harvest import (FeedTarget, PageHarvest, PageTarget, count_feeds, count_pages, harvest_feeds,
                              harvest_pages)
from pipeline.events import match_night, window_start
from pipeline.ids import content_hash
from pipeline.matching import MatchSettings
from pipeline.isolation import IsolatedPool
from pipeline.politeness import Politeness
from pipeline.robots import RobotsCache
from pipeline.report import render_run_report
from pipeline.summary import RunSummary, StageCounts, run_status
from warehouse import load, read
from warehouse.connect import writer

log = logging.getLogger(__name__)

PAGE_BATCH = 100


def open_run(run_id: str, db: Path, config_path: Path, kind: str = "nightly") -> list[str]:
    """Validate the config, migrate, record the run and sync outlets; returns runs found crashed."""
    config = load_config(config_path)
    with writer(db) as con:
        crashed = load.start_run(con, run_id=run_id, kind=kind, config_path=str(config_path),
                                 config_hash=content_hash(config_path.read_bytes()),
                                 started_at=datetime.now(timezone.utc))
        load.sync_outlets(con, config, run_id=run_id)
    return crashed


def open_backfill(run_id: str, db: Path, archive: Path) -> list[str]:
    """Migrate and record a backfill run (no config: outlets come from the archive)."""
    if not archive.is_file():
        raise ArchiveFormatError(f"{archive}: no such file")
    with writer(db) as con:
        return load.start_run(con, run_id=run_id, kind="backfill", config_path=str(archive),
                              config_hash="", started_at=datetime.now(timezone.utc))


def _politeness(config: Config) -> Politeness:
    s = config.fetch
    return Politeness(concurrency=s.per_host_concurrency, min_gap_s=s.per_host_min_gap_s,
                      max_wait_s=s.max_retry_wait_s)


def fetch_feeds(run_id: str, db: Path, config_path: Path) -> StageCounts:
    """Fetch and parse every active feed; store attempts and new entries."""
    config = load_config(config_path)
    started = datetime.now(timezone.utc)
    with writer(db) as con:
        targets = read.feed_targets(con)
    harvests = asyncio.run(_harvest_feeds(targets, config))
    with writer(db) as con:
        counts = count_feeds(harvests, load.load_feed_harvests(con, run_id=run_id, harvests=harvests))
        _record(con, run_id, started, counts)
    return counts


async def _harvest_feeds(targets: Sequence[FeedTarget], config: Config) -> list:
    policy = FetchPolicy.from_settings(config.fetch)
    async with make_client(policy) as client:
        fetcher = Fetcher(client, policy, _politeness(config))
        return await harvest_feeds(targets, fetcher, max_bytes=config.fetch.max_feed_bytes,
                                   max_entries=config.fetch.max_entries_per_feed,
                                   concurrency=config.fetch.global_concurrency,
                                   on_done=lambda done, total: progress.advance("feeds", done, total))


def fetch_pages(run_id: str, db: Path, config_path: Path) -> StageCounts:
    """Fetch the pages of new entries (robots.txt permitting); store pages and attempts in batches."""
    config = load_config(config_path)
    started = datetime.now(timezone.utc)
    with writer(db) as con:
        targets = read.pending_pages(con, max_attempts=config.fetch.page_attempts)
        progress.advance("pages", 0, len(targets))
        harvests, new_pages = asyncio.run(_harvest_pages(targets, config, con, run_id))
        counts = count_pages(harvests, new_pages)
        _record(con, run_id, started, counts)
    return counts


async def _harvest_pages(targets: Sequence[PageTarget], config: Config, con, run_id: str) -> tuple[list[PageHarvest], int]:
    policy = FetchPolicy.from_settings(config.fetch)
    done: list[PageHarvest] = []
    new_pages = 0
    async with make_client(policy) as client:
        fetcher = Fetcher(client, policy, _politeness(config))
        robots = RobotsCache(fetcher, policy.user_agent.split("/")[0])
        batch: list[PageHarvest] = []
        async for harvest in harvest_pages(targets, fetcher, robots, max_bytes=config.fetch.max_page_bytes,
                                           concurrency=config.fetch.global_concurrency):
            batch.append(harvest)
            if len(batch) >= PAGE_BATCH:
                new_pages += load.load_page_harvests(con, run_id=run_id, harvests=batch)
                done, batch = done + batch, []
                progress.advance("pages", len(done), len(targets))
        new_pages += load.load_page_harvests(con, run_id=run_id, harvests=batch)
        load.load_robots_attempts(con, run_id=run_id, results=robots.results)
    progress.advance("pages", len(targets), len(targets))
    return done + batch, new_pages


def extract_articles(run_id: str, db: Path, config_path: Path) -> StageCounts:
    """Extract every page that has no article yet, in isolated workers; store articles."""
    config = load_config(config_path)
    started = datetime.now(timezone.utc)
    with writer(db) as con:
        due = read.count_pending_extractions(con, max_attempts=3)
        progress.advance("extract", 0, due)
        counts = _extract_due(con, run_id, config, due) if due else StageCounts(stage="extract")
        _record(con, run_id, started, counts)
    return counts


def _extract_due(con, run_id: str, config: Config, due: int) -> StageCounts:
    totals = dict(items_in=0, ok=0, failed=0, new_rows=0, duplicates=0)
    failures: list[tuple[str, str, str]] = []
    s = config.extract
    with IsolatedPool(extract_article, workers=s.workers, deadline_s=s.deadline_s, memory_mb=s.memory_mb) as pool:
        for batch in read.pending_extractions(con, max_attempts=3):
            calls = [(page.url, (page.html, page.final_url),
                      {"entry": entry, "fetched_at": page.fetched_at, "min_text_chars": s.min_text_chars})
                     for page, entry in batch]
            articles, failed = assemble(batch, dict(pool.run(calls)))
            kept, dupes = dedupe(articles, read.known_text_hashes(con, sorted({a.outlet_id for a in articles})))
            totals["new_rows"] += load.load_extractions(con, run_id=run_id, articles=kept, duplicates=dupes,
                                                        failures=failed)
            outlets = {page.url: page.outlet_id for page, _ in batch}
            failures += [(outlets[url], url, why) for url, why in failed]
            totals = _add(totals, items_in=len(batch), ok=len(kept), failed=len(failed), duplicates=len(dupes))
            progress.advance("extract", totals["items_in"], due)
    return StageCounts(stage="extract", items_in=totals["items_in"], ok=totals["ok"], failed=totals["failed"],
                       unchanged=totals["duplicates"], new_rows=totals["new_rows"], failures=tuple(failures),
                       note=f"{pool.killed} workers killed")


def _add(totals: dict[str, int], **more: int) -> dict[str, int]:
    return {k: v + more.get(k, 0) for k, v in totals.items()}


def _record(con, run_id: str, started: datetime, counts: StageCounts) -> None:
    load.record_stage(con, run_id=run_id, stage=counts.stage, started_at=started, items_in=counts.items_in,
                      items_ok=counts.ok + counts.unchanged, items_failed=counts.failed, note=counts.note)
    log.info("stage %s: %d in, %d ok, %d unchanged, %d failed, %d new rows (%.1f s)", counts.stage,
             counts.items_in, counts.ok, counts.unchanged, counts.failed, counts.new_rows,
             (datetime.now(timezone.utc) - started).total_seconds())


def close_run(run_id: str, db: Path, reports: Path, started_at: datetime,
              stages: Sequence[StageCounts], error: str | None = None) -> RunSummary:
    """Decide the run's status, record it, and write the run report; returns the summary."""
    status, verdict = run_status(stages)
    if error:
        status, verdict = "failed", error
    summary = RunSummary(run_id=run_id, status=status, verdict=verdict, started_at=started_at,
                         finished_at=datetime.now(timezone.utc), stages=tuple(stages))
    with writer(db) as con:
        load.finish_run(con, run_id=run_id, status=status, summary=summary.as_dict(), error=error)
        text = render_run_report(summary, feed_health=read.feed_health(con),
                                 articles_by_outlet=read.articles_by_outlet(con, run_id))
    write_report(reports, summary, text)
    return summary


def write_report(reports: Path, summary: RunSummary, text: str) -> Path:
    """Write the report as <date>-<run id>.md and latest.md."""
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / f"{summary.started_at:%Y-%m-%d}-{summary.run_id}.md"
    path.write_text(text, encoding="utf-8")
    (reports / "latest.md").write_text(text, encoding="utf-8")
    return path


def match_events(run_id: str, db: Path, config_path: Path | None = None) -> StageCounts:
    """Place the night's new articles in events (against the events of the quiet window)."""
    started = datetime.now(timezone.utc)
    overrides = load_config(config_path).match.overrides() if config_path else {}
    settings = MatchSettings(**overrides)
    with writer(db) as con:
        new = read.unmatched_articles(con)
        since = window_start(new, settings)
        window = read.window_articles(con, since) if since else []
        assignments, found = match_night(new, window, settings, read.outlet_names(con))
        added = load.load_matches(con, run_id=run_id, assignments=assignments, origins=found,
                                  settings=repr(settings))
        counts = StageCounts(stage="match", items_in=len(new), ok=len(assignments), new_rows=added,
                             note=f"{sum(a.new_event for a in assignments)} new events; window {len(window)} articles")
        _record(con, run_id, started, counts)
    return counts
