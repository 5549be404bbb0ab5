"""The run report: what a night fetched, what failed and why, as Markdown."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.summary import RunSummary

MAX_FAILURES_LISTED = 50


def render_run_report(summary: RunSummary, *, feed_health: Sequence[dict[str, Any]],
                      articles_by_outlet: Sequence[tuple[str, int, int]]) -> str:
    """Markdown for one run: verdict, stage table, new articles per outlet, failures with reasons."""
    parts = [_header(summary), _stages(summary), _outlets(articles_by_outlet),
             _failures(summary), _health(feed_health)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(s: RunSummary) -> str:
    return (f"# Parallax run {s.run_id}\n\n"
            f"- status: **{s.status}** ({s.verdict})\n"
            f"- started {s.started_at:%Y-%m-%d %H:%M:%S %Z}, took {s.elapsed_s:.1f} s")


def _stages(s: RunSummary) -> str:
    rows = ["| stage | in | ok | unchanged/duplicate | failed | new rows |", "|---|---:|---:|---:|---:|---:|"]
    rows += [f"| {c.stage} | {c.items_in} | {c.ok} | {c.unchanged} | {c.failed} | {c.new_rows} |" for c in s.stages]
    return "## Stages\n\n" + "\n".join(rows)


def _outlets(rows: Sequence[tuple[str, int, int]]) -> str:
    if not rows:
        return "## New articles\n\nNo new articles this run."
    lines = ["| outlet | new articles | partial |", "|---|---:|---:|"]
    lines += [f"| {outlet} | {n} | {partial} |" for outlet, n, partial in rows]
    return "## New articles\n\n" + "\n".join(lines)


def _failures(s: RunSummary) -> str:
    failures = [(c.stage, *f) for c in s.stages for f in c.failures]
    if not failures:
        return ""
    lines = ["| stage | outlet | url | reason |", "|---|---|---|---|"]
    lines += [f"| {st} | {o} | {_cell(u)} | {_cell(r)} |" for st, o, u, r in failures[:MAX_FAILURES_LISTED]]
    more = len(failures) - MAX_FAILURES_LISTED
    tail = f"\n\n…and {more} more (query `fetch_attempts` and `extractions`)." if more > 0 else ""
    return f"## Failures ({len(failures)})\n\n" + "\n".join(lines) + tail


def _health(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    lines = ["| outlet | feed | last outcome | reason | failures in a row |", "|---|---|---|---|---:|"]
    lines += [f"| {r['outlet']} | {_cell(r['url'])} | {r['outcome']} | {_cell(r['reason'] or '')} | "
              f"{r['failures_in_a_row']} |" for r in rows]
    return "## Feed health\n\n" + "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")[:200]
