"""`migrate` on an empty SQLite database creates the tables from the models instead of replaying
every migration (core/management/commands/migrate.py): both paths must give the same database,
table by table, index by index, row by row. A model changed without its migration, or a data
migration that a new database needs but is marked elidable, makes them differ here."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("first_contact")]

PROJECT = Path(__file__).resolve().parents[3]
# When each migration was applied differs; the rest of django_migrations must not.
APPLIED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[.\d]*")


def migrate(database: Path, *options: str) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0", *options],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def table_items(create_table: str) -> set[str]:
    """The column and constraint clauses of a CREATE TABLE, in any order: a migration adds a
    column at the end of its table where the model declares it in the middle."""
    body = create_table[create_table.index("(") + 1 : create_table.rindex(")")]
    items, depth, start = set(), 0, 0
    for position, character in enumerate(body):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "," and depth == 0:
            items.add(body[start:position].strip())
            start = position + 1
    items.add(body[start:].strip())
    return items


def schema(database: Path) -> dict[tuple[str, str], object]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {
        (kind, name): table_items(sql) if kind == "table" and sql else sql
        for kind, name, sql in rows
    }


def contents(database: Path) -> dict[str, list[list[tuple[str, str]]]]:
    """Each table's rows as (column, value) pairs, in any order; SQLite's own counters only
    where they counted something (a table a migration rebuilt has one at zero)."""
    rows = {}
    with sqlite3.connect(database) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]  # fmt: skip
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            columns = [description[0] for description in cursor.description]
            rows[table] = sorted(
                sorted(zip(columns, (APPLIED_AT.sub("", str(value)) for value in row), strict=True))
                for row in cursor
            )
    rows["sqlite_sequence"] = [row for row in rows["sqlite_sequence"] if ("seq", "0") not in row]
    return rows


def test_an_empty_sqlite_database_built_from_the_models_equals_one_migrated_step_by_step(tmp_path):
    built, replayed = tmp_path / "built.sqlite3", tmp_path / "replayed.sqlite3"
    runs = [migrate(built), migrate(replayed, "--replay-migrations")]
    for run in runs:
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 0, output.decode()

    built_schema, replayed_schema = schema(built), schema(replayed)
    assert built_schema.keys() == replayed_schema.keys()
    differing = [key for key in built_schema if built_schema[key] != replayed_schema[key]]
    assert not differing, [(key, built_schema[key], replayed_schema[key]) for key in differing]
    assert contents(built) == contents(replayed)
    # Reference data a new installation needs came through (the CID themes).
    assert len(contents(built)["projects_theme"]) == 4
    assert len(built_schema) > 300


def test_a_first_contact_stopped_half_way_leaves_the_database_empty_for_the_next(tmp_path):
    database = tmp_path / "stopped.sqlite3"
    # The process dies as the last migration is recorded, every table already created.
    crash = (
        "import sys, django; from unittest import mock; django.setup(); "
        "from django.core.management import call_command; "
        "from django.db.migrations.recorder import MigrationRecorder; "
        "real = MigrationRecorder.record_applied; count = [0]\n"
        "def record(self, app, name):\n"
        "    count[0] += 1\n"
        "    if count[0] == 100: raise OSError('the disk is full')\n"
        "    real(self, app, name)\n"
        "with mock.patch.object(MigrationRecorder, 'record_applied', record):\n"
        "    call_command('migrate', verbosity=0)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="pilotage.settings")
    stopped = subprocess.run([sys.executable, "-c", crash], cwd=PROJECT, env=env,
                             capture_output=True, text=True)  # fmt: skip
    assert stopped.returncode != 0 and "the disk is full" in stopped.stderr, stopped.stderr
    assert schema(database) == {}

    run = migrate(database)
    output, _ = run.communicate(timeout=600)
    assert run.returncode == 0, output.decode()
    assert len(contents(database)["projects_theme"]) == 4


def test_a_database_that_holds_tables_is_migrated_step_by_step(tmp_path):
    database = tmp_path / "partial.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE unrelated (id integer)")
    run = migrate(database, "contenttypes")
    output, _ = run.communicate(timeout=600)
    assert run.returncode == 0, output.decode()
    with sqlite3.connect(database) as connection:
        applied = connection.execute("SELECT app FROM django_migrations").fetchall()
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}  # fmt: skip
    assert set(applied) == {("contenttypes",)}
    assert "core_user" not in tables
