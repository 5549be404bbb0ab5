"""One writer per warehouse: an advisory lock file that says which run holds it."""
from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from pipeline.errors import TransientError


class WarehouseBusy(TransientError):
    """Another process is writing the warehouse."""


_held: dict[str, int] = {}
_guard = threading.Lock()


def lock_path(db_path: Path) -> Path:
    """The lock file beside the warehouse file."""
    return db_path.with_name(db_path.name + ".lock")


def holder(db_path: Path) -> str:
    """'run R since T (pid P)' from the lock file, or '' when it cannot be read."""
    try:
        info = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return f"run {info.get('run_id', '?')} since {info.get('since', '?')} (pid {info.get('pid', '?')})"


@contextmanager
def writer_lock(db_path: Path, run_id: str) -> Iterator[None]:
    """Hold the warehouse's writer lock for a run; re-entrant within one process."""
    key = str(db_path.resolve())
    with _guard:
        if key in _held:
            _held[key] += 1
            fd = None
        else:
            fd = _acquire(db_path, run_id)
            _held[key] = 1
    try:
        yield
    finally:
        with _guard:
            _held[key] -= 1
            if _held[key] == 0:
                del _held[key]
                if fd is not None:
                    os.close(fd)


def is_held_here(db_path: Path) -> bool:
    """Whether this process holds the writer lock of the warehouse."""
    return str(db_path.resolve()) in _held


def _acquire(db_path: Path, run_id: str) -> int:
    fd = _acquire_probe(db_path)
    info = {"run_id": run_id, "since": datetime.now(timezone.utc).isoformat(timespec="seconds"), "pid": os.getpid()}
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(info).encode())
    return fd


def check_free(db_path: Path) -> None:
    """Raise WarehouseBusy now if another process holds the writer lock (a fast pre-check)."""
    if is_held_here(db_path):
        return
    os.close(_acquire_probe(db_path))


def _acquire_probe(db_path: Path) -> int:
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise WarehouseBusy(f"warehouse busy ({holder(db_path) or 'another process holds ' + str(path)})") from None
    return fd
