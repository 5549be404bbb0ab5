"""One writer per warehouse: an advisory lock file that says which run holds it; typed storage errors."""
from __future__ import annotations

import errno
import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from pipeline.errors import PermanentError, TransientError


class WarehouseBusy(TransientError):
    """Another process is writing the warehouse."""


class WarehouseStorageError(PermanentError):
    """Writing the warehouse's files failed at the operating-system level."""


class WarehouseStorageFull(WarehouseStorageError):
    """The file system holding the warehouse has no space left; committed rows are kept."""


class WarehouseReadOnly(WarehouseStorageError):
    """The warehouse's folder or file cannot be written (read-only file system, permissions, immutable)."""


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def os_storage_error(exc: OSError, path: Path) -> WarehouseStorageError:
    """The typed, one-line error for an OS error met while writing a warehouse file."""
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL:
        return WarehouseStorageFull(f"warehouse storage full: cannot write {path}: {reason}; "
                                    "free space and run again (committed rows are kept)")
    if exc.errno in _READ_ONLY:
        return WarehouseReadOnly(f"warehouse not writable: cannot write {path}: {reason}")
    return WarehouseStorageError(f"warehouse storage error: cannot write {path}: {reason}")


_held: dict[str, int] = {}
_guard = threading.Lock()


def lock_path(db_path: Path) -> Path:
    """The lock file beside the warehouse file."""
    return db_path.with_name(db_path.name + ".lock")


def holder(db_path: Path) -> str:
    """'run R since T (pid P)' from the lock file, or '' when it cannot be read."""
    info = _holder_info(db_path)
    if not info:
        return ""
    return f"run {info.get('run_id', '?')} since {info.get('since', '?')} (pid {info.get('pid', '?')})"


def holder_pid(db_path: Path) -> int | None:
    """The pid the lock file names (the last run that took the lock), or None."""
    pid = _holder_info(db_path).get("pid")
    return pid if isinstance(pid, int) else None


def _holder_info(db_path: Path) -> dict:
    try:
        info = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


@contextmanager
def writer_lock(db_path: Path, run_id: str) -> Iterator[None]:
    """Hold the warehouse's writer lock for a run; re-entrant within one process.

    Refused at once (WarehouseBusy) when another run holds it, or when another process has the
    warehouse file open (DuckDB locks the whole file, even for a read-only reader), so a run fails
    before it fetches anything rather than at its first write.
    """
    key = str(db_path.resolve())
    with _guard:
        if key in _held:
            _held[key] += 1
            fd = None
        else:
            fd = _acquire(db_path, run_id)
            users = file_users(db_path)
            if users:
                os.close(fd)
                raise WarehouseBusy(f"warehouse busy ({user_description(users[0])})")
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
    try:
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(info).encode())
    except OSError as exc:
        os.close(fd)
        raise os_storage_error(exc, lock_path(db_path)) from None
    return fd


def file_users(db_path: Path) -> list[int]:
    """Pids of other processes holding DuckDB's lock on the warehouse file ([] when none, or unknown).

    Read from /proc/locks (Linux) rather than by probing with fcntl: closing a probe descriptor
    would release the POSIX locks this process itself holds on the file through DuckDB.
    """
    try:
        st = os.stat(db_path)
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    pids: list[int] = []
    for line in table.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[1] == "POSIX" and parts[5] == inode and parts[4].isdigit():
            pid = int(parts[4])
            if pid != os.getpid() and pid not in pids:
                pids.append(pid)
    return pids


def user_description(pid: int) -> str:
    """'open in pid P: <command line>; …' for a process that has the warehouse file open."""
    return (f"open in pid {pid}: {command_line(pid) or 'unknown command'}; DuckDB locks the whole file, "
            f"even for a reader: close it, then run again")


def command_line(pid: int) -> str:
    """A process's command line (Linux /proc) on one line, shortened; '' when it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    text = " ".join(" ".join(part.decode("utf-8", "replace").split()) for part in raw.split(b"\0") if part)
    return text if len(text) <= 120 else text[:117] + "..."


def check_free(db_path: Path) -> None:
    """Raise WarehouseBusy now if another process holds the writer lock (a fast pre-check)."""
    if is_held_here(db_path):
        return
    os.close(_acquire_probe(db_path))


def check_writable_now(db_path: Path) -> None:
    """check_free, and also refuse when another process (a reader) has the warehouse file open."""
    check_free(db_path)
    users = file_users(db_path) if db_path.exists() else []
    if users:
        raise WarehouseBusy(f"warehouse busy ({user_description(users[0])})")


def _acquire_probe(db_path: Path) -> int:
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise os_storage_error(exc, path) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise WarehouseBusy(f"warehouse busy ({holder(db_path) or 'another process holds ' + str(path)})") from None
    return fd
