"""Module-level functions for IsolatedPool tests (workers import their target by module path)."""
from __future__ import annotations

import os
import time


def behave(action: str, value: int = 0) -> object:
    """Do what the test asks inside a worker: return, sleep, allocate, raise or die."""
    if action == "echo":
        return value
    if action == "pid":
        return os.getpid()
    if action == "sleep":
        time.sleep(value)
        return value
    if action == "allocate":
        block = bytearray(value * 2**20)  # MiB; fails with MemoryError under the worker's address-space cap
        return len(block)
    if action == "raise":
        raise ValueError(f"bad input {value}")
    if action == "exit":
        os._exit(value)
    if action == "unpicklable":
        return lambda: None
    raise AssertionError(f"unknown action {action!r}")
