from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import Role


def can_view_cases(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.CASE_OFFICER, Role.SYSTEM_ADMIN, Role.AUDITOR):
        return allow()
    return deny(_("Only the directorate's case officers, administrators and auditors see "
                  "the cases."))


def can_work_cases(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.CASE_OFFICER, Role.SYSTEM_ADMIN):
        return allow()
    return deny(_("Only case officers assign cases and write notes; auditors read."))
