from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import permissions
from accounts.actor import Actor
from audit.events import EventType
from audit.services import audit_record

from .models import Organization


def organization_update_profile(
    *, actor: Actor, organization: Organization, data: dict
) -> Organization:
    decision = permissions.can_edit_organization(actor, organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        changed = [name for name, value in data.items() if getattr(organization, name) != value]
        if not changed:
            return organization
        for name in changed:
            setattr(organization, name, data[name])
        organization.full_clean()
        organization.save(update_fields=[*changed, "updated_at"])
        audit_record(event_type=EventType.ORGANIZATION_UPDATED, actor=actor.user,
                     organization=actor.organization, target=organization,
                     payload={"fields": sorted(changed)})
    return organization
