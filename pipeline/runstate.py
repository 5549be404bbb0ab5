"""What state a recorded run is really in, and its summary rebuilt from what the warehouse stored.

A run is written `running` when it starts and gets its final status when it closes. A process
killed in between (`kill -9`, out of memory, a reboot) leaves `running` behind until the next run
marks it `crashed`. `shown_status` decides what to show meanwhile, from facts the caller gathers
(is the pid alive on this host, is the warehouse writer lock held): pure, so it is unit-tested.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from pipeline.summary import RunSummary, StageCounts

HUNG_AFTER = timedelta(hours=6)
"""A run still running after this long is shown as "hung?" (a night normally takes minutes)."""

RUNNING = "running"
CRASHED_GONE = "crashed (process gone)"
HUNG = "hung?"


@dataclass(frozen=True, slots=True, kw_only=True)
class Liveness:
    """What the caller could observe about a running run's process; None means unknown."""

    pid_alive: bool | None = None     # its pid exists on this host (None: another host, or no pid)
    lock_held: bool | None = None     # the warehouse writer lock is held by some process


def shown_status(status: str, started_at: datetime, now: datetime, liveness: Liveness, *,
                 hung_after: timedelta = HUNG_AFTER) -> str:
    """The status to show: a stored final status as is; a `running` run as running, crashed or hung.

    A running run whose process is gone (its pid is not alive here, or nobody holds the writer lock
    that every run holds until it closes) is "crashed (process gone)"; one running for longer than
    `hung_after` is "hung?"; otherwise it is "running".
    """
    if status != RUNNING:
        return status
    if liveness.pid_alive is False or liveness.lock_held is False:
        return CRASHED_GONE
    if now - started_at > hung_after:
        return HUNG
    return RUNNING


def running_for(started_at: datetime, finished_at: datetime | None, now: datetime) -> timedelta:
    """How long a run took, or has been running so far when it has not finished."""
    return (finished_at or now) - started_at


def summary_from_record(record: Mapping[str, Any], *, now: datetime) -> RunSummary:
    """Rebuild a run's summary from its stored record (a row of `runs` with its `run_stages`).

    A closed run stored its summary as JSON: its stages (with their failures) and verdict come
    from there, so a re-rendered report equals the original. A run that never closed (crashed,
    or still running) has only its `run_stages` rows; its verdict is its error, if any.
    """
    stored = _stored_summary(record.get("summary"))
    stages = _stages_from_summary(stored) if stored else _stages_from_rows(record.get("stages") or ())
    started = _instant(stored.get("started_at")) or record["started_at"]
    finished = _instant(stored.get("finished_at")) or record.get("finished_at") or now
    return RunSummary(run_id=record["run_id"], status=record["status"], started_at=_utc(started),
                      finished_at=_utc(finished), stages=stages,
                      verdict=stored.get("verdict") or record.get("error") or "")


def _instant(value: Any) -> datetime | None:
    """A datetime from its stored text form (str() or ISO 8601), or None."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _utc(value: datetime) -> datetime:
    """The same instant in UTC (a naive value is taken as UTC already)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _stored_summary(value: Any) -> dict[str, Any]:
    """The summary column as a dict ({} when absent or unreadable)."""
    if isinstance(value, Mapping):
        return dict(value)
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _stages_from_summary(summary: Mapping[str, Any]) -> tuple[StageCounts, ...]:
    """StageCounts from the JSON form of RunSummary.as_dict()."""
    return tuple(StageCounts(stage=str(s["stage"]), items_in=int(s.get("items_in", 0)), ok=int(s.get("ok", 0)),
                             unchanged=int(s.get("unchanged", 0)), failed=int(s.get("failed", 0)),
                             new_rows=int(s.get("new_rows", 0)), note=str(s.get("note", "")),
                             failures=tuple(tuple(str(x) for x in f) for f in s.get("failures", ())))
                 for s in summary.get("stages", ()))


def _stages_from_rows(rows: Sequence[Mapping[str, Any]]) -> tuple[StageCounts, ...]:
    """StageCounts from `run_stages` rows (their ok count includes unchanged items)."""
    return tuple(StageCounts(stage=r["stage"], items_in=r.get("in") or 0, ok=r.get("ok") or 0,
                             failed=r.get("failed") or 0, note=r.get("note") or "") for r in rows)
