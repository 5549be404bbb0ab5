"""Re-render run reports from the warehouse: the runs started on a date, or the latest run."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.settings import resolve_paths
from pipeline.errors import PermanentError
from pipeline.report import render_run_report
from pipeline.runstate import summary_from_record
from pipeline.summary import RunSummary
from warehouse import read
from warehouse.connect import reader

log = logging.getLogger(__name__)


class NoRuns(PermanentError):
    """There is no run to report on (an empty warehouse, or no run started on that date)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered:
    """One re-rendered run report and where it was written."""

    run_id: str
    status: str
    started_on: date
    path: Path
    text: str
    latest: bool = False      # also written as latest.md


def parse_day(value: str) -> date:
    """A YYYY-MM-DD date (UTC, as report file names use), or a PermanentError naming the problem."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PermanentError(f"--date must be YYYY-MM-DD, not {value!r}") from None


def rerender(day: date | None, db: Path, reports: Path) -> list[Rendered]:
    """Render the reports of the runs started on `day` (UTC; None: the latest run) and write them.

    Each goes to reports/<date>-<run id>.md; reports/latest.md is rewritten only with the latest
    run's report. Feed health in a re-rendered report is the health as it stands now.
    """
    now = datetime.now(timezone.utc)
    with reader(db) as con:
        latest = read.latest_runs(con, 1)
        runs = latest if day is None else read.runs_started_between(con, *_utc_day(day))
        if not runs:
            raise NoRuns(f"no runs started on {day.isoformat()}" if day else f"no runs in {db}")
        health = read.feed_health(con)
        summaries = [summary_from_record(r, now=now) for r in runs]
        texts = [render_run_report(s, feed_health=health, articles_by_outlet=read.articles_by_outlet(con, s.run_id))
                 for s in summaries]
    latest_id = latest[0]["run_id"] if latest else None
    return [_write(reports, s, text, latest=s.run_id == latest_id) for s, text in zip(summaries, texts)]


def _utc_day(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a UTC calendar day."""
    start = datetime.combine(day, time(0), tzinfo=timezone.utc)
    return start, start + timedelta(days=1)


def _write(reports: Path, summary: RunSummary, text: str, *, latest: bool) -> Rendered:
    """Write one report as <date>-<run id>.md (and latest.md for the latest run)."""
    reports.mkdir(parents=True, exist_ok=True)
    started_on = summary.started_at.astimezone(timezone.utc).date()
    path = reports / f"{started_on.isoformat()}-{summary.run_id}.md"
    path.write_text(text, encoding="utf-8")
    if latest:
        (reports / "latest.md").write_text(text, encoding="utf-8")
    log.info("report of run %s (%s) written to %s", summary.run_id, summary.status, path)
    return Rendered(run_id=summary.run_id, status=summary.status, started_on=started_on, path=path, text=text,
                    latest=latest)


@flow(name="report", log_prints=False)
def report(date: str | None = None, db: str | None = None, data_dir: str | None = None) -> list[dict[str, Any]]:
    """Re-render the run reports of the runs started on `date` (YYYY-MM-DD, UTC; default: the latest run).

    Writes them to the reports folder and attaches them to this flow run as one Markdown
    artifact, key `report-<date>`.
    """
    paths = resolve_paths(db, data_dir)
    day = parse_day(date) if date else None
    rendered = rerender(day, paths.db, paths.reports)
    key_day = (day or rendered[-1].started_on).isoformat()
    create_markdown_artifact(key=f"report-{key_day}", markdown="\n\n---\n\n".join(r.text for r in rendered),
                             description=f"Parallax run reports of {key_day}, re-rendered")
    logger = get_run_logger()
    for r in rendered:
        logger.info("run %s %s: report written to %s", r.run_id, r.status, r.path)
    return [dict(run_id=r.run_id, status=r.status, path=str(r.path)) for r in rendered]
