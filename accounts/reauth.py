"""Re-authentication before sensitive actions (signing, decisions, role changes).

Decorate a view with ``@reauthentication_required``: if the user has not confirmed
their password (and second factor, if they have one) within
``TILSKUDD_REAUTH_MAX_AGE_SECONDS``, they are sent to the confirmation page and back.
A POST that arrives without a fresh confirmation is not carried out; the user confirms
and submits again, so nothing is done on a stale session.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "tilskudd_reauth_at"


def mark_reauthenticated(request) -> None:
    request.session[SESSION_KEY] = time.time()


def is_recently_authenticated(request) -> bool:
    at = request.session.get(SESSION_KEY)
    return at is not None and time.time() - at <= settings.TILSKUDD_REAUTH_MAX_AGE_SECONDS


def reauthentication_redirect(request):
    """Send the user to confirm their identity, then back to this page (for a GET) or to
    the page the form was on (for a POST, which is not carried out)."""
    target = request.get_full_path() if request.method == "GET" else request.META.get(
        "HTTP_REFERER", request.get_full_path()
    )
    query = urlencode({"next": target})
    return redirect(f"{reverse('accounts:reauthenticate')}?{query}")


def reauthentication_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_recently_authenticated(request):
            return reauthentication_redirect(request)
        return view(request, *args, **kwargs)

    wrapper.reauthentication_required = True
    return wrapper
