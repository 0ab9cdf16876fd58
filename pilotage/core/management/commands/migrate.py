"""`migrate`, with a fast first contact: an empty SQLite database (the demo's, a newcomer's) gets
its tables created from the models in one pass and every migration recorded as applied, the way
Django's test runner builds a database when migrations are off and Rails loads `schema.rb`.

Replaying the ~500 operations costs about 30 s, nearly all of it re-rendering the related models
after each operation (each model is linked to the user who recorded it, so nearly all of them).
The two paths give the same database: `core/tests/test_first_contact.py` compares their schemas
and rows. A database holding any table, PostgreSQL (production, the test suite), a partial
migrate or `--replay-migrations` replay every migration as Django does."""

from django.apps import apps
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython, RunSQL

# Options under which the caller asked for something other than "bring this database up to date".
_REPLAYING_OPTIONS = ("app_label", "migration_name", "fake", "plan", "check_unapplied", "prune")


class Command(MigrateCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--replay-migrations",
            action="store_true",
            help="On an empty SQLite database too, apply every migration one by one.",
        )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if _builds_from_models(connection, options):
            self.verbosity = options["verbosity"]  # what sync_apps reads; super() sets it later
            self._create_from_models(connection)
        super().handle(*args, **options)

    def _create_from_models(self, connection) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if self.verbosity >= 1:
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    "Empty SQLite database: creating its tables from the models"
                )
            )
        # One transaction (SQLite rolls schema changes back too): whatever stops it half-way
        # leaves the database empty, so the next `migrate` starts again, never on half a schema.
        with connection.schema_editor() as editor:
            self.sync_apps(connection, executor.loader.migrated_apps)
            # The data operations see the models as the migrations leave them, as a replay's
            # last operations would: without the live models' signals (history, audit).
            state = executor.loader.project_state()
            for migration, _backwards in plan:
                for operation in migration.operations:
                    if _a_new_database_needs(migration.app_label, operation):
                        operation.database_forwards(migration.app_label, editor, state, state)
            executor.recorder.ensure_schema()
            for migration, _backwards in plan:
                executor.record_migration(migration)


def _builds_from_models(connection, options) -> bool:
    if options["replay_migrations"] or any(options.get(name) for name in _REPLAYING_OPTIONS):
        return False
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _a_new_database_needs(app_label: str, operation) -> bool:
    """Our data and trigger operations that are not elidable (reference data such as the CID
    themes, the ledger's trigger); elidable ones only rewrite existing rows, which a new database
    has none of. Those of third-party apps rewrite existing rows too (the test's comparison of
    rows holds them to it), and were written against models that no longer exist."""
    return (
        isinstance(operation, RunPython | RunSQL)
        and not operation.elidable
        and apps.get_app_config(app_label).name.startswith("pilotage.")
    )
