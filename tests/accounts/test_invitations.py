"""Invitations of people who already have an account (issue 10, item 10): the role exists
only when they accept it, logged in; the inviter gets the same answer either way."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, RoleAssignment
from audit.models import AuditEvent
from organizations.models import Organization
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
EVA = "eva.soknad@demo.tilskudd.example"


def org(code):
    return Organization.objects.get(kind="municipality", code=code)


def _invite(client, email, first_name="Eva", last_name="Nilsen"):
    return client.post(reverse("accounts:user_invite"), {
        "first_name": first_name, "last_name": last_name, "email": email,
        "organization": org("4202").pk, "role": "application_editor",
    }, follow=True, HTTP_ACCEPT_LANGUAGE="en")


def _link(address):
    body = next(m.body for m in reversed(mail.outbox) if address in m.to)
    return re.search(r"https?://\S+(/konto/invitasjon/[^/\s]+/)", body).group(1)


def test_inviting_an_existing_user_sends_an_invitation_they_must_accept(
    client, users, django_capture_on_commit_callbacks
):
    eva = users["eva.soknad"]
    login_as(client, "maria.grimstad")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, EVA)
    # No role without consent.
    assert not RoleAssignment.objects.filter(user=eva, organization=org("4202")).exists()
    invitation = Invitation.objects.get(email=EVA, organization=org("4202"))
    assert invitation.accepted_at is None
    url = _link(EVA)

    client.post(reverse("accounts:logout"))
    page = client.get(url)
    assert page.status_code == 200 and page.context["login_url"]  # log in first
    assert client.post(url, {"answer": "accept"}).status_code == 200
    assert not RoleAssignment.objects.filter(user=eva, organization=org("4202")).exists()

    login_as(client, "eva.soknad")
    page = client.get(url)
    assert page.status_code == 200 and 'value="accept"' in page.content.decode()
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.active().get(user=eva, organization=org("4202"))
    assert assignment.role == "application_editor"
    assert assignment.granted_by == users["maria.grimstad"]
    invitation.refresh_from_db()
    assert invitation.accepted_by == eva
    assert AuditEvent.objects.filter(event_type="users.invitation_accepted",
                                     object_id=str(invitation.pk)).exists()
    assert client.get(url).status_code == 404  # used once


def test_the_inviter_gets_the_same_answer_whether_or_not_the_address_has_an_account(
    client, users
):
    login_as(client, "maria.grimstad")
    existing = _invite(client, EVA)
    unknown = _invite(client, "ny.person@grimstad.example", "Ny", "Person")

    def answer(response, email):
        texts = [str(m).replace(email, "ADDRESS") for m in response.context["messages"]]
        return response.redirect_chain, texts

    assert answer(existing, EVA) == answer(unknown, "ny.person@grimstad.example")
    assert existing.redirect_chain == [(reverse("accounts:user_list"), 302)]
    # Both are listed as invitations not yet accepted.
    listed = {inv.email for inv in existing.context["invitations"]} | {
        inv.email for inv in unknown.context["invitations"]}
    assert {EVA, "ny.person@grimstad.example"} <= listed


def test_an_existing_user_may_decline(client, users, django_capture_on_commit_callbacks):
    login_as(client, "maria.grimstad")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, EVA)
    url = _link(EVA)
    login_as(client, "eva.soknad")
    client.post(url, {"answer": "decline"})
    invitation = Invitation.objects.get(email=EVA, organization=org("4202"))
    assert invitation.declined_at is not None
    assert not RoleAssignment.objects.filter(user=users["eva.soknad"],
                                             organization=org("4202")).exists()
    assert client.get(url).status_code == 404


def test_someone_else_logged_in_cannot_accept(client, users, django_capture_on_commit_callbacks):
    login_as(client, "maria.grimstad")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, EVA)
    url = _link(EVA)
    hilde = login_as(client, "hilde.fullmakt")
    assert client.get(url).status_code == 403
    assert client.post(url, {"answer": "accept"}).status_code == 403
    assert not RoleAssignment.objects.filter(organization=org("4202"),
                                             user__in=[hilde, users["eva.soknad"]]).exists()
