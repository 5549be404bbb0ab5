"""A place for stages to say how far they are; the CLI listens and draws progress bars."""
from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, int, int], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Receive (stage, done, total) updates."""
    _listeners.append(listener)


def forget(listener: Listener) -> None:
    """Stop receiving updates."""
    if listener in _listeners:
        _listeners.remove(listener)


def advance(stage: str, done: int, total: int) -> None:
    """Tell listeners that `done` of `total` items of a stage are finished."""
    for listener in list(_listeners):
        listener(stage, done, total)
