"""Where Parallax keeps its files, and the environment Prefect must see before import."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "PARALLAX_HOME"
DB_ENV = "PARALLAX_DB"
CONFIG_ENV = "PARALLAX_CONFIG"
DEFAULT_DATA_DIR = "parallax-data"


@dataclass(frozen=True, slots=True, kw_only=True)
class Paths:
    """The files of one Parallax installation."""

    data_dir: Path
    db: Path
    reports: Path
    prefect_home: Path


def resolve_paths(db: str | Path | None = None, data_dir: str | Path | None = None) -> Paths:
    """Everything under one data folder (./parallax-data by default); --db/PARALLAX_DB moves the warehouse."""
    base = Path(data_dir or os.environ.get(DATA_DIR_ENV) or Path.cwd() / DEFAULT_DATA_DIR).absolute()
    warehouse = Path(db or os.environ.get(DB_ENV) or base / "warehouse.duckdb").absolute()
    return Paths(data_dir=base, db=warehouse, reports=base / "reports", prefect_home=base / "prefect")


def prepare_environment(paths: Paths) -> None:
    """Point Prefect at the data folder and turn telemetry off; call before importing prefect."""
    os.environ.setdefault("PREFECT_HOME", str(paths.prefect_home))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_UI_ENABLED", "false")
    paths.prefect_home.mkdir(parents=True, exist_ok=True)
