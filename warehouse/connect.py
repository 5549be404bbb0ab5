"""Opening the warehouse: one writer, read-only readers, clear one-line errors when it cannot be used.

DuckDB reports storage failures in several shapes: an `IOException` when a file cannot be opened
or locked, a `TransactionException` ("Failed to commit: Could not write file …: No space left on
device") when a commit cannot reach the write-ahead log, a `FatalException` when a checkpoint fails
(the instance is then invalidated). `storage_error` turns each into a typed Parallax error whose
message is one line: WarehouseStorageFull, WarehouseReadOnly, WarehouseStorageError,
WarehouseWalUnreplayable, WarehouseUnusable. Committed rows are never touched: in particular a
write-ahead log (WAL) that DuckDB cannot replay is left in place, never deleted, since deleting it
loses committed rows.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline.errors import ParallaxError, PermanentError
from warehouse.lock import (WarehouseBusy, WarehouseReadOnly, WarehouseStorageError, WarehouseStorageFull,
                            command_line, holder, holder_pid, is_held_here, os_storage_error, user_description)
from warehouse.migrate import MigrationError, migrate
from warehouse.views import rebuild_views

log = logging.getLogger(__name__)

__all__ = ["WarehouseBusy", "WarehouseMissing", "WarehouseReadOnly", "WarehouseStorageError", "WarehouseStorageFull",
           "WarehouseUnusable", "WarehouseWalUnreplayable", "reader", "storage_error", "wal_path", "writer"]

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
_WAL_REPLAY = "Failure while replaying WAL file"
_FULL = ("No space left on device", "Disk quota exceeded", "File too large")
_READ_ONLY = ("Read-only file system", "Permission denied", "Operation not permitted")
_ERROR_PREFIX = re.compile(r"^(?:[A-Za-z]+(?: [A-Za-z]+)? Error: )+")


class WarehouseMissing(PermanentError):
    """There is no warehouse file where one was expected."""


class WarehouseUnusable(PermanentError):
    """The warehouse file cannot be opened (corrupt, unwritable, wrong version)."""


class WarehouseWalUnreplayable(WarehouseUnusable):
    """DuckDB cannot replay the write-ahead log left by an unclean stop; both files are left untouched."""


def wal_path(db_path: Path) -> Path:
    """DuckDB's write-ahead log beside the warehouse file."""
    return db_path.with_name(db_path.name + ".wal")


@contextmanager
def writer(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection, migrated; the caller must hold the writer lock.

    Storage failures inside the block (disk full, read-only file system, an invalidated instance)
    are raised as typed one-line errors (see `storage_error`); other DuckDB errors pass unchanged.
    """
    if not is_held_here(db_path):
        raise RuntimeError("open the warehouse for writing only under warehouse.lock.writer_lock")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_storage_error(exc, db_path.parent) from None
    if wal_path(db_path).exists():
        log.warning("warehouse %s: replaying the write-ahead log left by an unclean stop", db_path)
    con = _connect(db_path, read_only=False)
    finished = False
    try:
        if migrate(con):
            # Schema changes leave the WAL at once: DuckDB 1.5 cannot replay some DDL after a crash (#18259).
            con.execute("CHECKPOINT")
        rebuild_views(con)
        yield con
        finished = True
    except (duckdb.Error, MigrationError) as exc:
        mapped = storage_error(exc, db_path)
        if mapped is None:
            raise
        raise mapped from exc
    finally:
        _close(con, db_path, raise_errors=finished)


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


def storage_error(exc: BaseException, db_path: Path | None = None) -> ParallaxError | None:
    """The typed one-line error for a failure caused by storage, or None when its cause lies elsewhere.

    Follows the exception's chain, so a failed ROLLBACK after a failed COMMIT, or a MigrationError,
    is classified by the storage error underneath it.
    """
    for cause in _chain(exc):
        if isinstance(cause, (WarehouseStorageError, WarehouseUnusable)):
            return cause
        if not isinstance(cause, duckdb.Error):
            continue
        detail = _detail(cause)
        if any(text in detail for text in _FULL):
            return WarehouseStorageFull(f"warehouse storage full: {detail}; free space, then run again "
                                        "(committed rows are kept)")
        if any(text in detail for text in _READ_ONLY):
            return WarehouseReadOnly(f"warehouse not writable: {detail}")
        if _WAL_REPLAY in detail and db_path is not None:
            return WarehouseWalUnreplayable(_replay_message(db_path, detail))
        if isinstance(cause, duckdb.FatalException):
            return WarehouseUnusable(f"warehouse stopped after a fatal DuckDB error: {detail}; "
                                     "committed rows are kept: fix the cause, then run again")
        if isinstance(cause, duckdb.IOException):
            return WarehouseStorageError(f"warehouse storage error: {detail}")
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _detail(exc: BaseException) -> str:
    """DuckDB's first message line without its 'IO Error: ' style prefixes."""
    lines = str(exc).strip().splitlines()
    return _ERROR_PREFIX.sub("", lines[0] if lines else type(exc).__name__)


def _close(con: duckdb.DuckDBPyConnection, db_path: Path, *, raise_errors: bool) -> None:
    """Close (DuckDB checkpoints on close); a failure is raised typed, or only logged if one is in flight."""
    try:
        con.close()
    except duckdb.Error as exc:
        if not raise_errors:
            log.warning("closing warehouse %s after an error also failed: %s", db_path, _detail(exc))
            return
        raise (storage_error(exc, db_path) or WarehouseUnusable(f"closing warehouse {db_path} failed: "
                                                                f"{_detail(exc)}")) from exc


def _connect(db_path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.Error as exc:
        detail = _detail(exc)
        if "Could not set lock" in detail or ("lock" in detail.lower() and isinstance(exc, duckdb.IOException)):
            raise WarehouseBusy(_busy_message(db_path, detail, read_only=read_only)) from None
        if _WAL_REPLAY in detail:
            raise WarehouseWalUnreplayable(_replay_message(db_path, detail)) from None
        mapped = storage_error(exc, db_path)
        if isinstance(mapped, (WarehouseStorageFull, WarehouseReadOnly)):
            raise mapped from None
        raise WarehouseUnusable(f"cannot open warehouse {db_path}: {detail}") from None


def _busy_message(db_path: Path, detail: str, *, read_only: bool) -> str:
    """Name what holds the file: the run from the lock file if it is that process, else the process itself."""
    found = _LOCK_HOLDER.search(detail)
    pid = int(found["pid"]) if found else None
    if pid is None or pid == holder_pid(db_path):
        return f"warehouse busy ({holder(db_path) or 'another process has it open'})"
    if read_only:
        return f"warehouse busy (open for writing in pid {pid}: {command_line(pid) or found['program']})"
    return f"warehouse busy ({user_description(pid)})"


def _replay_message(db_path: Path, detail: str) -> str:
    return (f"cannot open warehouse {db_path}: DuckDB {duckdb.__version__} failed to replay the write-ahead log "
            f"{wal_path(db_path).name} left by an unclean stop ({detail}); both files were left untouched "
            f"(deleting the WAL would lose committed rows): copy them aside, then open them with a DuckDB release "
            f"that fixes the replay (DuckDB issues #18259, #22044, #24103) or restore a backup")
