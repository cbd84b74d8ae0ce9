"""Roles. Every role is held in one organisation; a person may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import APPLICANT_KINDS, DIRECTORATE_KINDS


class Role(models.TextChoices):
    # The directorate
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    CASE_OFFICER = "case_officer", _("Case officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor (read only)")
    # Municipalities, city districts and counties
    MUNICIPALITY_ADMIN = "municipality_admin", _("Municipality administrator")
    REGISTER_USER = "register_user", _("Register user")
    APPLICATION_EDITOR = "application_editor", _("Application editor")
    CHIEF_EXECUTIVE = "chief_executive", _("Chief executive (signs)")
    DELEGATED_SIGNER = "delegated_signer", _("Delegated signer")


DIRECTORATE_ROLES = frozenset(
    {Role.SYSTEM_ADMIN, Role.CASE_OFFICER, Role.FINANCE_OFFICER, Role.ANALYST, Role.AUDITOR}
)
MUNICIPAL_ROLES = frozenset(
    {
        Role.MUNICIPALITY_ADMIN,
        Role.REGISTER_USER,
        Role.APPLICATION_EDITOR,
        Role.CHIEF_EXECUTIVE,
        Role.DELEGATED_SIGNER,
    }
)
SIGNER_ROLES = frozenset({Role.CHIEF_EXECUTIVE, Role.DELEGATED_SIGNER})

# Who must log in with a second factor: everyone at the directorate, everyone with access
# to the participant register (and those who grant it), and everyone who signs.
TWO_FACTOR_ROLES = DIRECTORATE_ROLES | {Role.MUNICIPALITY_ADMIN, Role.REGISTER_USER} | SIGNER_ROLES

ROLE_DESCRIPTIONS = {
    Role.SYSTEM_ADMIN: _("Manages schemes, organisations, all users and roles, and reads the "
                         "audit log."),
    Role.CASE_OFFICER: _("Screens and assesses applications, proposes and approves decisions, "
                         "follows up grants."),
    Role.FINANCE_OFFICER: _("Pays advances and settlements, handles claw-backs."),
    Role.ANALYST: _("Follows goal achievement and compares financing models; sees "
                    "aggregated and pseudonymised data only."),
    Role.AUDITOR: _("Reads cases, payments and the audit log, changes nothing."),
    Role.MUNICIPALITY_ADMIN: _("Manages the users and roles of the organisation and its "
                               "details."),
    Role.REGISTER_USER: _("Registers and follows up participants in the participant register."),
    Role.APPLICATION_EDITOR: _("Writes applications and reports for the organisation."),
    Role.CHIEF_EXECUTIVE: _("Signs applications and accepts grants on behalf of the "
                            "organisation."),
    Role.DELEGATED_SIGNER: _("Signs applications and accepts grants with authority delegated "
                             "by the chief executive."),
}


def roles_for_organization_kind(kind: str) -> frozenset[str]:
    """The roles that can be held in an organisation of this kind."""
    if kind in DIRECTORATE_KINDS:
        return DIRECTORATE_ROLES
    if kind in APPLICANT_KINDS:
        return MUNICIPAL_ROLES
    return frozenset()
