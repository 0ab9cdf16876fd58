"""The journal is append-only in the database too: on PostgreSQL a trigger refuses UPDATE and DELETE
of ledger entries, whatever code path tries (SQLite, the demo database, relies on the services)."""

from django.db import migrations

FORBID = """
CREATE FUNCTION fund_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'fund_entry is append-only: record a reversing entry instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER fund_entry_append_only BEFORE UPDATE OR DELETE ON fund_entry
    FOR EACH ROW EXECUTE FUNCTION fund_entry_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS fund_entry_append_only ON fund_entry;
DROP FUNCTION IF EXISTS fund_entry_append_only();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [migrations.RunPython(forbid, allow)]
