"""Prefect tasks: one per stage, each a call into flows.stages with ids and paths only."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows import stages
from pipeline.errors import TransientError
from pipeline.summary import RunSummary, StageCounts


def only_transient(_task: Any, _run: Any, state: Any) -> bool:
    """Retry a task only when it failed with a TransientError."""
    return isinstance(getattr(state, "data", None), TransientError)


RETRY_TRANSIENT = dict(retries=2, retry_delay_seconds=[2, 10], retry_jitter_factor=0.5, retry_condition_fn=only_transient)


@task(name="open_run", **RETRY_TRANSIENT)
def open_run(run_id: str, db: Path, config: Path, kind: str = "nightly") -> list[str]:
    """Validate config, migrate, record the run."""
    return stages.open_run(run_id, db, config, kind)


@task(name="fetch_feeds", **RETRY_TRANSIENT)
def fetch_feeds(run_id: str, db: Path, config: Path) -> StageCounts:
    """Fetch and parse the feeds."""
    return stages.fetch_feeds(run_id, db, config)


@task(name="fetch_pages", **RETRY_TRANSIENT)
def fetch_pages(run_id: str, db: Path, config: Path) -> StageCounts:
    """Fetch the new entries' pages."""
    return stages.fetch_pages(run_id, db, config)


@task(name="extract_articles", **RETRY_TRANSIENT)
def extract_articles(run_id: str, db: Path, config: Path) -> StageCounts:
    """Extract articles from new pages."""
    return stages.extract_articles(run_id, db, config)


@task(name="match_events", **RETRY_TRANSIENT)
def match_events(run_id: str, db: Path, config: Path | None = None) -> StageCounts:
    """Place new articles in events."""
    return stages.match_events(run_id, db, config)


@task(name="close_run", **RETRY_TRANSIENT)
def close_run(run_id: str, db: Path, reports: Path, started_at: datetime, counts: list[StageCounts],
              error: str | None = None) -> RunSummary:
    """Record the outcome, write the report and attach it to the flow run."""
    summary = stages.close_run(run_id, db, reports, started_at, counts, error)
    report = (reports / "latest.md").read_text(encoding="utf-8")
    create_markdown_artifact(key="run-report", markdown=report, description=f"Parallax run {run_id}")
    create_table_artifact(key="run-stages", table=[_row(c) for c in summary.stages],
                          description=f"Stages of run {run_id}")
    return summary


def _row(c: StageCounts) -> dict[str, Any]:
    return dict(stage=c.stage, items_in=c.items_in, ok=c.ok, unchanged=c.unchanged, failed=c.failed,
                new_rows=c.new_rows)
