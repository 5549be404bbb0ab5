"""Migrations: versioned, checksummed, each in one transaction."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.migrate import Migration, MigrationError, bundled_migrations, migrate


def test_bundled_migrations_create_the_public_tables(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        applied = migrate(con)
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert applied == [m.name for m in bundled_migrations()]
    assert {"outlets", "articles", "runs", "feeds", "fetch_attempts", "feed_entries", "pages"} <= tables


def test_second_migrate_applies_nothing(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        migrate(con)
        assert migrate(con) == []
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(bundled_migrations())


def test_edited_applied_migration_is_refused(tmp_path: Path) -> None:
    first = Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        migrate(con, [first])
        with pytest.raises(MigrationError, match="0001_a.sql was changed"):
            migrate(con, [Migration(1, "0001_a.sql", "CREATE TABLE a (x BIGINT);")])


def test_failed_migration_leaves_no_trace(tmp_path: Path) -> None:
    bad = Migration(2, "0002_bad.sql", "CREATE TABLE b (x INTEGER); CREATE TABLE c (y INTEGER); SELECT nope FROM b;")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        migrate(con, [Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")])
        with pytest.raises(MigrationError, match="0002_bad.sql failed and was rolled back"):
            migrate(con, [Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"), bad])
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()]
    assert "b" not in tables and "c" not in tables
    assert versions == [1]
