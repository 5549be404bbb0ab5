"""Opening the warehouse: one writer, read-only readers, clear errors when busy."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline.errors import PermanentError
from warehouse.lock import WarehouseBusy, holder, is_held_here
from warehouse.migrate import migrate
from warehouse.views import rebuild_views

log = logging.getLogger(__name__)


class WarehouseMissing(PermanentError):
    """There is no warehouse file where one was expected."""


class WarehouseUnusable(PermanentError):
    """The warehouse file cannot be opened (corrupt, unwritable, wrong version)."""


@contextmanager
def writer(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection, migrated; the caller must hold the writer lock."""
    if not is_held_here(db_path):
        raise RuntimeError("open the warehouse for writing only under warehouse.lock.writer_lock")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path, read_only=False)
    try:
        migrate(con)
        rebuild_views(con)
        yield con
    finally:
        con.close()


@contextmanager
def reader(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to an existing warehouse."""
    if not db_path.exists():
        raise WarehouseMissing(f"no warehouse at {db_path}: run `parallax run` first")
    con = _connect(db_path, read_only=True)
    try:
        yield con
    finally:
        con.close()


def _connect(db_path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(f"warehouse busy ({holder(db_path) or 'another process has it open'})") from None
        raise WarehouseUnusable(f"cannot open warehouse {db_path}: {exc}") from None
    except duckdb.Error as exc:
        raise WarehouseUnusable(f"cannot open warehouse {db_path}: {exc}") from None
