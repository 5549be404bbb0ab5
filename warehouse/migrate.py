"""Versioned, checksummed migrations, each applied in one explicit transaction."""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from pipeline.errors import PermanentError

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(PermanentError):
    """A migration failed, or an applied one was edited."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One migration file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the file's text."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def bundled_migrations() -> list[Migration]:
    """The migrations shipped with the package, in version order."""
    folder = resources.files("warehouse") / "migrations"
    found = [(m, f) for f in folder.iterdir() if (m := _NAME.match(f.name))]
    return sorted((Migration(int(m.group(1)), f.name, f.read_text(encoding="utf-8")) for m, f in found),
                  key=lambda mig: mig.version)


def migrate(con: duckdb.DuckDBPyConnection, migrations: list[Migration] | None = None) -> list[str]:
    """Apply what is missing; refuse if an applied migration's checksum changed."""
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now())""")
    applied = dict(con.execute("SELECT version, checksum FROM schema_migrations").fetchall())
    done: list[str] = []
    for migration in migrations if migrations is not None else bundled_migrations():
        if migration.version in applied:
            _check_unchanged(migration, applied[migration.version])
            continue
        _apply(con, migration)
        done.append(migration.name)
    return done


def _check_unchanged(migration: Migration, checksum: str) -> None:
    if checksum != migration.checksum:
        raise MigrationError(f"migration {migration.name} was changed after it was applied "
                             f"(checksum {checksum[:12]} in the warehouse, {migration.checksum[:12]} on disk)")


def _apply(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(migration.sql)
        con.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                    [migration.version, migration.name, migration.checksum])
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise MigrationError(f"migration {migration.name} failed and was rolled back: {exc}") from exc
    log.info("applied migration %s", migration.name)
