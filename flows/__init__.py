"""The composition root: Prefect flows and tasks, settings, the CLI."""
