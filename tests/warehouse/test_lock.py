"""One writer per warehouse: a second writer gets a clear 'busy' error naming the run."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.connect import reader, writer
from warehouse.lock import WarehouseBusy, writer_lock

HOLD = """
import sys, time
from pathlib import Path
from warehouse.lock import writer_lock
with writer_lock(Path(sys.argv[1]), "run-held-elsewhere"):
    print("held", flush=True)
    time.sleep(30)
"""


def test_second_writer_is_told_who_holds_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match=r"warehouse busy \(run run-held-elsewhere since \d{4}-"):
            with writer_lock(db, "second"):
                pass
        assert time.monotonic() - started < 1.0
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(db, "third"), writer(db) as con:
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] >= 1


def test_writer_requires_the_lock(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="writer_lock"):
        with writer(tmp_path / "w.duckdb"):
            pass


def test_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with writer_lock(db, "r1"), writer_lock(db, "r1"), writer(db) as con:
        con.execute("SELECT 1")


def test_reader_of_a_missing_warehouse_says_so(tmp_path: Path) -> None:
    from warehouse.connect import WarehouseMissing

    with pytest.raises(WarehouseMissing, match="run `parallax run` first"):
        with reader(tmp_path / "none.duckdb"):
            pass
