"""Alembic's entry point, run by assistant.records.migrate.upgrade."""

from alembic import context

from assistant.records.migrate import run_in_alembic_context

# pytest --doctest-modules imports every file; only a migration run sets up alembic's context.
if hasattr(context, "config"):
    run_in_alembic_context(context)
