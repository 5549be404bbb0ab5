"""Loads: bulk, idempotent, deduplicated within a batch, strings made storable."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.config import parse_config
from warehouse.load import insert_new, start_run, sync_outlets
from warehouse.migrate import migrate


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        migrate(connection)
        connection.execute("CREATE TABLE t (k VARCHAR PRIMARY KEY, v VARCHAR, n INTEGER)")
        yield connection


def test_batch_with_a_repeated_key_keeps_the_first(con) -> None:
    added = insert_new(con, "t", [dict(k="a", v="first", n=1), dict(k="a", v="second", n=2)], ["k"])
    assert added == 1
    assert con.execute("SELECT v FROM t").fetchall() == [("first",)]


def test_rerun_adds_nothing(con) -> None:
    rows = [dict(k=str(i), v="x", n=i) for i in range(1000)]
    assert insert_new(con, "t", rows, ["k"]) == 1000
    assert insert_new(con, "t", rows, ["k"]) == 0
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 1000


def test_lone_surrogate_does_not_fail_the_batch(con) -> None:
    added = insert_new(con, "t", [dict(k="a", v="bad \ud800 text\x00", n=1), dict(k="b", v="fine", n=2)], ["k"])
    assert added == 2
    assert "\x00" not in con.execute("SELECT v FROM t WHERE k = 'a'").fetchone()[0]


def _config(*ids: str):
    outlets = "".join(f"""
[[outlets]]
id = "{i}"
name = "Outlet {i}"
homepage = "https://{i}.example/"
feeds = ["https://{i}.example/feed.xml"]
language = "en"
country = "GB"
ownership = "private"
tags = {{ leaning = "centre" }}
""" for i in ids)
    return parse_config(outlets)


def test_outlet_leaving_the_config_is_kept_inactive(con) -> None:
    sync_outlets(con, _config("a", "b"), run_id="r1")
    sync_outlets(con, _config("b", "c"), run_id="r2")
    rows = con.execute("SELECT outlet_id, active, first_run_id, tags->>'leaning' FROM outlets ORDER BY 1").fetchall()
    assert rows == [("a", False, "r1", "centre"), ("b", True, "r1", "centre"), ("c", True, "r2", "centre")]
    feeds = dict(con.execute("SELECT outlet_id, active FROM feeds").fetchall())
    assert feeds == {"a": False, "b": True, "c": True}


def test_a_new_run_marks_an_unfinished_one_crashed(con) -> None:
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    start_run(con, run_id="r1", kind="nightly", config_path="c", config_hash="h", started_at=now)
    stale = start_run(con, run_id="r2", kind="nightly", config_path="c", config_hash="h", started_at=now)
    assert stale == ["r1"]
    assert dict(con.execute("SELECT run_id, status FROM runs").fetchall()) == {"r1": "crashed", "r2": "running"}
