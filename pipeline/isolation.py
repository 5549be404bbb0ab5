"""Running a function in killable worker processes, each call with a deadline and a memory cap.

Workers are plain `python -m pipeline.isolation` subprocesses talking over a pipe, so they
never re-import the caller's __main__ (as multiprocessing's spawn does) and can be killed
at any time without harm to the parent.
"""
from __future__ import annotations

import importlib
import logging
import os
import resource
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K")
Call = tuple[Any, tuple[Any, ...], dict[str, Any]]
_READY = "ready"
_STARTUP_ALLOWANCE_S = 60.0


@dataclass(frozen=True, slots=True)
class Failed:
    """A call that did not return: its short reason."""

    reason: str


@dataclass(slots=True)
class _Worker:
    process: subprocess.Popen
    to_worker: Connection
    from_worker: Connection
    key: Any = None
    started: float = 0.0
    ready: bool = False

    @property
    def busy(self) -> bool:
        return self.started > 0


def target_name(fn: Callable[..., Any]) -> str:
    """'module:qualname' of a module-level function."""
    return f"{fn.__module__}:{fn.__qualname__}"


def _resolve(name: str) -> Callable[..., Any]:
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


class IsolatedPool(Generic[K]):
    """A pool whose calls can be abandoned: an overdue or dead worker is killed and replaced."""

    def __init__(self, fn: Callable[..., Any], *, workers: int, deadline_s: float, memory_mb: int) -> None:
        self._target = target_name(fn)
        self._size = workers
        self._deadline_s = deadline_s
        self._memory_mb = memory_mb
        self._workers: list[_Worker] = []
        self.killed = 0

    def __enter__(self) -> "IsolatedPool[K]":
        self._workers = [self._spawn() for _ in range(self._size)]
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self._workers:
            self._stop(worker)
        self._workers = []

    def _spawn(self) -> _Worker:
        read_req, write_req = os.pipe()
        read_res, write_res = os.pipe()
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.isolation", self._target, str(self._memory_mb),
             str(read_req), str(write_res)],
            pass_fds=(read_req, write_res), stdin=subprocess.DEVNULL, close_fds=True, env=_child_env())
        os.close(read_req)
        os.close(write_res)
        return _Worker(process=process, to_worker=Connection(write_req, readable=False),
                       from_worker=Connection(read_res, writable=False))

    def _stop(self, worker: _Worker) -> None:
        try:
            worker.to_worker.send(None)
            worker.process.wait(timeout=2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            worker.process.kill()
            worker.process.wait()
        worker.to_worker.close()
        worker.from_worker.close()

    def run(self, calls: Iterable[Call]) -> Iterator[tuple[K, Any]]:
        """Yield (key, result or Failed) for every call, in completion order."""
        pending: deque[Call] = deque(calls)
        while pending or any(w.busy for w in self._workers):
            self._dispatch(pending)
            yield from self._collect()

    def _dispatch(self, pending: deque[Call]) -> None:
        for index, worker in enumerate(self._workers):
            if worker.busy or not pending:
                continue
            key, args, kwargs = pending.popleft()
            worker.key, worker.started = key, time.monotonic()
            try:
                worker.to_worker.send((key, args, kwargs))
            except (OSError, ValueError):
                pending.appendleft((key, args, kwargs))
                self._workers[index] = self._respawn(worker)

    def _collect(self) -> Iterator[tuple[K, Any]]:
        busy = [w for w in self._workers if w.busy]
        ready = wait([w.from_worker for w in busy], timeout=self._next_timeout(busy))
        for worker in busy:
            if worker.from_worker in ready:
                yield from self._receive(worker)
            elif time.monotonic() - worker.started > self._limit(worker):
                yield self._replace(worker, "deadline")

    def _limit(self, worker: _Worker) -> float:
        """A call's deadline counts from the moment its worker is ready, not from its start-up."""
        return self._deadline_s if worker.ready else self._deadline_s + _STARTUP_ALLOWANCE_S

    def _next_timeout(self, busy: list[_Worker]) -> float:
        now = time.monotonic()
        return max(0.0, min(w.started + self._limit(w) - now for w in busy)) + 0.01

    def _receive(self, worker: _Worker) -> Iterator[tuple[K, Any]]:
        try:
            message = worker.from_worker.recv()
        except (EOFError, OSError):
            yield self._replace(worker, "worker_died")
            return
        if message == _READY:  # the target is imported: the call's clock starts now
            worker.ready, worker.started = True, time.monotonic()
            return
        key, ok, value = message
        worker.key, worker.started = None, 0.0
        yield key, (value if ok else Failed(value))

    def _replace(self, worker: _Worker, reason: str) -> tuple[K, Any]:
        key = worker.key
        log.warning("abandoning call %r: %s", key, reason)
        self.killed += 1
        self._workers[self._workers.index(worker)] = self._respawn(worker)
        return key, Failed(reason)

    def _respawn(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.wait()
        worker.to_worker.close()
        worker.from_worker.close()
        return self._spawn()


def _child_env() -> dict[str, str]:
    """The parent's environment, with its import path, so the worker finds the same modules."""
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    return os.environ | {"PYTHONPATH": os.pathsep.join(paths)}


def _serve(fn: Callable[..., Any], requests: Connection, results: Connection) -> None:
    """Answer calls until told to stop; any library error becomes data."""
    while True:
        try:
            message = requests.recv()
        except EOFError:
            return
        if message is None:
            return
        key, args, kwargs = message
        try:
            results.send((key, True, fn(*args, **kwargs)))
        except MemoryError:
            results.send((key, False, "memory_limit"))
        except Exception as exc:  # the per-item boundary
            results.send((key, False, f"error: {type(exc).__name__}: {exc}"[:300]))


def main(argv: list[str]) -> None:
    """Worker entry point: target, memory cap in MB, request fd, result fd."""
    target, memory_mb, read_fd, write_fd = argv
    limit = int(memory_mb) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.dup2(2, 1)  # stray prints from libraries go to stderr, never into the channel
    fn = _resolve(target)
    results = Connection(int(write_fd), readable=False)
    results.send(_READY)
    _serve(fn, Connection(int(read_fd), writable=False), results)


if __name__ == "__main__":
    main(sys.argv[1:])
