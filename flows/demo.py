"""The embedded default: the bundled demo world served on loopback for one run."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from demo.server import DemoWorld


@contextmanager
def demo_config(data_dir: Path) -> Iterator[Path]:
    """Serve the demo outlets on 127.0.0.1 and yield a config file pointing at them."""
    with DemoWorld() as world:
        yield world.write_config(data_dir / "demo-outlets.toml", min_gap_s=0.0)
