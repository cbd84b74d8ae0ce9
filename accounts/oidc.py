"""OpenID Connect log-in (ID-porten, or a municipality's own identity provider).

Prepared, configurable, and NOT tested against a real provider: none can be reached from
the development machines. What production needs is in docs/oidc.md. The parts that
are ours — which claims we require and how a person is matched to a user — are pure
functions below, covered by tests.

Matching: users are created by invitation, never by a log-in. A user is linked to a
person by a keyed hash of the ``pid`` claim (the national identity number), so the
number itself is never stored. The link is made by an administrator or on first log-in
after an invitation (a later issue).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .middleware import EXTERNAL_MFA_SESSION_KEY


def subject_hash(pid: str) -> str:
    return hmac.new(settings.TILSKUDD_HASH_KEY.encode(), pid.strip().encode(),
                    hashlib.sha256).hexdigest()


def required_acr_values() -> set[str]:
    return {v.strip() for v in settings.OIDC_REQUIRED_ACR_VALUES.split(",") if v.strip()}


def check_claims(claims: dict) -> str:
    """Return the person's subject hash, or raise if the claims do not satisfy us."""
    acr = claims.get("acr")
    if acr not in required_acr_values():
        raise SuspiciousOperation(f"Assurance level {acr!r} is not accepted.")
    pid = claims.get("pid")
    if not pid:
        raise SuspiciousOperation("The identity token has no pid claim.")
    return subject_hash(pid)


class IdPortenBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        check_claims(claims)
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            oidc_subject_hash=check_claims(claims), is_active=True
        )

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is False
        raise SuspiciousOperation("Users are created by invitation only.")

    def authenticate(self, request, **kwargs):
        user = super().authenticate(request, **kwargs)
        if user is not None and request is not None:
            # ID-porten at substantial/high is itself multi-factor.
            request.session[EXTERNAL_MFA_SESSION_KEY] = True
        return user
