"""The database itself refuses to change or delete ledger entries and their lines, as for
the audit log (audit migration 0002): a correction is a reversal, never an edit.

PostgreSQL: triggers raise on UPDATE, DELETE and TRUNCATE unless a *superuser* has put a
row in ``audit_maintenance`` (a deliberate maintenance purge; the test suite uses it to
empty the database between browser tests). SQLite (development): the same, gated on
``audit_maintenance`` alone."""

from django.db import migrations

TABLES = ("finance_journalentry", "finance_journalline")

PG_FORWARD = """
CREATE OR REPLACE FUNCTION finance_journal_refuse_change() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_maintenance)
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
""" + "".join(f"""
CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION finance_journal_refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION finance_journal_refuse_change();
""" for table in TABLES)  # noqa: S608 (constant table names, no input)

PG_BACKWARD = "".join(f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};
""" for table in TABLES) + "DROP FUNCTION IF EXISTS finance_journal_refuse_change();"

SQLITE_FORWARD = [statement for table in TABLES for statement in (
    f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN SELECT RAISE(ABORT, '{table} is append-only (UPDATE refused)'); END;""",  # noqa: S608
    f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN SELECT RAISE(ABORT, '{table} is append-only (DELETE refused)'); END;""")]  # noqa: S608
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for table in TABLES
                   for op in ("update", "delete")]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial"), ("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forward, backward)]
