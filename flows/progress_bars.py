"""Progress bars for the CLI, fed by flows.progress."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows import progress

_LABELS = {"feeds": "fetching feeds", "pages": "fetching pages", "extract": "extracting articles",
           "archive": "loading archive"}


@contextmanager
def stage_progress(*, enabled: bool = True) -> Iterator[None]:
    """Show one bar per stage while the block runs (on stderr)."""
    if not enabled:
        yield
        return
    bars = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=False, console=Console(stderr=True))
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(_LABELS.get(stage, stage), total=max(total, 1))
        bars.update(tasks[stage], completed=done if total else 1, total=max(total, 1))

    progress.listen(update)
    try:
        with bars:
            yield
    finally:
        progress.forget(update)
