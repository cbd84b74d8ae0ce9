"""Who may do what with the money; pure functions returning a Decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import Role


def can_view_finance(actor: Actor) -> Decision:
    """The finance section: the finance officers; auditors and system administrators
    read."""
    if actor.is_directorate and actor.has(Role.FINANCE_OFFICER, Role.AUDITOR,
                                          Role.SYSTEM_ADMIN):
        return allow()
    return deny(_("The finance section is for the directorate's finance officers and "
                  "auditors."))


def can_manage_payments(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.FINANCE_OFFICER):
        return allow()
    return deny(_("Only the directorate's finance officers handle payments."))


def can_approve_run(actor: Actor, run) -> Decision:
    """Four eyes: another finance officer than the one who made the run."""
    allowed = can_manage_payments(actor)
    if not allowed:
        return allowed
    if run.created_by_id == actor.user.pk:
        return deny(_("A payment run is approved by another finance officer than the one "
                      "who made it."))
    return allow()


def can_propose_reaction(actor: Actor) -> Decision:
    """Holding back or claiming back is the directorate's: case and finance officers."""
    if actor.is_directorate and actor.has(Role.CASE_OFFICER, Role.FINANCE_OFFICER):
        return allow()
    return deny(_("Only the directorate's case officers and finance officers propose a "
                  "hold-back or a claw-back."))


def can_approve_reaction(actor: Actor, reaction) -> Decision:
    """Four eyes: another officer than the one who proposed it."""
    allowed = can_propose_reaction(actor)
    if not allowed:
        return allowed
    if reaction.proposed_by_id == actor.user.pk:
        return deny(_("A hold-back or claw-back is approved by another officer than the one "
                      "who proposed it."))
    return allow()
