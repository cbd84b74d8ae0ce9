"""Secrets at rest (issue 10, item 9): the outbox keeps no secret links, old mail is
purged after the retention period, backup codes are stored as keyed hashes."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from accounts.services import backup_code_digest, backup_codes_regenerate
from audit.models import AuditEvent
from core.mail import REDACTED, mail_queue
from core.models import OutboundEmail
from organizations.models import Organization
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def test_an_invitation_link_is_sent_but_never_stored(client, users,
                                                     django_capture_on_commit_callbacks):
    login_as(client, "mona.kommuneadmin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:user_invite"), {
            "first_name": "Nina", "last_name": "Solberg", "email": "nina@drammen.example",
            "organization": Organization.objects.get(kind="municipality", code="3301").pk,
            "role": "application_editor",
        })
    sent = mail.outbox[-1].body
    token = re.search(r"/konto/invitasjon/([^/\s]+)/", sent).group(1)
    stored = OutboundEmail.objects.get(kind="invitation")
    assert stored.status == "sent"
    assert token not in stored.body and REDACTED in stored.body
    assert "Nina" in stored.body  # the rest of the mail is kept


def test_a_failed_send_keeps_no_secret_either(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    from accounts.models import Invitation

    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(kind="invitation", to=["x@example.no"],
                   template="accounts/email/invitation.txt", secrets=["hemmelig-token-123"],
                   context={"invitation": Invitation(first_name="X", role="register_user",
                            organization=Organization.objects.get(code="3301",
                                                                  kind="municipality")),
                            "token": "hemmelig-token-123"})
    stored = OutboundEmail.objects.get(kind="invitation")
    assert stored.status == "failed"
    assert "hemmelig-token-123" not in stored.body and REDACTED in stored.body


def test_old_mail_is_purged_after_the_retention_period(settings):
    settings.TILSKUDD_OUTBOX_RETENTION_DAYS = 90
    now = timezone.now()

    def message(status, age_days, **extra):
        mail_row = OutboundEmail.objects.create(kind="test", recipients=["x@example.no"],
                                                subject="S", body="B", status=status, **extra)
        OutboundEmail.objects.filter(pk=mail_row.pk).update(
            created_at=now - datetime.timedelta(days=age_days))
        return mail_row.pk

    old_sent = message("sent", 100, sent_at=now - datetime.timedelta(days=91))
    new_sent = message("sent", 10, sent_at=now - datetime.timedelta(days=10))
    old_failed = message("failed", 95)
    old_queued = message("queued", 95)
    out = StringIO()
    call_command("outbox_purge", stdout=out)
    left = set(OutboundEmail.objects.filter(kind="test").values_list("pk", flat=True))
    assert left == {new_sent, old_queued}
    assert old_sent not in left and old_failed not in left
    assert "2" in out.getvalue()
    event = AuditEvent.objects.get(event_type="mail.outbox_purged")
    assert event.payload == {"count": 2, "retention_days": 90}


def test_backup_codes_are_stored_hashed_and_still_work_once(client, users):
    from shell.demo import DEMO_PASSWORD

    tor = users["tor.kommunedirektor"]
    codes = backup_codes_regenerate(user=tor)
    stored = set(StaticToken.objects.filter(device__user=tor).values_list("token", flat=True))
    assert not stored & set(codes)
    assert stored == {backup_code_digest(code) for code in codes}
    client.post(reverse("accounts:login"), {"username": "tor.kommunedirektor",
                                            "password": DEMO_PASSWORD})
    assert client.post(reverse("accounts:login_code"), {"code": codes[0].upper()}).status_code \
        == 302
    assert StaticToken.objects.filter(device__user=tor).count() == len(codes) - 1
