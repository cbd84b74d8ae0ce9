"""Throttling of log-in attempts, against password guessing.

Failures are counted per account (the log-in name as typed, case-folded) and per client
address, in a sliding window. Keys are stored as keyed hashes (HMAC-SHA256 with a secret
from the settings), never as the name or address. The same answer is given whether or
not the account exists.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _key(value: str) -> str:
    secret = settings.TILSKUDD_HASH_KEY.encode()
    return hmac.new(secret, value.strip().casefold().encode(), hashlib.sha256).hexdigest()


def client_address(request) -> str:
    # Behind the production proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy
    # configuration (see docs/operations.md); we never trust the header ourselves.
    return request.META.get("REMOTE_ADDR", "")


def _window_start():
    return timezone.now() - timedelta(seconds=settings.TILSKUDD_LOGIN_WINDOW_SECONDS)


def is_throttled(*, login_name: str, address: str) -> str | None:
    """The scope that is throttled ("account" or "client"), or None."""
    since = _window_start()
    failures = LoginFailure.objects.filter(failed_at__gte=since)
    if login_name and failures.filter(
        scope=LoginFailure.Scope.ACCOUNT, key_hash=_key(login_name)
    ).count() >= settings.TILSKUDD_LOGIN_MAX_FAILURES:
        return LoginFailure.Scope.ACCOUNT
    if address and failures.filter(
        scope=LoginFailure.Scope.CLIENT, key_hash=_key(address)
    ).count() >= settings.TILSKUDD_LOGIN_MAX_FAILURES_PER_CLIENT:
        return LoginFailure.Scope.CLIENT
    return None


def register_failure(*, login_name: str, address: str) -> None:
    rows = []
    if login_name:
        rows.append(LoginFailure(scope=LoginFailure.Scope.ACCOUNT, key_hash=_key(login_name)))
    if address:
        rows.append(LoginFailure(scope=LoginFailure.Scope.CLIENT, key_hash=_key(address)))
    LoginFailure.objects.bulk_create(rows)
    # Keep the table small: what is older than the window no longer counts.
    LoginFailure.objects.filter(failed_at__lt=_window_start() - timedelta(days=1)).delete()


def clear_failures(*, login_name: str) -> None:
    LoginFailure.objects.filter(
        scope=LoginFailure.Scope.ACCOUNT, key_hash=_key(login_name)
    ).delete()
