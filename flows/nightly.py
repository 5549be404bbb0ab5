"""The nightly flow: feeds → pages → articles, into the warehouse, then the report."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger

from flows import tasks
from flows.settings import resolve_paths
from pipeline.ids import new_run_id
from pipeline.summary import RunSummary, StageCounts
from warehouse.lock import writer_lock

log = logging.getLogger(__name__)


class RunFailed(Exception):
    """The run finished, recorded everything, and its verdict is failure."""


@flow(name="nightly", log_prints=False)
def nightly(config: str, db: str | None = None, data_dir: str | None = None) -> dict:
    """One night: fetch every feed and new page, extract articles, record and report."""
    paths = resolve_paths(db, data_dir)
    started = datetime.now(timezone.utc)
    run_id = new_run_id(started)
    logger = get_run_logger()
    with writer_lock(paths.db, run_id):
        tasks.open_run(run_id, paths.db, Path(config))
        counts: list[StageCounts] = []
        try:
            for stage in (tasks.fetch_feeds, tasks.fetch_pages, tasks.extract_articles, tasks.match_events):
                began = time.perf_counter()
                counts.append(stage(run_id, paths.db, Path(config)))
                logger.info("%s in %.1f s", _line(counts[-1]), time.perf_counter() - began)
        except Exception as exc:
            tasks.close_run(run_id, paths.db, paths.reports, started, counts, error=f"{type(exc).__name__}: {exc}")
            raise
        summary = tasks.close_run(run_id, paths.db, paths.reports, started, counts)
    logger.info("run %s %s: %s", run_id, summary.status, summary.verdict)
    if summary.status == "failed":
        raise RunFailed(f"run {run_id} failed: {summary.verdict}")
    return summary.as_dict()


def _line(c: StageCounts) -> str:
    return (f"stage {c.stage}: {c.items_in} in, {c.ok} ok, {c.unchanged} unchanged, "
            f"{c.failed} failed, {c.new_rows} new rows")


def summary_of(result: dict) -> RunSummary:
    """Rebuild the summary record from the flow's return value."""
    stages = tuple(StageCounts(**{**s, "failures": tuple(map(tuple, s["failures"]))}) for s in result["stages"])
    fields = {k: v for k, v in result.items() if k not in ("stages", "elapsed_s")}
    return RunSummary(**fields, stages=stages)
