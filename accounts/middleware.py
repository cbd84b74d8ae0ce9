"""Two-factor enforcement, absolute session lifetime, and the active organisation."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .actor import ANONYMOUS, Actor
from .selectors import user_memberships

ACTIVE_ORG_SESSION_KEY = "tilskudd_active_org"
LOGIN_AT_SESSION_KEY = "tilskudd_login_at"
EXTERNAL_MFA_SESSION_KEY = "tilskudd_external_mfa"

# Routes a logged-in user may reach before their second factor is in place.
_OPEN_ROUTES = {
    "accounts:two_factor_enroll",
    "accounts:backup_codes",
    "accounts:logout",
    "shell:set_language",
    "shell:help",
    "shell:contact",
    "shell:accessibility",
    "shell:privacy",
    "shell:health",
}


def is_two_factor_verified(request) -> bool:
    if request.session.get(EXTERNAL_MFA_SESSION_KEY):
        return True
    return bool(getattr(request.user, "is_verified", lambda: False)())


class TwoFactorRequiredMiddleware:
    """A user whose roles require a second factor and who has not used one is sent to set
    it up (roles can be granted while someone is logged in), and a session older than
    the absolute limit ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            if login_at and time.time() - login_at > settings.TILSKUDD_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                from django.contrib import messages

                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.path_info.startswith(settings.STATIC_URL):
            return None
        try:
            route = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if route in _OPEN_ROUTES:
            return None
        actor = request.actor
        if actor.needs_two_factor and not is_two_factor_verified(request):
            return redirect("accounts:two_factor_enroll")
        return None


class ActiveOrganizationMiddleware:
    """Set ``request.actor``: the user, the organisation they act for and their roles there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = self._actor(request)
        return self.get_response(request)

    @staticmethod
    def _actor(request) -> Actor:
        user = request.user
        if not user.is_authenticated:
            return ANONYMOUS
        memberships = user_memberships(user)
        if not memberships:
            return Actor(user=user)
        wanted = request.session.get(ACTIVE_ORG_SESSION_KEY)
        current = next((m for m in memberships if m.organization.pk == wanted), memberships[0])
        if wanted != current.organization.pk:
            request.session[ACTIVE_ORG_SESSION_KEY] = current.organization.pk
        return Actor(
            user=user,
            organization=current.organization,
            roles=current.roles,
            memberships=memberships,
        )
