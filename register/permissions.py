"""Who may do what in the participant register: pure functions returning a Decision.

The seed's municipal roles (seed 000 §Hvem har tilgang til hva): the municipality
administrator manages users and roles; the register user (kommunebruker) creates,
changes, deletes, reads, submits and downloads the own municipality's participants.
The directorate sees no participant rows except pseudonymised ones (analysts).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import Role
from organizations.models import OrganizationKind

from .selectors import agreement_current

# Jobbsjansen is run by municipalities and Oslo's city districts (seed 000 §Hvem kan søke).
REGISTER_KINDS = frozenset({OrganizationKind.MUNICIPALITY, OrganizationKind.CITY_DISTRICT})


def _municipal(actor: Actor) -> bool:
    return actor.organization is not None and actor.organization.kind in REGISTER_KINDS


def can_use_register(actor: Actor) -> Decision:
    """Read, change, delete, submit and download the own municipality's participants."""
    if actor.has(Role.REGISTER_USER) and _municipal(actor):
        return allow()
    return deny(_("Only register users of a municipality work with its participants."))


def can_view_register_home(actor: Actor) -> Decision:
    if _municipal(actor) and actor.has(Role.REGISTER_USER, Role.MUNICIPALITY_ADMIN):
        return allow()
    return deny(_("The participant register is for the municipality's register users and "
                  "administrators."))


def can_register_participants(actor: Actor) -> Decision:
    decision = can_use_register(actor)
    if not decision:
        return decision
    if agreement_current(actor.organization) is None:
        return deny(_("The municipality has no signed data processing agreement with the "
                      "directorate, so participants cannot be registered yet."))
    return allow()


def can_view_access_log(actor: Actor) -> Decision:
    if actor.has(Role.MUNICIPALITY_ADMIN) and _municipal(actor):
        return allow()
    return deny(_("Only the municipality administrator sees who looked at the participants."))


def can_manage_agreements(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.SYSTEM_ADMIN):
        return allow()
    return deny(_("Only the directorate's system administrators record data processing "
                  "agreements."))


def can_view_submissions(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.SYSTEM_ADMIN, Role.CASE_OFFICER, Role.ANALYST,
                                          Role.AUDITOR):
        return allow()
    return deny(_("Only the directorate follows the municipalities' submissions."))


def can_view_pseudonymised(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.ANALYST):
        return allow()
    return deny(_("Only the directorate's analysts see the register's pseudonymised data."))


def can_move_participants(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.SYSTEM_ADMIN):
        return allow()
    return deny(_("Only the directorate's system administrators move participants between "
                  "municipalities."))
