"""Password reset (issue 10, item 8): the same answer in the same time whether or not the
address has an account (the mail goes after the response), throttled per address and per
client, links valid for at most an hour and never kept in the outbox."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from accounts.views.auth import password_reset_view
from audit.models import AuditEvent
from core.mail import REDACTED
from core.models import OutboundEmail

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password_reset")
EVA = "eva.soknad@demo.tilskudd.example"


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, users):
    known = client.post(RESET, {"email": EVA})
    unknown = client.post(RESET, {"email": "finnes.ikke@example.no"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("accounts:password_reset_done")
    assert known.content == unknown.content
    assert dict(known.headers).keys() == dict(unknown.headers).keys()


def test_the_mail_is_made_and_sent_only_after_the_response(
    users, django_capture_on_commit_callbacks
):
    """Nothing about the account happens in the request's timing path."""
    from django.contrib.sessions.middleware import SessionMiddleware

    request = RequestFactory().post(RESET, {"email": EVA})
    SessionMiddleware(lambda r: None).process_request(request)
    with django_capture_on_commit_callbacks(execute=True):
        response = password_reset_view(request)
        assert response.status_code == 302
        assert not OutboundEmail.objects.filter(kind="password_reset").exists()
        assert not AuditEvent.objects.filter(event_type="auth.password_reset_requested").exists()
        # What the WSGI server does once the response is sent. Its request_finished signal
        # would close the test's database connection (as Django's test client, keep it).
        from django.core.signals import request_finished
        from django.db import close_old_connections

        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    assert OutboundEmail.objects.filter(kind="password_reset").count() == 1
    assert [m.to for m in mail.outbox] == [[EVA]]


def test_the_link_works_for_an_hour_at_most_and_the_outbox_never_keeps_it(
    client, users, settings, django_capture_on_commit_callbacks
):
    assert settings.PASSWORD_RESET_TIMEOUT <= 3600
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": EVA})
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+(/konto/passord/ny/(\S+)/(\S+)/)", body)
    assert link, body
    stored = OutboundEmail.objects.get(kind="password_reset")
    assert stored.status == "sent"
    assert link.group(3) not in stored.body and "/konto/passord/ny/" not in stored.body
    assert REDACTED in stored.body

    eva = users["eva.soknad"]
    token = link.group(3)
    assert default_token_generator.check_token(eva, token)
    later = default_token_generator.__class__()
    later._now = lambda: datetime.datetime.now() + datetime.timedelta(minutes=61)
    assert not later.check_token(eva, token)

    # The link sets a new password (audited), once.
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    done = client.post(page.redirect_chain[-1][0], {"new_password1": "Et-nytt-langt-passord-7",
                                                   "new_password2": "Et-nytt-langt-passord-7"})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(event_type="auth.password_reset",
                                     object_id=str(eva.pk)).exists()


def test_requests_are_throttled_per_address(client, users, settings,
                                            django_capture_on_commit_callbacks):
    settings.TILSKUDD_RESET_MAX_PER_ADDRESS = 3
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post(RESET, {"email": EVA}).status_code == 302
        refused = client.post(RESET, {"email": EVA.upper()})
    assert refused.status_code == 429
    assert len(mail.outbox) == 3
    # The same for an address without an account: the limit says nothing about accounts.
    for _ in range(3):
        client.post(RESET, {"email": "finnes.ikke@example.no"})
    assert client.post(RESET, {"email": "finnes.ikke@example.no"}).status_code == 429
    assert AuditEvent.objects.filter(event_type="auth.password_reset_throttled",
                                     payload__scope="reset_address").count() == 2


def test_requests_are_throttled_per_client(client, users, settings):
    settings.TILSKUDD_RESET_MAX_PER_CLIENT = 2
    assert client.post(RESET, {"email": "a@example.no"}).status_code == 302
    assert client.post(RESET, {"email": "b@example.no"}).status_code == 302
    assert client.post(RESET, {"email": EVA}).status_code == 429
    other = client.__class__(REMOTE_ADDR="10.1.2.3")
    assert other.post(RESET, {"email": EVA}).status_code == 302
