"""Writing audit events. Call ``record`` inside the transaction of the change it logs."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model

from core.request_context import current_request_id

from .events import MAX_PAYLOAD_STRING, SPECS, EventType
from .models import AuditEvent


class AuditPayloadError(ValueError):
    pass


def _check_payload(event_type: str, payload: dict[str, Any]) -> None:
    allowed = SPECS[event_type].payload_keys
    unknown = set(payload) - allowed
    if unknown:
        raise AuditPayloadError(
            f"Payload keys {sorted(unknown)} are not declared for {event_type}."
        )
    for key, value in payload.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if not isinstance(item, int | bool | str | None):
                raise AuditPayloadError(f"Payload value for {key!r} must be a scalar.")
            if isinstance(item, str) and len(item) > MAX_PAYLOAD_STRING:
                raise AuditPayloadError(f"Payload value for {key!r} is too long.")


def audit_record(
    *,
    event_type: EventType | str,
    actor=None,
    organization=None,
    target: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run in the same transaction as the change it describes."""
    payload = dict(payload or {})
    _check_payload(str(event_type), payload)
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        # An event without its change (or a change without its event) is what this log
        # exists to prevent; refuse to write outside a transaction.
        raise transaction.TransactionManagementError(
            "audit_record must be called inside transaction.atomic()"
        )
    return AuditEvent.objects.create(
        event_type=str(event_type),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_organization=organization,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        payload=payload,
        request_id=current_request_id() or "",
    )
