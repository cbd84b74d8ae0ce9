"""What the register's sub-navigation may show (only used by the register's templates)."""

from . import permissions


def register(request):
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated or not request.path.startswith("/register/"):
        return {}

    def perms():
        return {"use": bool(permissions.can_use_register(actor)),
                "create": bool(permissions.can_register_participants(actor)),
                "access_log": bool(permissions.can_view_access_log(actor))}

    from django.utils.functional import SimpleLazyObject

    return {"perms_register": SimpleLazyObject(perms)}
