"""Throttling of log-in attempts (against password guessing) and of password reset
requests (against mail bombing and enumeration). See decision 0009.

Log-in failures are counted per account and per client address in a sliding window
(``TILSKUDD_LOGIN_WINDOW_SECONDS``). The account is the user the log-in name *or* e-mail
address resolves to — both count against the same user — or the name as typed when no
user has it, so unknown names are throttled the same way. The first
``TILSKUDD_LOGIN_MAX_FAILURES`` failures are free; after that the account is in back-off:
an attempt is evaluated only after a delay since the last failure that doubles with each
further failure, from ``TILSKUDD_LOGIN_BACKOFF_BASE_SECONDS`` up to
``TILSKUDD_LOGIN_BACKOFF_MAX_SECONDS``. Attempts during the delay are refused without
being evaluated or counted, so hammering does not lengthen it. The same holds per client
with ``TILSKUDD_LOGIN_MAX_FAILURES_PER_CLIENT``. (The views let the right password together
with the right code through even during the delay: see accounts/views/auth.py.)

Keys are stored as keyed hashes (HMAC-SHA256 with a secret from the settings), never as
the name or address, and the same answer is given whether or not the account exists.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import LoginFailure

Scope = LoginFailure.Scope


def _key(value: str) -> str:
    secret = settings.TILSKUDD_HASH_KEY.encode()
    return hmac.new(secret, value.strip().casefold().encode(), hashlib.sha256).hexdigest()


def client_address(request) -> str:
    # Behind the production proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy
    # configuration (see docs/operations.md); we never trust the header ourselves.
    return request.META.get("REMOTE_ADDR", "")


def resolve_user(login_name: str):
    """The user a log-in name or e-mail address stands for (as the backend finds it)."""
    from django.contrib.auth import get_user_model

    value = (login_name or "").strip()
    if not value:
        return None
    return get_user_model().objects.filter(
        Q(username__iexact=value) | Q(email__iexact=value)
    ).order_by("pk").first()


def account_key(user_or_name) -> str:
    """What failures are counted against: the user, or the name as typed if nobody has it."""
    if user_or_name is None:
        return ""
    if isinstance(user_or_name, str):
        return f"name:{user_or_name.strip().casefold()}"
    return f"user:{user_or_name.pk}"


def _window_start():
    return timezone.now() - timedelta(seconds=settings.TILSKUDD_LOGIN_WINDOW_SECONDS)


def backoff_delay(failures: int, free: int) -> timedelta | None:
    """The delay after ``failures`` failures in the window (None while they are free)."""
    if failures < free:
        return None
    doublings = min(failures - free, 20)
    seconds = min(settings.TILSKUDD_LOGIN_BACKOFF_BASE_SECONDS * 2 ** doublings,
                  settings.TILSKUDD_LOGIN_BACKOFF_MAX_SECONDS)
    return timedelta(seconds=seconds)


def _retry_at(scope: str, value: str, free: int) -> datetime | None:
    if not value:
        return None
    counted = LoginFailure.objects.filter(
        scope=scope, key_hash=_key(value), failed_at__gte=_window_start()
    ).aggregate(n=Count("id"), last=Max("failed_at"))
    delay = backoff_delay(counted["n"], free)
    return None if delay is None else counted["last"] + delay


@dataclass(frozen=True)
class Gate:
    """The throttle's state for one attempt."""

    scope: str | None = None  # "account" or "client" when in back-off
    retry_at: datetime | None = None

    @property
    def strained(self) -> bool:
        """In back-off: more failures than the free ones."""
        return self.scope is not None

    @property
    def paused(self) -> bool:
        """Within the back-off delay: a password alone is not evaluated now."""
        return self.retry_at is not None and timezone.now() < self.retry_at


def gate(*, account: str, address: str) -> Gate:
    account_at = _retry_at(Scope.ACCOUNT, account, settings.TILSKUDD_LOGIN_MAX_FAILURES)
    client_at = _retry_at(Scope.CLIENT, address, settings.TILSKUDD_LOGIN_MAX_FAILURES_PER_CLIENT)
    if account_at is None and client_at is None:
        return Gate()
    scope = Scope.ACCOUNT if account_at is not None else Scope.CLIENT
    return Gate(scope=scope, retry_at=max(at for at in (account_at, client_at) if at))


def register_failure(*, account: str, address: str) -> None:
    rows = []
    if account:
        rows.append(LoginFailure(scope=Scope.ACCOUNT, key_hash=_key(account)))
    if address:
        rows.append(LoginFailure(scope=Scope.CLIENT, key_hash=_key(address)))
    LoginFailure.objects.bulk_create(rows)
    # Keep the table small: what is older than the longest window no longer counts.
    longest = max(settings.TILSKUDD_LOGIN_WINDOW_SECONDS, settings.TILSKUDD_RESET_WINDOW_SECONDS)
    LoginFailure.objects.filter(
        failed_at__lt=timezone.now() - timedelta(seconds=longest, days=1)
    ).delete()


def clear_failures(*, account: str) -> None:
    LoginFailure.objects.filter(scope=Scope.ACCOUNT, key_hash=_key(account)).delete()


# -- password reset requests -----------------------------------------------------------


def reset_request_refused(*, email: str, address: str) -> str | None:
    """Count a request for a reset link; the scope that is over its limit
    ("reset_address" or "reset_client") — then nothing is counted or sent — or None.
    Counted the same whether or not an account has the address."""
    since = timezone.now() - timedelta(seconds=settings.TILSKUDD_RESET_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(failed_at__gte=since)
    email_key = _key(f"reset:{email}")
    if recent.filter(scope=Scope.RESET_ADDRESS, key_hash=email_key).count() \
            >= settings.TILSKUDD_RESET_MAX_PER_ADDRESS:
        return Scope.RESET_ADDRESS
    if address and recent.filter(scope=Scope.RESET_CLIENT, key_hash=_key(address)).count() \
            >= settings.TILSKUDD_RESET_MAX_PER_CLIENT:
        return Scope.RESET_CLIENT
    rows = [LoginFailure(scope=Scope.RESET_ADDRESS, key_hash=email_key)]
    if address:
        rows.append(LoginFailure(scope=Scope.RESET_CLIENT, key_hash=_key(address)))
    LoginFailure.objects.bulk_create(rows)
    return None
