from django.conf import settings

from accounts.roles import Role

from .navigation import sections_for


def shell(request):
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "nav_sections": sections_for(actor) if actor is not None else [],
        "demo_mode": settings.TILSKUDD_DEMO_MODE,
        "active_role_labels": [
            role.label for role in Role if actor is not None and role in actor.roles
        ],
    }
