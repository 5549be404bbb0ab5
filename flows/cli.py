"""The `parallax` command line: library errors become one clear line and a non-zero exit."""
from __future__ import annotations

import csv
import io
import json
import logging
import sys
from contextlib import nullcontext
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from flows.cli_options import DataOption, DbOption
from flows.cli_options import fail as _fail
from flows.settings import CONFIG_ENV, Paths, prepare_environment, resolve_paths
from pipeline.errors import ParallaxError

app = typer.Typer(name="parallax", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Parallax: how different news outlets cover the same event.")
log = logging.getLogger("parallax")



class CliError(Exception):
    """A problem to report on one line."""




@app.command()
def run(config: Annotated[Optional[Path], typer.Option("--config", "-c", envvar=CONFIG_ENV, help="Outlets config (TOML). Without it, the bundled demo world is served on 127.0.0.1 and used.")] = None,
        db: DbOption = None, data_dir: DataOption = None,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's and Parallax's logs.")] = False) -> None:
    """Run one night now: feeds, pages, articles into the warehouse, then the report."""
    paths = resolve_paths(db, data_dir)
    _setup(paths, verbose)
    from flows.demo import demo_config
    from flows.nightly import RunFailed, nightly, summary_of
    from flows.progress_bars import stage_progress
    from warehouse.lock import check_writable_now

    source = nullcontext(config) if config else demo_config(paths.data_dir)
    try:
        check_writable_now(paths.db)
        with source as config_path, stage_progress(enabled=not verbose):
            _check_config(Path(config_path))
            result = nightly(config=str(config_path), db=str(paths.db), data_dir=str(paths.data_dir))
    except RunFailed as exc:
        _fail(str(exc), code=1)
    except ParallaxError as exc:
        _fail(str(exc))
    _print_summary(summary_of(result), paths)


@app.command()
def demo(db: DbOption = None, data_dir: DataOption = None,
         verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show the logs.")] = False) -> None:
    """Serve the bundled demo world on 127.0.0.1 and run it night by night (safe to rerun)."""
    paths = resolve_paths(db, data_dir)
    _setup(paths, verbose)
    from flows.demo import run_demo
    from flows.nightly import RunFailed, nightly, summary_of
    from warehouse.lock import check_writable_now

    def night(config: Path, when: datetime) -> dict:
        typer.echo(f"night of {when:%Y-%m-%d}: ", nl=False)
        try:
            result = summary_of(nightly(config=str(config), db=str(paths.db), data_dir=str(paths.data_dir)))
        except RunFailed as exc:
            typer.echo(str(exc))
            return {"failed": str(exc)}
        extract, pages = result.stage("extract"), result.stage("pages")
        typer.echo(f"{result.status}; {extract.new_rows} new articles, {pages.failed} pages failed")
        return result.as_dict()

    try:
        check_writable_now(paths.db)
        nights = run_demo(paths.data_dir, night)
    except ParallaxError as exc:
        _fail(str(exc))
    _print_demo(nights, paths)


def _print_demo(nights: list[dict], paths: Paths) -> None:
    from warehouse import read
    from warehouse.connect import reader

    with reader(paths.db) as con:
        articles, outlets, runs = read.warehouse_totals(con)
    failed = sum(1 for n in nights if "failed" in n)
    typer.echo(f"demo: {len(nights)} nights ({failed} failed); the warehouse holds {articles} articles "
               f"from {outlets} outlets after {runs} runs")
    typer.echo(f"  warehouse: {paths.db}")
    typer.echo(f"  report: {paths.reports / 'latest.md'}")
    typer.echo(f"  try: parallax sql \"SELECT outlet_id, title FROM articles WHERE text ILIKE '%Steadfast%'\"")


@app.command()
def backfill(file: Annotated[Path, typer.Argument(help="Archive: .jsonl/.ndjson (optionally .gz) or .warc/.warc.gz")],
             db: DbOption = None, data_dir: DataOption = None,
             verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show the logs instead of a progress bar.")] = False) -> None:
    """Load an archive of articles without fetching; bad lines are reported and skipped."""
    paths = resolve_paths(db, data_dir)
    _setup(paths, verbose)
    from flows.backfill import backfill as backfill_flow
    from flows.nightly import RunFailed, summary_of
    from flows.progress_bars import stage_progress
    from warehouse.lock import check_writable_now

    try:
        check_writable_now(paths.db)
        if not file.is_file():
            _fail(f"{file}: no such file")
        with stage_progress(enabled=not verbose):
            result = backfill_flow(file=str(file), db=str(paths.db), data_dir=str(paths.data_dir))
    except RunFailed as exc:
        _fail(str(exc), code=1)
    except ParallaxError as exc:
        _fail(str(exc))
    _print_backfill(summary_of(result), paths)


def _print_backfill(summary: Any, paths: Paths) -> None:
    stage = summary.stage("archive")
    typer.echo(f"backfill {summary.run_id}: {summary.status} ({summary.verdict})")
    typer.echo(f"  items read: {stage.items_in}; articles new: {stage.ok}; duplicates: {stage.unchanged}; "
               f"rejected: {stage.failed}")
    for _, where, why in stage.failures[:10]:
        typer.echo(f"  rejected {where}: {why}")
    if stage.failed > 10:
        typer.echo(f"  … {stage.failed - 10} more in table archive_rejects / extractions")
    typer.echo(f"  elapsed: {summary.elapsed_s:.1f} s")
    typer.echo(f"  warehouse: {paths.db}")


def _check_config(path: Path) -> None:
    from pipeline.config import load_config

    load_config(path)


def _setup(paths: Paths, verbose: bool) -> None:
    prepare_environment(paths)
    import os

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _print_summary(summary: Any, paths: Paths) -> None:
    feeds, pages, extract = (summary.stage(s) for s in ("feeds", "pages", "extract"))
    typer.echo(f"run {summary.run_id}: {summary.status} ({summary.verdict})")
    typer.echo(f"  feeds: {feeds.ok} ok, {feeds.unchanged} unchanged, {feeds.failed} failed of {feeds.items_in}")
    typer.echo(f"  pages: {pages.ok} fetched, {pages.failed} failed of {pages.items_in}")
    typer.echo(f"  articles: {extract.new_rows} new, {extract.unchanged} duplicates, {extract.failed} failed")
    typer.echo(f"  elapsed: {summary.elapsed_s:.1f} s")
    typer.echo(f"  warehouse: {paths.db}")
    typer.echo(f"  report: {paths.reports / 'latest.md'}")


@app.command()
def sql(query: Annotated[str, typer.Argument(help="A SQL query, run read-only.")],
        db: DbOption = None, data_dir: DataOption = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
        limit: Annotated[int, typer.Option(help="Most rows shown in table format.")] = 200) -> None:
    """Run a read-only SQL query against the warehouse."""
    if fmt not in ("table", "csv", "json"):
        _fail(f"--format must be table, csv or json, not {fmt!r}")
    import duckdb

    from warehouse.connect import reader

    paths = resolve_paths(db, data_dir)
    try:
        with reader(paths.db) as con:
            cursor = con.execute(query)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
    except duckdb.Error as exc:
        _fail(str(exc).splitlines()[0])
    except ParallaxError as exc:
        _fail(str(exc))
    typer.echo(_format(columns, rows, fmt, limit))


def _format(columns: list[str], rows: list[tuple[Any, ...]], fmt: str, limit: int) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in rows], default=_jsonable, ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    return _table(columns, rows, limit)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _table(columns: list[str], rows: list[tuple[Any, ...]], limit: int) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False)
    for row in rows[:limit]:
        table.add_row(*("" if v is None else str(v)[:120] for v in row))
    console = Console(file=io.StringIO(), width=200, no_color=True)
    console.print(table)
    tail = f"\n({len(rows)} rows, {limit} shown)" if len(rows) > limit else f"\n({len(rows)} rows)"
    return console.file.getvalue().rstrip() + tail


@app.command()
def status(db: DbOption = None, data_dir: DataOption = None,
           runs: Annotated[int, typer.Option(help="How many recent runs to show.")] = 5) -> None:
    """Show recent runs with their stages, durations and failures, and the health of every feed.

    A run left `running` by a process that is gone shows as "crashed (process gone)"; one running
    for longer than pipeline.runstate.HUNG_AFTER (6 h) shows as "hung?".
    """
    from warehouse import read
    from warehouse.connect import reader
    from warehouse.lock import WarehouseBusy

    paths = resolve_paths(db, data_dir)
    try:
        with reader(paths.db) as con:
            recent, health = read.latest_runs(con, runs), read.feed_health(con)
            failures = read.run_failures(con, [r["run_id"] for r in recent])
    except WarehouseBusy as exc:
        _status_busy(paths, str(exc))
        return
    except ParallaxError as exc:
        _fail(str(exc))
    lock_held = _status_lock_held(paths.db) if any(r["status"] == "running" for r in recent) else None
    for r in recent:
        _status_run(r, failures.get(r["run_id"], {}), lock_held)
    typer.echo("feeds:")
    for h in health:
        typer.echo(f"  {h['outlet']:<12} {h['outcome'] or 'never fetched':<13} {h['reason'] or '':<20} "
                   f"failures in a row: {h['failures_in_a_row']}  {h['url']}")


def _status_run(r: dict[str, Any], failures: dict[str, tuple[int, list[tuple[str, str, str]]]],
                lock_held: bool | None) -> None:
    """One run: its shown status, start, duration and error; its stages; its failures by kind."""
    import socket
    from datetime import timezone

    from pipeline.runstate import Liveness, running_for, shown_status

    now = datetime.now(timezone.utc)
    here = r["status"] == "running" and r["host"] == socket.gethostname()
    alive = _status_pid_alive(r["pid"]) if here else None
    shown = shown_status(r["status"], r["started_at"], now, Liveness(pid_alive=alive, lock_held=lock_held))
    took = running_for(r["started_at"], r["finished_at"], now).total_seconds()
    so_far = " so far" if shown in ("running", "hung?") else ""
    gone = f"  (pid {r['pid']} on {r['host']}; the next run marks it crashed)" if shown.endswith("(process gone)") else ""
    typer.echo(f"run {r['run_id']}  {shown:<24} {r['started_at']:%Y-%m-%d %H:%M} {_status_duration(took)}{so_far}"
               + (f"  error: {r['error']}" if r["error"] else "") + gone)
    for s in r["stages"]:
        typer.echo(f"    {s['stage']:<8} {s['seconds'] or 0:7.1f} s  in {s['in']}, ok {s['ok']}, failed {s['failed']}")
    if failures:
        typer.echo("    failed: " + ", ".join(f"{n} {kind}" for kind, (n, _) in failures.items()))
        for kind, (_, first) in failures.items():
            for outlet, url, reason in first:
                typer.echo(f"      {kind:<8} {outlet:<12} {reason:<20} {url}")


def _status_duration(seconds: float) -> str:
    """Seconds up to an hour, hours beyond."""
    return f"{seconds:.1f} s" if seconds < 3600 else f"{seconds / 3600:.1f} h"


def _status_pid_alive(pid: int | None) -> bool | None:
    """Whether a process with this pid exists on this host (a zombie counts as gone); None without a pid."""
    import os

    if not pid:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _status_lock_held(db_path: Path) -> bool:
    """Whether some process holds the warehouse writer lock (every run holds it until it closes).

    The probe takes the lock for an instant when it is free, as `parallax run`'s own pre-check does.
    """
    from warehouse.lock import WarehouseBusy, check_free

    try:
        check_free(db_path)
    except WarehouseBusy:
        return True
    return False


def _status_busy(paths: Paths, message: str) -> None:
    """The warehouse is open for writing: show the run holding the writer lock, or fail as busy."""
    from datetime import timezone

    from pipeline.runstate import Liveness, running_for, shown_status
    from warehouse.lock import lock_path

    if not _status_lock_held(paths.db):
        _fail(message)
    try:
        info = json.loads(lock_path(paths.db).read_text(encoding="utf-8"))
        since = datetime.fromisoformat(info["since"])
    except (OSError, ValueError, KeyError, TypeError):
        _fail(message)
    now = datetime.now(timezone.utc)
    shown = shown_status("running", since, now, Liveness(pid_alive=_status_pid_alive(info.get("pid")), lock_held=True))
    typer.echo(f"run {info.get('run_id', '?')}  {shown:<24} {since:%Y-%m-%d %H:%M} "
               f"{_status_duration(running_for(since, None, now).total_seconds())} so far  (pid {info.get('pid', '?')})")
    typer.echo("    the run is writing the warehouse now: its stages, the earlier runs and the feeds "
               "are shown when it pauses or ends")


@app.command("check-config")
def check_config(config: Annotated[Path, typer.Argument(help="Outlets config to validate.")]) -> None:
    """Validate a config file without running anything."""
    from pipeline.config import load_config

    try:
        loaded = load_config(config)
    except ParallaxError as exc:
        _fail(str(exc))
    feeds = sum(len(o.feeds) for o in loaded.outlets)
    typer.echo(f"{config}: ok ({len(loaded.outlets)} outlets, {feeds} feeds)")


from flows.cli_events import events_app  # noqa: E402  (registered last: `parallax events ...`)

app.add_typer(events_app, name="events")


@app.command()
def report(day: Annotated[Optional[str], typer.Option("--date", help="Re-render the runs started on this date, YYYY-MM-DD (UTC). Default: the latest run.")] = None,
           db: DbOption = None, data_dir: DataOption = None) -> None:
    """Re-render run reports from the warehouse into the reports folder (the runs of a date, or the latest run)."""
    paths = resolve_paths(db, data_dir)
    _setup(paths, verbose=False)
    from flows.report import parse_day, rerender

    try:
        rendered = rerender(parse_day(day) if day else None, paths.db, paths.reports)
    except ParallaxError as exc:
        _fail(str(exc))
    for r in rendered:
        typer.echo(f"run {r.run_id} ({r.status}): {r.path}" + (" (also latest.md)" if r.latest else ""))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
