"""Who may do what with report obligations; pure functions returning a Decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import MUNICIPAL_ROLES, SIGNER_ROLES, Role
from casework.permissions import can_view_cases, can_work_cases
from organizations.models import APPLICANT_KINDS


def can_add_obligation(actor: Actor) -> Decision:
    """The reaction "stricter reporting" is the directorate's case handling."""
    if can_work_cases(actor):
        return allow()
    return deny(_("Only the directorate's case officers add a report to a grant."))


def can_view_round_obligations(actor: Actor) -> Decision:
    """The directorate's readers of reports: case handling (officers, administrators,
    auditors) and the finance officers, who pay on accepted reports."""
    if actor.is_directorate and actor.has(Role.FINANCE_OFFICER):
        return allow()
    return can_view_cases(actor)


def organizations_of(actor: Actor) -> list[int]:
    """The organisations whose reports the actor sees as a recipient: those where the
    actor holds a municipal role."""
    return [m.organization.pk for m in actor.memberships if m.roles & MUNICIPAL_ROLES]


def can_view_organization_obligations(actor: Actor, organization) -> Decision:
    if can_view_round_obligations(actor):
        return allow()
    if organization is not None and organization.pk in organizations_of(actor):
        return allow()
    return deny(_("You see the reports of your own organisation only."))


def can_certify_report(actor: Actor, obligation) -> Decision:
    """The organisation's chief executive or a delegated signer certifies its reports,
    like signing an application (the page asks them to confirm who they are first)."""
    if (actor.organization is not None and obligation.organization_id == actor.organization.pk
            and actor.organization.kind in APPLICANT_KINDS and actor.has(*SIGNER_ROLES)):
        return allow()
    return deny(_("Only the organisation's chief executive or a person with delegated "
                  "authority certifies a report."))


def can_review_reports(actor: Actor) -> Decision:
    """Accepting a report or asking for changes is the directorate's case handling."""
    if can_work_cases(actor):
        return allow()
    return deny(_("Only the directorate's case officers accept reports or ask for changes."))


# Who writes a report at the recipient: those who write applications, and the signers.
WRITER_ROLES = (Role.APPLICATION_EDITOR, Role.CHIEF_EXECUTIVE, Role.DELEGATED_SIGNER)


def _own_recipient(actor: Actor, obligation) -> bool:
    return (actor.organization is not None
            and obligation.organization_id == actor.organization.pk
            and actor.organization.kind in APPLICANT_KINDS)


def can_write_report(actor: Actor, obligation) -> Decision:
    """An application editor (or a signer) of the recipient writes its reports."""
    if _own_recipient(actor, obligation) and actor.has(*WRITER_ROLES):
        return allow()
    return deny(_("Only the organisation's application editors and signers write its "
                  "reports."))


def can_approve_accounts(actor: Actor, obligation) -> Decision:
    """The development grant's accounts are approved by the project lead and their
    superior: persons of the recipient who write or sign its reports."""
    if _own_recipient(actor, obligation) and actor.has(*WRITER_ROLES):
        return allow()
    return deny(_("Only the organisation's project lead and their superior approve the "
                  "accounts."))
