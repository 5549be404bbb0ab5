"""What every `parallax` command shares: the --db and --data-dir options, and the one-line error."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

DbOption = Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default: $PARALLAX_DB or ./parallax-data/warehouse.duckdb).")]
DataOption = Annotated[Optional[Path], typer.Option("--data-dir", help="Data folder (default: $PARALLAX_HOME or ./parallax-data).")]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one error line and exit non-zero."""
    typer.echo(f"parallax: error: {message}", err=True)
    raise typer.Exit(code)
