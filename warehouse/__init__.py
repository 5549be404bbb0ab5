"""The DuckDB warehouse: migrations, views, the loads (the only code that writes rows), reads."""
