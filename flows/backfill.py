"""Backfill: load an archive (JSON Lines or WARC) without fetching, as a nightly run would store it."""
from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows import progress, tasks
from flows.nightly import RunFailed
from flows.settings import resolve_paths
from pipeline.archive import ArchiveItem, ArchiveProblem, Read, read_archive
from pipeline.articles import assemble, dedupe
from pipeline.backfill import (article_from_text, entry_from_item, in_publication_order, page_from_item,
                               resolve_outlets, split_stored)
from pipeline.urls import canonical_url
from pipeline.config import ExtractSettings
from pipeline.extract import extract_article
from pipeline.ids import new_run_id
from pipeline.isolation import IsolatedPool
from pipeline.records import Article
from pipeline.summary import StageCounts
from warehouse import load, read
from warehouse.connect import writer
from warehouse.lock import writer_lock

log = logging.getLogger(__name__)

BATCH = 500


def load_archive(run_id: str, db: Path, archive: Path, settings: ExtractSettings = ExtractSettings()) -> StageCounts:
    """Read the archive in batches; each batch's outlets, pages and articles land in the warehouse."""
    started = datetime.now(timezone.utc)
    total = _count_lines(archive)
    seen = ok = dupes = 0
    failures: list[tuple[str, str, str]] = []
    with writer(db) as con, IsolatedPool(extract_article, workers=settings.workers, deadline_s=settings.deadline_s,
                                         memory_mb=settings.memory_mb) as pool:
        known = read.outlet_keys(con)
        for batch in _batches(read_archive(archive)):
            fresh, stored = split_stored([i for i in batch if isinstance(i, ArchiveItem)],
                                         read.stored_article_urls(con, [canonical_url(i.url) for i in batch
                                                                        if isinstance(i, ArchiveItem)]))
            items = in_publication_order(fresh)
            problems = [(p.line, p.reason) for p in batch if isinstance(p, ArchiveProblem)]
            mapping, created = resolve_outlets(items, known)
            known |= {o.name.lower(): o.outlet_id for o in created} | {o.outlet_id: o.outlet_id for o in created}
            load.load_new_outlets(con, run_id=run_id, outlets=created)
            articles, failed = _articles(items, mapping, pool, con, run_id)
            kept, duplicates = dedupe(articles, read.known_text_hashes(con, sorted(set(mapping.values()))))
            added = load.load_extractions(con, run_id=run_id, articles=kept, duplicates=duplicates,
                                          failures=failed)
            load.load_rejects(con, run_id=run_id, source=str(archive), problems=problems)
            failures += [("", f"line {line}", why) for line, why in problems] + [("", u, why) for u, why in failed]
            seen, ok, dupes = seen + len(batch), ok + added, dupes + len(duplicates) + len(stored)
            progress.advance("archive", seen, max(total, seen))
        counts = StageCounts(stage="archive", items_in=seen, ok=ok, unchanged=dupes, failed=len(failures),
                             new_rows=ok, failures=tuple(failures))
        load.record_stage(con, run_id=run_id, stage="archive", started_at=started, items_in=seen,
                          items_ok=ok + dupes, items_failed=len(failures), note=f"{archive.name}")
    return counts


def _articles(items: Sequence[ArchiveItem], mapping: dict[str, str], pool: IsolatedPool, con,
              run_id: str) -> tuple[list[Article], list[tuple[str, str]]]:
    """Articles of a batch: text items directly, HTML items through extract_article in the pool."""
    direct = [article_from_text(i, mapping[i.outlet.lower()]) for i in items if i.html is None]
    html_items = [i for i in items if i.html is not None]
    pages = [(page_from_item(i, mapping[i.outlet.lower()]), entry_from_item(i, mapping[i.outlet.lower()]))
             for i in html_items]
    load.load_pages(con, run_id=run_id, pages=[p for p, _ in pages])
    calls = [(p.url, (p.html, p.final_url), {"entry": e, "fetched_at": p.fetched_at}) for p, e in pages]
    extracted, failed = assemble(pages, dict(pool.run(calls)))
    return direct + extracted, failed


def _batches(reads: Iterator[Read]) -> Iterator[list[Read]]:
    while batch := list(itertools.islice(reads, BATCH)):
        yield batch


def _count_lines(path: Path) -> int:
    if not path.name.lower().endswith((".jsonl", ".ndjson", ".json")):
        return 0
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


@task(name="open_backfill", **tasks.RETRY_TRANSIENT)
def open_backfill_task(run_id: str, db: Path, archive: Path) -> list[str]:
    """Record the backfill run."""
    from flows import stages

    return stages.open_backfill(run_id, db, archive)


@task(name="load_archive", **tasks.RETRY_TRANSIENT)
def load_archive_task(run_id: str, db: Path, archive: Path) -> StageCounts:
    """Load the archive's articles."""
    return load_archive(run_id, db, archive)


@flow(name="backfill", log_prints=False)
def backfill(file: str, db: str | None = None, data_dir: str | None = None) -> dict:
    """Load an archive of articles (JSON Lines or WARC) into the warehouse, without fetching."""
    paths = resolve_paths(db, data_dir)
    started = datetime.now(timezone.utc)
    run_id = new_run_id(started)
    archive = Path(file).absolute()
    with writer_lock(paths.db, run_id):
        open_backfill_task(run_id, paths.db, archive)
        try:
            counts = [load_archive_task(run_id, paths.db, archive)]
            counts.append(tasks.match_events(run_id, paths.db))
        except Exception as exc:
            tasks.close_run(run_id, paths.db, paths.reports, started, [], error=f"{type(exc).__name__}: {exc}")
            raise
        summary = tasks.close_run(run_id, paths.db, paths.reports, started, counts)
    get_run_logger().info("backfill %s %s: %s", run_id, summary.status, summary.verdict)
    if summary.status == "failed":
        raise RunFailed(f"backfill {run_id} failed: {summary.verdict}")
    return summary.as_dict()
