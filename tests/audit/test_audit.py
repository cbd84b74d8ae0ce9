import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.events import SPECS, EventType
from audit.models import AuditEvent, AuditLogIsAppendOnly
from audit.services import AuditPayloadError, audit_record
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def _event(**payload):
    with transaction.atomic():
        return audit_record(event_type=EventType.LOGOUT, payload=payload)


def test_every_event_type_declares_its_payload():
    assert set(SPECS) == set(EventType.values)


def test_undeclared_payload_keys_are_refused():
    with pytest.raises(AuditPayloadError):
        _event(name="Kari Nordmann")


def test_payload_values_must_be_small_scalars():
    with transaction.atomic(), pytest.raises(AuditPayloadError):
        audit_record(event_type=EventType.ORGANIZATION_UPDATED, payload={"fields": [{"a": 1}]})


@pytest.mark.django_db(transaction=True)
def test_events_are_written_only_inside_the_changes_transaction(purgeable_audit):
    before = AuditEvent.objects.count()
    with pytest.raises(transaction.TransactionManagementError):
        audit_record(event_type=EventType.LOGOUT)
    assert AuditEvent.objects.count() == before


def test_the_model_refuses_updates_and_deletes():
    event = _event()
    event.event_type = EventType.LOGIN_SUCCEEDED
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()


def test_the_database_itself_refuses_updates_and_deletes():
    """On PostgreSQL (and SQLite) a trigger refuses UPDATE and DELETE — even raw SQL, even
    through a bulk queryset call that bypasses the model."""
    event = _event()
    for statement in (
        f"UPDATE audit_auditevent SET event_type = 'x' WHERE id = {event.pk}",
        f"DELETE FROM audit_auditevent WHERE id = {event.pk}",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(event_type="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).event_type == EventType.LOGOUT


def test_emptying_the_whole_log_is_refused():
    """TRUNCATE on PostgreSQL; SQLite has none, and its whole-table DELETE fires the trigger."""
    _event()
    statement = ("TRUNCATE audit_auditevent" if connection.vendor == "postgresql"
                 else "DELETE FROM audit_auditevent")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.exists()


def test_the_search_page_filters(client, users):
    login_as(client, "ingrid.admin")
    _event()
    response = client.get(reverse("audit:search"), {"event_type": "auth.logout"})
    assert response.status_code == 200
    assert {e.event_type for e in response.context["page"]} == {"auth.logout"}
    bad = client.get(reverse("audit:search"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "date_to" in bad.context["form"].errors


def test_the_search_page_is_for_administrators_and_auditors_only(client):
    login_as(client, "lars.revisor")
    assert client.get(reverse("audit:search")).status_code == 200
    login_as(client, "ola.saksbehandler")
    assert client.get(reverse("audit:search")).status_code == 403
    login_as(client, "mona.kommuneadmin")
    assert client.get(reverse("audit:search")).status_code == 403
