"""Views: rebuilt from warehouse/views/*.sql (in file order) every time the warehouse is opened for writing."""
from __future__ import annotations

from importlib import resources

import duckdb


def view_files() -> list[tuple[str, str]]:
    """(name, SQL) of every view file, in order."""
    folder = resources.files("warehouse") / "views"
    return sorted((f.name, f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".sql"))


def rebuild_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every view, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for _name, sql in view_files():
            con.execute(sql)
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
