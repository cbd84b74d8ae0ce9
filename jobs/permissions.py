"""Who may see which jobs: a job's owner sees it; the system administrator sees the
failed ones (without their results)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import Role


def can_view_failed_jobs(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.SYSTEM_ADMIN):
        return allow()
    return deny(_("Only the directorate's system administrators can see failed jobs."))
