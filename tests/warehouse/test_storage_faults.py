"""Storage faults: a reader holding the file, a writer holding it, disk full, read-only storage.

Each fault must end the run with one clear `parallax: error: …` line and a non-zero exit, before
any network request when the fault is there from the start, and without losing a committed row.
Disk-full tests mount a 20 MiB tmpfs (root only; skipped cleanly where mounting is not permitted).
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from demo.server import DemoWorld
from tests.warehouse.test_crash import (EARLIER_NIGHT, KEYS, consistency, missing, night, small_corpus)

REPO = Path(__file__).resolve().parents[2]
HOLD_READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
time.sleep(120)
"""
HOLD_WRITER = """
import sys, time
from pathlib import Path
from warehouse.connect import writer
from warehouse.lock import writer_lock
db = Path(sys.argv[1])
with writer_lock(db, "R-writing-now"), writer(db):
    print("open", flush=True)
    time.sleep(120)
"""


@pytest.fixture(scope="module")
def world():
    """The small demo world on 127.0.0.1."""
    with DemoWorld(small_corpus()) as demo:
        yield demo


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Prefect home for every CLI run of this module (its database is set up once)."""
    return tmp_path_factory.mktemp("prefect-home")


def parallax(*args: str, cwd: Path, prefect_home: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    """The command line, run as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PARALLAX_HOME", "PARALLAX_DB", "PREFECT_HOME")}
    env["PREFECT_HOME"] = str(prefect_home)
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def error_line(result: subprocess.CompletedProcess) -> str:
    """The CLI's own error: exactly one `parallax: error:` line, the last one on stderr."""
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("parallax: error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr[-2000:]
    return errors[0]


@contextlib.contextmanager
def holding(script: str, db: Path):
    """A process that keeps the warehouse open (read-only reader or writer) until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", script, str(db)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def requests_since(world: DemoWorld, start: int) -> list:
    return world.requests_snapshot()[start:]


def first_night(world: DemoWorld, db: Path, config: Path) -> None:
    world.as_of = EARLIER_NIGHT
    try:
        result = night(db, {"config": config})
    finally:
        world.as_of = None
    assert result.returncode == 0, result.stderr[-2000:]


def stored_keys(db: Path) -> dict[str, list[list]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: [list(r) for r in con.execute(f"SELECT {', '.join(k)} FROM {t}").fetchall()]
                for t, k in KEYS.items()}


# ---------------------------------------------------------------- who holds the file


def test_a_reader_holding_the_file_makes_the_run_fail_fast_naming_it(world, tmp_path: Path, prefect_home) -> None:
    config = world.write_config(tmp_path / "outlets.toml")
    db = tmp_path / "data" / "warehouse.duckdb"
    first_night(world, db, config)
    with holding(HOLD_READER, db) as reader_process:
        before = len(world.requests_snapshot())
        started = time.monotonic()
        result = parallax("run", "--config", str(config), "--data-dir", str(tmp_path / "data"), cwd=tmp_path,
                          prefect_home=prefect_home, timeout=120)
        elapsed = time.monotonic() - started
    assert result.returncode == 2
    line = error_line(result)
    assert line.startswith(f"parallax: error: warehouse busy (open in pid {reader_process.pid}: ")
    assert "duckdb.connect" in line and "close it, then run again" in line
    assert requests_since(world, before) == []          # refused before any network I/O
    print(f"\nreader holds the file: refused in {elapsed:.1f} s (CLI start and Prefect included): {line}")


def test_a_reader_while_a_run_writes_is_told_which_run(tmp_path: Path, prefect_home) -> None:
    db = tmp_path / "warehouse.duckdb"
    with holding(HOLD_WRITER, db) as writer_process:
        started = time.monotonic()
        result = parallax("sql", "SELECT count(*) FROM runs", "--db", str(db), cwd=tmp_path, prefect_home=prefect_home)
        elapsed = time.monotonic() - started
    assert result.returncode == 2
    line = error_line(result)
    assert re.fullmatch(r"parallax: error: warehouse busy \(run R-writing-now since \d{4}-\d\d-\d\dT[\d:]+\+00:00 "
                        rf"\(pid {writer_process.pid}\)\)", line), line
    assert elapsed < 30


def test_writer_lock_names_a_reader_but_not_this_process(tmp_path: Path) -> None:
    from warehouse.connect import reader, writer
    from warehouse.lock import WarehouseBusy, writer_lock

    db = tmp_path / "warehouse.duckdb"
    with writer_lock(db, "r1"), writer(db):
        pass
    with reader(db):                       # this process's own reader is not "another process"
        with writer_lock(db, "r2"):
            pass
    with holding(HOLD_READER, db) as other:
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match=rf"warehouse busy \(open in pid {other.pid}: "):
            with writer_lock(db, "r3"):
                pass
        assert time.monotonic() - started < 1.0


# ---------------------------------------------------------------- read-only storage


@contextlib.contextmanager
def read_only(path: Path):
    """Make a file or folder unwritable, also for root (chattr +i); skip where that is not possible."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"chattr +i not possible here: {done.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_a_read_only_warehouse_file_fails_before_any_fetch(world, tmp_path: Path, prefect_home) -> None:
    config = world.write_config(tmp_path / "outlets.toml")
    db = tmp_path / "data" / "warehouse.duckdb"
    first_night(world, db, config)
    before = len(world.requests_snapshot())
    with read_only(db):
        result = parallax("run", "--config", str(config), "--data-dir", str(tmp_path / "data"), cwd=tmp_path,
                          prefect_home=prefect_home, timeout=120)
        readable = parallax("sql", "SELECT count(*) AS n FROM articles", "--db", str(db), "-f", "csv", cwd=tmp_path,
                            prefect_home=prefect_home)
    assert result.returncode == 2
    line = error_line(result)
    assert line.startswith("parallax: error: warehouse not writable: ") and str(db) in line, line
    assert requests_since(world, before) == []
    assert readable.returncode == 0 and readable.stdout.splitlines()[1].isdigit()


def test_a_read_only_warehouse_folder_fails_before_any_fetch(world, tmp_path: Path) -> None:
    from flows import stages
    from warehouse.lock import WarehouseReadOnly, writer_lock

    config = world.write_config(tmp_path / "outlets.toml")
    folder = tmp_path / "data"
    db = folder / "warehouse.duckdb"
    first_night(world, db, config)
    before = len(world.requests_snapshot())
    with read_only(folder):
        with pytest.raises(WarehouseReadOnly, match=r"^warehouse not writable: .*warehouse\.duckdb\.wal"):
            with writer_lock(db, "ro-folder"):       # the lock file exists already: the first write fails
                stages.open_run("ro-folder", db, config)
        fresh = folder / "new" / "warehouse.duckdb"
        with pytest.raises(WarehouseReadOnly, match=r"^warehouse not writable: cannot write .*new"):
            with writer_lock(fresh, "ro-folder-new"):
                pass
    assert requests_since(world, before) == []


# ---------------------------------------------------------------- disk full (tmpfs)


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A 20 MiB tmpfs (root only); skipped cleanly where mounting is not permitted."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"mount not permitted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> int:
    """Write a filler file until the file system is full; returns the bytes written."""
    written = 0
    with (folder / "filler").open("wb", buffering=0) as out:
        for chunk in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    written += out.write(b"\0" * chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return written


def test_disk_full_during_a_run(world, tmp_path: Path, tmpfs: Path, prefect_home) -> None:
    """The disk fills while pages are fetched: one clear line, exit non-zero, no committed row lost."""
    config = world.write_config(tmp_path / "outlets.toml")
    db = tmpfs / "warehouse.duckdb"
    first_night(world, db, config)
    committed = stored_keys(db)
    pages = {p for o in world.corpus.outlets for p in o.feed_paths} | {"/robots.txt"}
    before = len(world.requests_snapshot())
    filled: list[int] = []
    done = threading.Event()

    def fill_when_pages_are_fetched() -> None:
        while not done.is_set():
            if any(r.path not in pages for r in requests_since(world, before)):
                filled.append(fill(tmpfs))
                return
            time.sleep(0.002)

    watcher = threading.Thread(target=fill_when_pages_are_fetched, daemon=True)
    watcher.start()
    try:
        result = parallax("run", "--config", str(config), "--db", str(db), "--data-dir", str(tmp_path / "data"),
                          cwd=tmp_path, prefect_home=prefect_home)
    finally:
        done.set()
        watcher.join(5)
    assert filled, "the run never fetched a page"
    assert result.returncode != 0
    line = error_line(result)
    assert line.startswith("parallax: error: warehouse storage full: ") and "No space left on device" in line, line

    (tmpfs / "filler").unlink()
    started = time.monotonic()
    with duckdb.connect(str(db), read_only=True) as con:
        reopen = time.monotonic() - started
        assert not missing(con, committed), "a committed row was lost"
        assert not consistency(con)
        failed_run = con.execute("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()[0]
        entries = con.execute("SELECT count(*) FROM feed_entries").fetchone()[0]
    assert entries == len(world.corpus.articles)         # the feeds stage had committed before the disk filled

    again = night(db, {"config": config})
    assert again.returncode == 0, again.stderr[-2000:]
    with duckdb.connect(str(db), read_only=True) as con:
        assert not consistency(con)
        counts = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM pages), "
                             "(SELECT count(*) FROM event_assignments)").fetchone()
        status = con.execute("SELECT status FROM runs WHERE run_id = ?", [failed_run]).fetchone()[0]
    assert counts == (len(world.corpus.articles),) * 3
    assert status in ("failed", "crashed")
    print(f"\ndisk full: filler {filled[0]} bytes; {line}; reopened in {reopen * 1000:.0f} ms after freeing space; "
          f"failed run shows {status!r}; next run completed")


def test_disk_full_at_commit_and_at_checkpoint_keeps_committed_rows(tmp_path: Path, tmpfs: Path) -> None:
    """A commit that cannot reach the WAL, then a CHECKPOINT that cannot grow the file: typed errors, rows kept."""
    from datetime import datetime, timezone

    from warehouse import load
    from warehouse.connect import writer
    from warehouse.lock import WarehouseStorageFull, writer_lock

    db = tmpfs / "warehouse.duckdb"
    now = datetime.now(timezone.utc)
    acked: list[str] = []
    with writer_lock(db, "full"):
        with pytest.raises(WarehouseStorageFull, match=r"^warehouse storage full: .*No space left on device") as fatal:
            with writer(db) as con:
                for i in range(40):  # a WAL of a few MB that a checkpoint must move into the file
                    load.start_run(con, run_id=f"r{i:03d}", kind="nightly", config_path="c" * 100_000,
                                   config_hash="h", started_at=now)
                    acked.append(f"r{i:03d}")
                fill(tmpfs)
                with pytest.raises(WarehouseStorageFull, match=r"^warehouse storage full: .*No space left"):
                    load.start_run(con, run_id="r-refused", kind="nightly", config_path="c" * 100_000,
                                   config_hash="h", started_at=now)
                con.execute("CHECKPOINT")
        assert "checkpoint" in str(fatal.value).lower()
    (tmpfs / "filler").unlink()
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()}
    assert set(acked) <= stored and "r-refused" not in stored
    print(f"\ndisk full at commit and at checkpoint: {len(acked)}/{len(acked)} acknowledged rows kept; {fatal.value}")


def test_a_read_only_file_system_fails_at_once_and_stays_readable(world, tmp_path: Path, tmpfs: Path,
                                                                   prefect_home) -> None:
    config = world.write_config(tmp_path / "outlets.toml")
    db = tmpfs / "warehouse.duckdb"
    first_night(world, db, config)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    before = len(world.requests_snapshot())
    result = parallax("run", "--config", str(config), "--db", str(db), "--data-dir", str(tmp_path / "data"),
                      cwd=tmp_path, prefect_home=prefect_home, timeout=120)
    readable = parallax("sql", "SELECT count(*) AS n FROM articles", "--db", str(db), "-f", "csv", cwd=tmp_path,
                        prefect_home=prefect_home)
    assert result.returncode == 2
    line = error_line(result)
    assert line == f"parallax: error: warehouse not writable: cannot write {db}.lock: Read-only file system", line
    assert "Traceback" not in result.stderr
    assert requests_since(world, before) == []
    assert readable.returncode == 0 and int(readable.stdout.splitlines()[1]) > 0


# ---------------------------------------------------------------- a damaged write-ahead log

WRITE_AND_DIE = """
import os, signal, sys
from datetime import datetime, timezone
from pathlib import Path
from warehouse import load
from warehouse.connect import writer
from warehouse.lock import writer_lock
db = Path(sys.argv[1])
with writer_lock(db, "w"), writer(db) as con:
    for i in range(20):
        load.start_run(con, run_id=f"r{i:02d}", kind="nightly", config_path="c" * 2000, config_hash="h",
                       started_at=datetime.now(timezone.utc))
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_damaged_wal_is_refused_clearly_and_never_deleted(tmp_path: Path) -> None:
    """A WAL whose bytes were damaged (checksum mismatch) stops Parallax with one line; the file stays."""
    import hashlib

    from warehouse.connect import WarehouseWalUnreplayable, reader, wal_path, writer
    from warehouse.lock import writer_lock

    db = tmp_path / "warehouse.duckdb"
    died = subprocess.run([sys.executable, "-c", WRITE_AND_DIE, str(db)], cwd=REPO, capture_output=True, text=True)
    assert died.returncode == -9, died.stderr
    wal = wal_path(db)
    data = bytearray(wal.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = os.urandom(64)
    wal.write_bytes(bytes(data))
    digest = hashlib.sha256(bytes(data)).hexdigest()
    for opening in (lambda: reader(db), lambda: writer(db)):
        with writer_lock(db, "after-damage"):
            with pytest.raises(WarehouseWalUnreplayable, match=r"failed to replay the write-ahead log .*left untouched") as err:
                with opening():
                    pass
        assert "\n" not in str(err.value) and "Corrupt WAL file" in str(err.value)
    assert wal.exists() and hashlib.sha256(wal.read_bytes()).hexdigest() == digest
