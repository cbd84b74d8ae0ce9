from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import SIGNER_ROLES, Role
from organizations.models import APPLICANT_KINDS


def _applicant(actor: Actor) -> bool:
    return actor.organization is not None and actor.organization.kind in APPLICANT_KINDS


def can_view_applications(actor: Actor) -> Decision:
    if _applicant(actor) and actor.has(Role.APPLICATION_EDITOR, Role.MUNICIPALITY_ADMIN,
                                       *SIGNER_ROLES):
        return allow()
    return deny(_("Only the organisation's editors, signers and administrators see its "
                  "applications."))


def can_edit_applications(actor: Actor) -> Decision:
    if _applicant(actor) and actor.has(Role.APPLICATION_EDITOR):
        return allow()
    return deny(_("Only application editors write applications."))


def can_sign_applications(actor: Actor) -> Decision:
    if _applicant(actor) and actor.has(*SIGNER_ROLES):
        return allow()
    return deny(_("Only the chief executive or a person with delegated authority signs."))


def can_register_late(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.CASE_OFFICER, Role.SYSTEM_ADMIN):
        return allow()
    return deny(_("Only the directorate's case officers register late applications."))


def can_answer_partnership(actor: Actor) -> Decision:
    """A partner's chief executive, delegated signer or administrator answers whether the
    organisation accepts being named in another's joint application."""
    if _applicant(actor) and actor.has(Role.MUNICIPALITY_ADMIN, *SIGNER_ROLES):
        return allow()
    return deny(_("Only the partner's chief executive, a delegate or an administrator "
                  "answers for the organisation."))
