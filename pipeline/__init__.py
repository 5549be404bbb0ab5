"""Parallax's library: pure stages over typed records (no Prefect, no DuckDB)."""
