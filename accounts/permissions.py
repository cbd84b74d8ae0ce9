"""Permissions as pure functions: each returns a Decision (allowed, reason).

Deny by default: a function allows only when a rule below says yes, and its reason
says why not otherwise, so a page can explain a missing button.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .actor import Actor
from .roles import (
    DIRECTORATE_ROLES,
    MUNICIPAL_ROLES,
    SIGNER_ROLES,
    Role,
    roles_for_organization_kind,
)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def allow() -> Decision:
    return Decision(True)


def deny(reason) -> Decision:
    return Decision(False, str(reason))


def _is_system_admin(actor: Actor) -> bool:
    return actor.is_directorate and actor.has(Role.SYSTEM_ADMIN)


def is_logged_in(actor: Actor) -> Decision:
    return allow() if actor.is_authenticated else deny(_("You must log in."))


def has_any_role(actor: Actor) -> Decision:
    if not actor.is_authenticated:
        return deny(_("You must log in."))
    if actor.organization is None or not actor.roles:
        return deny(_("You have no role in any organisation. Ask your administrator."))
    return allow()


def can_manage_users(actor: Actor) -> Decision:
    if _is_system_admin(actor):
        return allow()
    if actor.has(Role.MUNICIPALITY_ADMIN) and actor.organization is not None:
        return allow()
    return deny(_("Only administrators can manage users."))


def can_manage_roles_in(actor: Actor, organization: Organization) -> Decision:
    if _is_system_admin(actor):
        return allow()
    if actor.has(Role.MUNICIPALITY_ADMIN) and actor.organization == organization:
        return allow()
    return deny(_("You can only manage users and roles in your own organisation."))


# Roles nobody may give themselves (separation of duties): access to the participant
# register is granted by another person, so that the one who reads the access log is not
# the one who opened it; and the right to sign for the organisation is granted by another
# person, so that the administrator who manages users cannot also write, sign and accept
# on her own.
NO_SELF_GRANT = frozenset({Role.REGISTER_USER}) | SIGNER_ROLES


def self_grant_refusal(role: str) -> str:
    if role in SIGNER_ROLES:
        return str(_("You cannot give yourself the right to sign for the organisation. "
                     "Another administrator must grant it."))
    return str(_("You cannot give yourself access to the participant register. Another "
                 "administrator must grant it."))


def can_grant_role(actor: Actor, organization: Organization, role: str, *,
                   user=None) -> Decision:
    decision = can_manage_roles_in(actor, organization)
    if not decision:
        return decision
    if user is not None and user == actor.user and role in NO_SELF_GRANT:
        return deny(self_grant_refusal(role))
    if role not in roles_for_organization_kind(organization.kind):
        return deny(_("This role cannot be held in this kind of organisation."))
    if role in DIRECTORATE_ROLES and not _is_system_admin(actor):
        return deny(_("Only the directorate's system administrators grant directorate roles."))
    if role in MUNICIPAL_ROLES or _is_system_admin(actor):
        return allow()
    return deny(_("You cannot grant this role."))


def can_deactivate_account(actor: Actor, user) -> Decision:
    if not _is_system_admin(actor):
        return deny(_("Only the directorate's system administrators can deactivate an account; "
                      "you can remove the user's roles in your organisation."))
    if actor.user == user:
        return deny(_("You cannot deactivate your own account."))
    return allow()


def can_reset_two_factor(actor: Actor, user) -> Decision:
    if actor.user == user:
        return deny(_("Ask another administrator to reset your own two-factor authentication."))
    return can_deactivate_account(actor, user) if _is_system_admin(actor) else deny(
        _("Only the directorate's system administrators can reset two-factor authentication.")
    )


def can_view_signers(actor: Actor) -> Decision:
    """Who holds the right to sign where: for the directorate's administrators, case
    officers (who check who signed an application) and auditors."""
    if actor.is_directorate and actor.has(Role.SYSTEM_ADMIN, Role.CASE_OFFICER, Role.AUDITOR):
        return allow()
    return deny(_("Only the directorate sees who holds signing roles in every organisation."))


def can_view_audit_log(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.SYSTEM_ADMIN, Role.AUDITOR):
        return allow()
    return deny(_("Only the directorate's administrators and auditors can read the audit log."))


def can_list_organizations(actor: Actor) -> Decision:
    if actor.is_directorate:
        return allow()
    return deny(_("Only the directorate sees the list of all organisations."))


def can_view_organization(actor: Actor, organization: Organization) -> Decision:
    if actor.is_directorate:
        return allow()
    if actor.organization == organization and actor.roles:
        return allow()
    return deny(_("You can only see your own organisation."))


def can_edit_organization(actor: Actor, organization: Organization) -> Decision:
    if _is_system_admin(actor):
        return allow()
    if actor.has(Role.MUNICIPALITY_ADMIN) and actor.organization == organization:
        return allow()
    return deny(_("Only the organisation's administrator can change its details."))


def can_view_outbox(actor: Actor) -> Decision:
    if _is_system_admin(actor):
        return allow()
    return deny(_("Only the directorate's system administrators can read the outbox."))
