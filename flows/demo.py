"""The demo: the bundled world served on loopback, run night by night (or all at once)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from demo.server import DEMO_FAULTS, DemoWorld
from demo.world import demo_nights


@contextmanager
def demo_config(data_dir: Path) -> Iterator[Path]:
    """Serve the whole demo world on 127.0.0.1 and yield a config file pointing at it."""
    with DemoWorld(faults=DEMO_FAULTS) as world:
        yield world.write_config(data_dir / "demo-outlets.toml", min_gap_s=0.0)


def run_demo(data_dir: Path, run_night: Callable[[Path, datetime], dict]) -> list[dict]:
    """Run one night per day of the demo world; articles appear on the nights of their dates."""
    results = []
    with DemoWorld(faults=DEMO_FAULTS) as world:
        config = world.write_config(data_dir / "demo-outlets.toml", min_gap_s=0.0)
        for night in demo_nights(world.corpus):
            world.as_of = night
            results.append(run_night(config, night))
    return results
