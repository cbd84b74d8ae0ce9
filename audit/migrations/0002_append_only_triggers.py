"""The database itself refuses to change or delete audit events.

PostgreSQL: triggers raise on UPDATE, DELETE and TRUNCATE — for every role, unless a
*superuser* has put a row in ``audit_maintenance`` (a deliberate maintenance purge; the
application's own role is never a superuser, see docs/operations.md).
SQLite (development): the same triggers, gated on ``audit_maintenance`` alone.

``audit_maintenance`` is not a Django model, so no flush or ORM call touches it. The
test suite uses it (tests/conftest.py) to let Django empty the database between
browser tests.
"""

from django.db import migrations

PG_FORWARD = """
CREATE TABLE audit_maintenance (reason varchar(200) NOT NULL);
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_maintenance)
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_refuse_change();
DROP TABLE IF EXISTS audit_maintenance;
"""
SQLITE_FORWARD = [
    "CREATE TABLE audit_maintenance (reason varchar(200) NOT NULL);",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (UPDATE refused)'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (DELETE refused)'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    "DROP TABLE IF EXISTS audit_maintenance;",
]


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
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
