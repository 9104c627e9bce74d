"""Running the migrations to a point and back, for the tests of a data migration (a transactional test)."""

from django.db import connection


def migrate(targets):
    """Migrate to `targets` (a list of (app, migration)) and return the apps of that state; `None` migrates every
    app to its latest migration and returns None."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None
