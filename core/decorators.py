"""View decorators: log-in and a permission function, deny by default."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def require(check: Callable) -> Callable:
    """Allow the view only when ``check(request.actor)`` returns an allowing Decision.

    Anonymous users are sent to log in; anyone else who is denied gets 403 with the
    decision's reason.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            decision = check(request.actor)
            if not decision:
                raise PermissionDenied(decision.reason)
            return view(request, *args, **kwargs)

        wrapper.permission_check = check
        return wrapper

    return decorator


def public(view):
    """Mark a view as reachable without log-in (checked by the access-matrix test)."""
    view.is_public = True
    return view
