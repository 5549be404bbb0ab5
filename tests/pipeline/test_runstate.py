"""The run-state decision and the summary rebuilt from a stored run: pure functions."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from pipeline.runstate import (CRASHED_GONE, HUNG, HUNG_AFTER, RUNNING, Liveness, running_for, shown_status,
                               summary_from_record)
from pipeline.summary import RunSummary, StageCounts

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
RECENT = NOW - timedelta(minutes=5)
LONG_AGO = NOW - HUNG_AFTER - timedelta(minutes=1)


@pytest.mark.parametrize("status", ["completed", "completed_with_failures", "failed", "crashed"])
def test_a_final_status_is_shown_as_stored(status: str) -> None:
    assert shown_status(status, LONG_AGO, NOW, Liveness(pid_alive=False, lock_held=False)) == status


@pytest.mark.parametrize(("liveness", "started", "expected"), [
    (Liveness(pid_alive=True, lock_held=True), RECENT, RUNNING),
    (Liveness(), RECENT, RUNNING),                                     # nothing known: trust the record
    (Liveness(pid_alive=False, lock_held=True), RECENT, CRASHED_GONE),  # another run holds the lock
    (Liveness(pid_alive=True, lock_held=False), RECENT, CRASHED_GONE),  # pid reused by another process
    (Liveness(pid_alive=None, lock_held=False), RECENT, CRASHED_GONE),  # ran on another host
    (Liveness(pid_alive=False, lock_held=None), LONG_AGO, CRASHED_GONE),  # gone beats hung
    (Liveness(pid_alive=True, lock_held=True), LONG_AGO, HUNG),
    (Liveness(pid_alive=None, lock_held=None), LONG_AGO, HUNG),
])
def test_a_running_run_is_running_crashed_or_hung(liveness: Liveness, started: datetime, expected: str) -> None:
    assert shown_status("running", started, NOW, liveness) == expected


def test_hung_limit_is_a_parameter_and_exclusive() -> None:
    alive = Liveness(pid_alive=True, lock_held=True)
    assert shown_status("running", NOW - HUNG_AFTER, NOW, alive) == RUNNING
    assert shown_status("running", NOW - timedelta(minutes=11), NOW, alive, hung_after=timedelta(minutes=10)) == HUNG
    assert HUNG_AFTER == timedelta(hours=6)


def test_running_for_counts_to_now_when_unfinished() -> None:
    assert running_for(RECENT, None, NOW) == timedelta(minutes=5)
    assert running_for(LONG_AGO, RECENT, NOW) == RECENT - LONG_AGO


def _closed_summary() -> RunSummary:
    feeds = StageCounts(stage="feeds", items_in=11, ok=10, failed=1,
                        failures=(("tribune", "http://x/feed", "http_500"),))
    pages = StageCounts(stage="pages", items_in=65, ok=64, failed=1, new_rows=64, note="n")
    return RunSummary(run_id="R1", status="completed_with_failures", verdict="1 of 11 feeds failed",
                      started_at=datetime(2026, 11, 25, 2, 0, 1, 250000, tzinfo=timezone.utc),
                      finished_at=datetime(2026, 11, 25, 2, 1, 5, tzinfo=timezone.utc), stages=(feeds, pages))


def test_a_closed_run_is_rebuilt_exactly_from_its_stored_json() -> None:
    original = _closed_summary()
    stored = json.dumps(original.as_dict(), default=str)      # as warehouse.load.finish_run stores it
    record = dict(run_id="R1", status="completed_with_failures", summary=stored, error=None,
                  started_at=datetime(2026, 11, 25, 3, 0, 2, tzinfo=timezone(timedelta(hours=1))),
                  finished_at=datetime(2026, 11, 25, 3, 1, 6, tzinfo=timezone(timedelta(hours=1))), stages=[])
    assert summary_from_record(record, now=NOW) == original


def test_a_crashed_run_is_rebuilt_from_its_stage_rows() -> None:
    started = datetime(2026, 11, 25, 3, 0, tzinfo=timezone(timedelta(hours=1)))
    record = dict(run_id="R2", status="crashed", summary=None, error="the process ended without closing the run",
                  started_at=started, finished_at=None,
                  stages=[dict(stage="feeds", seconds=1.5, **{"in": 11}, ok=11, failed=0, note="")])
    summary = summary_from_record(record, now=NOW)
    assert summary.status == "crashed" and summary.verdict.startswith("the process ended")
    assert summary.started_at == started and summary.started_at.tzinfo == timezone.utc
    assert summary.finished_at == NOW
    assert summary.stages == (StageCounts(stage="feeds", items_in=11, ok=11),)


def test_an_unreadable_summary_falls_back_to_the_rows() -> None:
    record = dict(run_id="R3", status="failed", summary="{not json", error="boom", started_at=RECENT,
                  finished_at=NOW, stages=[])
    summary = summary_from_record(record, now=NOW)
    assert summary.stages == () and summary.verdict == "boom"
