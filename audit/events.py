"""The typed events of the audit log.

Every event type declares the payload keys it may carry. A payload holds ids, codes and
small enumerations only — never names, e-mail addresses or national id numbers — and
``record`` refuses any key the type has not declared, so a careless caller cannot leak
personal data into the log.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    LOGIN_SUCCEEDED = "auth.login_succeeded", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Log-in failed")
    LOGIN_THROTTLED = "auth.login_throttled", _("Log-in blocked after repeated failures")
    LOGOUT = "auth.logout", _("Logged out")
    REAUTHENTICATED = "auth.reauthenticated", _("Confirmed identity again")
    TWO_FACTOR_ENROLLED = "auth.two_factor_enrolled", _("Two-factor authentication set up")
    TWO_FACTOR_RESET = "auth.two_factor_reset", _("Two-factor authentication reset")
    BACKUP_CODES_GENERATED = "auth.backup_codes_generated", _("Backup codes generated")
    BACKUP_CODE_USED = "auth.backup_code_used", _("Backup code used")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    ORGANIZATION_SWITCHED = "auth.organization_switched", _("Switched organisation")
    USER_INVITED = "users.invited", _("User invited")
    INVITATION_ACCEPTED = "users.invitation_accepted", _("Invitation accepted")
    USER_DEACTIVATED = "users.deactivated", _("User deactivated")
    USER_REACTIVATED = "users.reactivated", _("User reactivated")
    ROLE_GRANTED = "roles.granted", _("Role granted")
    ROLE_REVOKED = "roles.revoked", _("Role revoked")
    ORGANIZATION_UPDATED = "organizations.updated", _("Organisation details changed")
    ORGANIZATIONS_LOADED = "organizations.loaded", _("Code lists loaded")


@dataclass(frozen=True)
class EventSpec:
    payload_keys: frozenset[str]


_ROLE_KEYS = frozenset({"role", "organization_id", "assignment_id"})

SPECS: dict[str, EventSpec] = {
    EventType.LOGIN_SUCCEEDED: EventSpec(frozenset({"method", "two_factor"})),
    EventType.LOGIN_FAILED: EventSpec(frozenset({"step"})),
    EventType.LOGIN_THROTTLED: EventSpec(frozenset({"scope"})),
    EventType.LOGOUT: EventSpec(frozenset()),
    EventType.REAUTHENTICATED: EventSpec(frozenset({"purpose"})),
    EventType.TWO_FACTOR_ENROLLED: EventSpec(frozenset({"device_id"})),
    EventType.TWO_FACTOR_RESET: EventSpec(frozenset({"user_id"})),
    EventType.BACKUP_CODES_GENERATED: EventSpec(frozenset({"count"})),
    EventType.BACKUP_CODE_USED: EventSpec(frozenset({"remaining"})),
    EventType.PASSWORD_CHANGED: EventSpec(frozenset()),
    EventType.ORGANIZATION_SWITCHED: EventSpec(frozenset({"organization_id"})),
    EventType.USER_INVITED: EventSpec(frozenset({"invitation_id", "role", "organization_id"})),
    EventType.INVITATION_ACCEPTED: EventSpec(frozenset({"invitation_id", "user_id"})),
    EventType.USER_DEACTIVATED: EventSpec(frozenset({"user_id", "scope", "organization_id"})),
    EventType.USER_REACTIVATED: EventSpec(frozenset({"user_id"})),
    EventType.ROLE_GRANTED: EventSpec(_ROLE_KEYS | {"user_id"}),
    EventType.ROLE_REVOKED: EventSpec(_ROLE_KEYS | {"user_id"}),
    EventType.ORGANIZATION_UPDATED: EventSpec(frozenset({"fields"})),
    EventType.ORGANIZATIONS_LOADED: EventSpec(
        frozenset({"source", "created", "updated", "codes", "changes"})
    ),
}

# Payload values are kept small and non-personal: scalars or lists of scalars.
MAX_PAYLOAD_STRING = 64
