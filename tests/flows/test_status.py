"""`parallax status` tells a crashed or hung run from a running one, and shows stages and failures;
`parallax report` re-renders run reports from the warehouse.

One test SIGKILLs a real `parallax run` while it waits on a stalled feed, as a crash or the OOM
killer would; the others fake runs (an old one held by this very process, closed ones).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from pipeline.report import render_run_report
from pipeline.runstate import HUNG_AFTER
from pipeline.summary import RunSummary, StageCounts
from tests.support.server import ScriptedServer, fixture_bytes
from warehouse import load
from warehouse.connect import writer
from warehouse.lock import lock_path, writer_lock

REPO = Path(__file__).resolve().parents[2]
RSS = "application/rss+xml; charset=utf-8"
RUN_S = 300          # a `parallax run` in a fresh Prefect home, on a loaded machine
STOP_S = 30


def parallax(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI as a user runs it."""
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=_env(cwd), capture_output=True,
                          text=True, timeout=timeout)


def _env(cwd: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARALLAX_")}
    return env | {"PREFECT_HOME": str(cwd / "prefect-home"), "PYTHONPATH": str(REPO)}


def _wait_for(what: str, check, timeout: float, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)
    return value


def _group_members(pgid: int) -> set[int]:
    """Live (non-zombie) processes of a process group, from /proc."""
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state, _, group = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
            except (OSError, ValueError):
                continue
            if int(group) == pgid and state != "Z":
                members.add(int(entry.name))
    return members


def _end_group(pgid: int) -> None:
    """SIGTERM then SIGKILL what is left of a process group we started; wait until it is empty."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not _group_members(pgid):
            return
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        try:
            _wait_for(f"process group {pgid} to end", lambda: not _group_members(pgid), STOP_S / 2, every=0.2)
            return
        except AssertionError:
            continue


def _config(server: ScriptedServer, path: Path) -> Path:
    path.write_text(f"""
[fetch]
allowed_hosts = ["127.0.0.1"]
per_host_min_gap_s = 0.0
read_timeout_s = 40
deadline_s = 60
retries = 0

[[outlets]]
id = "fixture"
name = "Fixture Gazette"
homepage = "{server.base}/"
feeds = ["{server.base}/feeds/rss2.xml", "{server.base}/feeds/slow.xml"]
language = "en"
country = "GB"
ownership = "private"
""", encoding="utf-8")
    return path


def _runs(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT run_id, status, pid, error FROM runs ORDER BY started_at").fetchall()


def _line(output: str, run_id: str) -> str:
    found = [line for line in output.splitlines() if line.startswith(f"run {run_id} ")]
    assert found, output
    return found[0]


def test_killed_run_shows_crashed_then_next_run_marks_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = data / "warehouse.duckdb"
    with ScriptedServer() as server:
        server.serve("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
        server.serve("/feeds/rss2.xml", fixture_bytes("feeds/rss2.xml", server.base), content_type=RSS)
        server.stall("/feeds/slow.xml", seconds=60)
        config = _config(server, tmp_path / "outlets.toml")
        log = (tmp_path / "killed.log").open("wb")
        victim = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--config", str(config),
                                   "--data-dir", str(data), "-v"], cwd=tmp_path, env=_env(tmp_path),
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        try:
            def stalled() -> bool:
                assert victim.poll() is None, (tmp_path / "killed.log").read_text(errors="replace")[-3000:]
                return server.count("/feeds/slow.xml") > 0

            _wait_for("the run to reach the stalled feed", stalled, RUN_S)
            victim.send_signal(signal.SIGKILL)              # the flow process only, as a crash would
            assert victim.wait(STOP_S) == -signal.SIGKILL
            [(run_id, stored, pid, _)] = _runs(db)
            assert stored == "running" and pid == victim.pid

            shown = parallax("status", "--data-dir", str(data), cwd=tmp_path)
            assert shown.returncode == 0, shown.stderr
            line = _line(shown.stdout, run_id)
            assert "crashed (process gone)" in line and f"pid {victim.pid}" in line
            assert re.search(r"\d+\.\d s", line)
        finally:
            _end_group(victim.pid)        # the temporary Prefect API it had started
            assert not _group_members(victim.pid)

        server.serve("/feeds/slow.xml", b"gone", status=404, content_type="text/plain")
        again = parallax("run", "--config", str(config), "--data-dir", str(data), cwd=tmp_path, timeout=RUN_S)
    assert again.returncode == 1, again.stderr               # 1 of 2 feeds failed: the verdict is failure
    (first, status, _, error), (second, final, _, _) = _runs(db)
    assert first == run_id and status == "crashed" and error == "the process ended without closing the run"
    assert final == "failed"
    shown = parallax("status", "--data-dir", str(data), cwd=tmp_path)
    assert re.match(rf"run {run_id}\s+crashed\s", _line(shown.stdout, run_id))
    after = shown.stdout.split(_line(shown.stdout, second), 1)[1].split(f"run {run_id}", 1)[0]
    assert re.search(r"^\s+feeds\s+\d+\.\d s\s+in 2, ok 1, failed 1$", after, re.M), shown.stdout
    assert re.search(r"^\s+pages\s+\d+\.\d s\s+in \d+", after, re.M), shown.stdout
    assert re.search(r"failed: .*\b1 feed\b", after) and re.search(r"feed\s+fixture\s+http_404\s+http://\S+/feeds/slow.xml", after)


@pytest.fixture
def old_run(tmp_path: Path):
    """A run recorded as running since 7 hours ago by this (live) process, which holds the writer lock."""
    db = tmp_path / "data" / "warehouse.duckdb"
    started = datetime.now(timezone.utc) - HUNG_AFTER - timedelta(hours=1)
    with writer_lock(db, "R-old"):
        with writer(db) as con:
            load.start_run(con, run_id="R-old", kind="nightly", config_path="x.toml", config_hash="",
                           started_at=started)
        info = json.loads(lock_path(db).read_text(encoding="utf-8"))
        lock_path(db).write_text(json.dumps(info | {"since": started.isoformat(timespec="seconds")}),
                                 encoding="utf-8")   # as if taken 7 hours ago
        yield db


def test_a_run_running_too_long_is_shown_hung(old_run: Path, tmp_path: Path) -> None:
    shown = parallax("status", "--db", str(old_run), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert re.match(r"run R-old\s+hung\?\s+\S+ \S+ 7\.\d h so far", _line(shown.stdout, "R-old")), shown.stdout


def test_status_while_the_run_writes_shows_its_holder(old_run: Path, tmp_path: Path) -> None:
    with writer(old_run):                   # DuckDB refuses readers while a writer has the file open
        shown = parallax("status", "--db", str(old_run), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    line = _line(shown.stdout, "R-old")
    assert "hung?" in line and f"pid {os.getpid()}" in line and "writing the warehouse now" in shown.stdout


def test_status_of_a_busy_warehouse_without_a_run_is_an_error(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:      # someone's DuckDB shell, not a Parallax run
        con.execute("CREATE TABLE t (x INTEGER)")
        shown = parallax("status", "--db", str(db), cwd=tmp_path)
    assert shown.returncode == 2 and shown.stderr.startswith("parallax: error: warehouse busy")


@pytest.fixture
def two_days(tmp_path: Path) -> Path:
    """A warehouse with a closed run on 2026-11-24 and a run left running on 2026-11-25 (no flow needed)."""
    db = tmp_path / "data" / "warehouse.duckdb"
    day1 = datetime(2026, 11, 24, 2, 0, 1, tzinfo=timezone.utc)
    closed = RunSummary(run_id="R1", status="completed_with_failures", verdict="1 of 2 feeds failed",
                        started_at=day1, finished_at=day1 + timedelta(seconds=42),
                        stages=(StageCounts(stage="feeds", items_in=2, ok=1, failed=1,
                                            failures=(("fixture", "http://x/feed.xml", "http_404"),)),))
    with writer_lock(db, "R1"), writer(db) as con:
        load.start_run(con, run_id="R1", kind="nightly", config_path="x.toml", config_hash="", started_at=day1)
        load.record_stage(con, run_id="R1", stage="feeds", started_at=day1, items_in=2, items_ok=1, items_failed=1)
        load.finish_run(con, run_id="R1", status=closed.status, summary=closed.as_dict())
        load.start_run(con, run_id="R2", kind="nightly", config_path="x.toml", config_hash="",
                       started_at=day1 + timedelta(days=1))
    (tmp_path / "expected-R1.md").write_text(render_run_report(closed, feed_health=[], articles_by_outlet=[]),
                                             encoding="utf-8")
    return db


def test_report_rerenders_a_date_and_the_latest_run(two_days: Path, tmp_path: Path) -> None:
    data = two_days.parent
    day = parallax("report", "--date", "2026-11-24", "--data-dir", str(data), cwd=tmp_path)
    assert day.returncode == 0, day.stderr
    written = data / "reports" / "2026-11-24-R1.md"
    assert f"run R1 (completed_with_failures): {written}" in day.stdout and "latest.md" not in day.stdout
    assert written.read_text(encoding="utf-8") == (tmp_path / "expected-R1.md").read_text(encoding="utf-8")
    assert not (data / "reports" / "latest.md").exists()        # R1 is not the latest run

    latest = parallax("report", "--data-dir", str(data), cwd=tmp_path)
    assert latest.returncode == 0, latest.stderr
    text = (data / "reports" / "latest.md").read_text(encoding="utf-8")
    assert text == (data / "reports" / "2026-11-25-R2.md").read_text(encoding="utf-8")
    assert text.startswith("# Parallax run R2") and "status: **running**" in text


@pytest.mark.parametrize(("day", "message"), [("2026-11-23", "no runs started on 2026-11-23"),
                                              ("24.11.2026", "--date must be YYYY-MM-DD, not '24.11.2026'")])
def test_report_of_a_day_without_runs_or_a_bad_date_is_one_line(two_days: Path, tmp_path: Path, day: str,
                                                                message: str) -> None:
    out = parallax("report", "--date", day, "--db", str(two_days), "--data-dir", str(tmp_path / "other"),
                   cwd=tmp_path)
    assert out.returncode == 2 and out.stderr == f"parallax: error: {message}\n"
