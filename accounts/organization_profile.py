"""An organisation's own details, changed by its administrators: the organisation
register (organizations/) is below the users and roles in the house, so changing it as
a user — with permissions, re-authentication and notices — lives here."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from stdnum.no import kontonr

from audit.events import EventType
from audit.services import audit_record
from core.mail import mail_queue
from organizations.models import Organization

from . import permissions
from .actor import Actor
from .roles import Role
from .selectors import organization_contacts


def organization_update_profile(
    *, actor: Actor, organization: Organization, data: dict
) -> Organization:
    """Change the details an organisation keeps itself. A changed payout account is
    audited with the old and new number, told by e-mail to the organisation's chief
    executive(s) and administrators, and marked (``account_changed_at``) so payments to it
    are held for the finance officer's review (``Organization.payout_hold``). The view
    re-authenticates the user first."""
    decision = permissions.can_edit_organization(actor, organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        changed = [name for name, value in data.items() if getattr(organization, name) != value]
        if not changed:
            return organization
        old_account = organization.account_number
        for name in changed:
            setattr(organization, name, data[name])
        update_fields = [*changed, "updated_at"]
        if "account_number" in changed:
            organization.account_changed_at = timezone.now()
            update_fields.append("account_changed_at")
        organization.full_clean()
        organization.save(update_fields=update_fields)
        audit_record(event_type=EventType.ORGANIZATION_UPDATED, actor=actor.user,
                     organization=actor.organization, target=organization,
                     payload={"fields": sorted(changed)})
        if "account_number" in changed:
            audit_record(event_type=EventType.ORGANIZATION_ACCOUNT_CHANGED, actor=actor.user,
                         organization=actor.organization, target=organization,
                         payload={"old": old_account, "new": organization.account_number})
            _notify_account_changed(organization, old_account=old_account, actor=actor)
    return organization


def _notify_account_changed(organization: Organization, *, old_account: str,
                            actor: Actor) -> None:
    """Tell the chief executive(s) and administrators — the one who changed it too, so a
    change from a hijacked session does not go unnoticed."""
    recipients = organization_contacts(
        organization, {Role.CHIEF_EXECUTIVE, Role.MUNICIPALITY_ADMIN}
    )
    for recipient in recipients:
        mail_queue(
            kind="account_changed", to=[recipient.email],
            template="organizations/email/account_changed.txt",
            context={"recipient": recipient, "organization": organization,
                     "old_account": kontonr.format(old_account) if old_account else "",
                     "new_account": organization.account_number_display,
                     "changed_by": actor.user, "hold_until": organization.payout_hold_until()},
            language=recipient.preferred_language or None,
        )
