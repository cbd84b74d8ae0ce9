"""Labels for codes stored by the system that people see: what kind of e-mail an outbox
row is. A kind not listed is shown as "Other e-mail", never as its code;
``tests/core/test_formatting.py`` checks that every kind the code sends has a label.

The foundation does not know the apps above it: an app that sends kinds of its own
registers their labels when it is ready (``mail_kinds_register``), as case handling does
for its letters."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAIL_KINDS = {
    "password_reset": gettext_lazy("Password reset"),
    "invitation": gettext_lazy("Invitation"),
    "role_granted": gettext_lazy("Role granted"),
    "sensitive_role_granted": gettext_lazy("Signing or register role granted"),
    "two_factor_changed": gettext_lazy("Two-factor authentication changed"),
    "account_changed": gettext_lazy("Payout account changed"),
    "application_receipt": gettext_lazy("Receipt for a signed application"),
    "application_for_signing": gettext_lazy("Application waiting for signature"),
    "partner_asked": gettext_lazy("Asked to be a partner in a joint application"),
    "appeal_notice": gettext_lazy("About an appeal"),
    "grant_lapsed": gettext_lazy("Grant lapsed"),
}


def mail_kinds_register(labels: dict) -> None:
    """Add labels for kinds an app sends (called from the app's ``AppConfig.ready``)."""
    MAIL_KINDS.update(labels)


def mail_kind_label(kind: str) -> str:
    """``grant_letter`` → "Grant letter"."""
    if kind in MAIL_KINDS:
        return str(MAIL_KINDS[kind])
    return _("Other e-mail")
