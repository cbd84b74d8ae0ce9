"""Shared fixtures: the demo world loaded once, log-in helpers, a local SMTP server."""

from __future__ import annotations

import socket
import time

import pytest
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import ACTIVE_ORG_SESSION_KEY, LOGIN_AT_SESSION_KEY
from accounts.models import User
from accounts.reauth import SESSION_KEY as REAUTH_SESSION_KEY
from shell.demo import build_demo


@pytest.fixture(scope="session", autouse=True)
def tilskudd_files_dir(tmp_path_factory):
    """Letters, receipts and attachments (core/files.py) go to one temporary directory for
    the whole session: the demo world's files are written there once, with the world."""
    from django.conf import settings
    from django.test import override_settings

    location = tmp_path_factory.mktemp("tilskudd_files")
    storages = {**settings.STORAGES, "tilskudd_files": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)}}}
    with override_settings(STORAGES=storages):
        yield location


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tilskudd_files_dir):
    """The demo world (all organisations, demo users in every role), loaded once."""
    with django_db_blocker.unblock():
        build_demo()


@pytest.fixture
def users(db) -> dict[str, User]:
    return {user.username: user for user in User.objects.all()}


def login_as(client, username: str, *, organization=None, verified: bool = True,
             recently_authenticated: bool = True) -> User:
    """Log a client in as a fully authenticated user (password and second factor), the
    state the log-in views leave behind. The log-in views themselves are tested in
    tests/accounts/test_login.py."""
    user = User.objects.get(username=username)
    client.force_login(user, backend="accounts.backends.UsernameOrEmailBackend")
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and verified:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT_SESSION_KEY] = time.time()
    if recently_authenticated:
        session[REAUTH_SESSION_KEY] = time.time()
    if organization is not None:
        session[ACTIVE_ORG_SESSION_KEY] = organization.pk
    session.save()
    return user


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; the suite's e-mail goes through it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    try:
        yield received
    finally:
        controller.stop()


def allow_audit_purge() -> None:
    """Let Django empty the database after a transactional test (see audit migration 0002):
    only a superuser with a row in audit_maintenance may delete audit events."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_maintenance")
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test teardown')")


@pytest.fixture
def purgeable_audit(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_maintenance")
    yield
    allow_audit_purge()


def seen(application) -> str:
    """The fingerprint of the application's current proposal, as the approver's page
    shows it: four eyes approve exactly the version they saw."""
    from casework.models import Decision

    return Decision.objects.get(case__application=application).fingerprint()
