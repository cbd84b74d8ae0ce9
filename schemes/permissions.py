from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import Role


def can_manage_schemes(actor: Actor) -> Decision:
    if actor.is_directorate and actor.has(Role.SYSTEM_ADMIN):
        return allow()
    return deny(_("Only the directorate's system administrators manage schemes and rounds."))
