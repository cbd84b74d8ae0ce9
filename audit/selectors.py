from __future__ import annotations

import datetime

from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_search(
    *,
    event_type: str = "",
    actor_id: int | None = None,
    organization_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "actor_organization")
    if event_type:
        events = events.filter(event_type=event_type)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if organization_id:
        events = events.filter(actor_organization_id=organization_id)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events
