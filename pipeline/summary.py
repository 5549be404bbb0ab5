"""What a run did, and the verdict on it: a pure function of the stage counts."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class StageCounts:
    """How many items a stage handled and how they ended."""

    stage: str
    items_in: int = 0
    ok: int = 0
    unchanged: int = 0
    failed: int = 0
    new_rows: int = 0
    failures: tuple[tuple[str, str, str], ...] = ()   # (outlet, url, reason)
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSummary:
    """A finished run, as reported at its end."""

    run_id: str
    status: str
    started_at: datetime
    finished_at: datetime
    stages: tuple[StageCounts, ...] = field(default_factory=tuple)
    verdict: str = ""

    def stage(self, name: str) -> StageCounts:
        """The counts of one stage (zeros when it did not run)."""
        return next((s for s in self.stages if s.stage == name), StageCounts(stage=name))

    @property
    def elapsed_s(self) -> float:
        """Wall time of the run."""
        return (self.finished_at - self.started_at).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return asdict(self) | {"elapsed_s": self.elapsed_s}


def run_status(stages: Sequence[StageCounts], *, max_failed_ratio: float = 0.2) -> tuple[str, str]:
    """Final status and a one-line verdict: from the feed stage of a night, the archive stage of a backfill."""
    by_name = {s.stage: s for s in stages}
    if "archive" in by_name:
        return archive_status(by_name["archive"])
    return feed_status(by_name.get("feeds", StageCounts(stage="feeds")), max_failed_ratio=max_failed_ratio)


def archive_status(archive: StageCounts) -> tuple[str, str]:
    """A backfill fails when nothing could be read; rejected lines make it complete with failures."""
    if archive.items_in == 0:
        return "failed", "the archive holds no articles"
    if archive.ok + archive.unchanged == 0:
        return "failed", f"none of {archive.items_in} archive items could be loaded"
    if archive.failed:
        return "completed_with_failures", f"{archive.failed} of {archive.items_in} archive items rejected"
    return "completed", f"all {archive.items_in} archive items read"


def feed_status(feeds: StageCounts, *, max_failed_ratio: float = 0.2) -> tuple[str, str]:
    """Final status of a night (P7: failures are not hidden behind a green run)."""
    if feeds.items_in == 0:
        return "failed", "no active feeds in the configuration"
    reached = feeds.ok + feeds.unchanged
    ratio = feeds.failed / feeds.items_in
    if reached == 0:
        return "failed", f"all {feeds.items_in} feeds failed"
    if ratio > max_failed_ratio:
        return "failed", f"{feeds.failed} of {feeds.items_in} feeds failed ({ratio:.0%} > {max_failed_ratio:.0%})"
    if feeds.failed:
        return "completed_with_failures", f"{feeds.failed} of {feeds.items_in} feeds failed"
    return "completed", f"all {feeds.items_in} feeds reached"
