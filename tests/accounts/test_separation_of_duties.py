"""Separation of duties (issue 10, item 3): nobody gives themselves the right to sign or
access to the participant register, not even through an invitation of their own; a
signing role granted is told to the chief executive and the other administrators; the
directorate sees who can sign where."""

import re

import pytest
from django.urls import reverse

from accounts.models import Invitation, RoleAssignment, User
from core.models import OutboundEmail
from organizations.models import Organization
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
# The service starts in bokmål whatever the browser asks for; the English texts below are
# read with the language chosen (the language cookie), as a person who chose English.
EN = {}


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def org(code, kind="municipality"):
    return Organization.objects.get(kind=kind, code=code)


@pytest.mark.parametrize("role", ["chief_executive", "delegated_signer", "register_user"])
def test_an_administrator_cannot_give_herself_a_signing_role_or_register_access(
    client, users, role
):
    mona = login_as(client, "mona.kommuneadmin")
    url = reverse("accounts:role_grant", kwargs={"user_id": mona.pk})
    response = client.post(url, {"organization": org("3301").pk, "role": role}, follow=True,
                           **EN)
    assert not RoleAssignment.objects.active().filter(user=mona, role=role).exists()
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors and "Another administrator must grant it" in errors[0], errors


def test_the_refusal_is_a_field_error_of_the_grant_form(users):
    from accounts.forms import GrantRoleForm
    from tests.register.conftest import actor_for

    drammen = org("3301")
    actor = actor_for("mona.kommuneadmin", drammen)
    form = GrantRoleForm({"organization": drammen.pk, "role": "chief_executive"},
                         organizations=Organization.objects.filter(pk=drammen.pk),
                         fixed_organization=drammen, actor=actor, subject=actor.user)
    assert not form.is_valid()
    assert list(form.errors) == ["role"]
    # Editing for oneself is not a duty to separate: allowed.
    form = GrantRoleForm({"organization": drammen.pk, "role": "application_editor"},
                         organizations=Organization.objects.filter(pk=drammen.pk),
                         fixed_organization=drammen, actor=actor, subject=actor.user)
    assert form.is_valid(), form.errors


def test_a_system_administrator_cannot_make_herself_a_signer_either(client, users):
    ingrid = login_as(client, "ingrid.admin")
    client.post(reverse("accounts:role_grant", kwargs={"user_id": ingrid.pk}),
                {"organization": org("3301").pk, "role": "chief_executive"})
    assert not RoleAssignment.objects.filter(user=ingrid, role="chief_executive").exists()


def test_an_administrator_cannot_invite_her_own_address(client, users):
    mona = login_as(client, "mona.kommuneadmin")
    response = client.post(reverse("accounts:user_invite"), {
        "first_name": "Mona", "last_name": "Eriksen", "email": mona.email.upper(),
        "organization": org("3301").pk, "role": "register_user",
    }, **EN)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "You cannot invite yourself" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.filter(email__iexact=mona.email).exists()


def test_the_inviter_cannot_take_her_own_invitation(client, users,
                                                    django_capture_on_commit_callbacks):
    """Her second identity: an address of her own that has no account yet."""
    mona = login_as(client, "mona.kommuneadmin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:user_invite"), {
            "first_name": "Mona", "last_name": "Privat", "email": "mona.privat@example.no",
            "organization": org("3301").pk, "role": "register_user",
        })
    invitation = Invitation.objects.get(email="mona.privat@example.no")
    token = re.search(r"/konto/invitasjon/([^/]+)/", _sent_body("mona.privat@example.no"))
    url = reverse("accounts:invitation_accept", kwargs={"token": token.group(1)})
    # Logged in as the inviter, the invitation cannot be taken.
    response = client.post(url, {"username": "mona.privat", "password1": "Et-langt-passord-42",
                                 "password2": "Et-langt-passord-42"}, follow=True, **EN)
    assert not User.objects.filter(username="mona.privat").exists()
    assert any("You sent this invitation yourself" in str(m)
               for m in response.context["messages"])
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert mona.pk == invitation.invited_by_id


def test_the_inviter_cannot_accept_an_invitation_she_sent_to_an_existing_account(client, users):
    """Even if the invited address is later the inviter's own (changed e-mail)."""
    from accounts import services
    from tests.register.conftest import actor_for

    actor = actor_for("mona.kommuneadmin", org("3301"))
    invitation = services.user_invite(actor=actor, email="eva.soknad@demo.tilskudd.example",
                                      first_name="Eva", last_name="Nilsen",
                                      organization=org("3301"), role="register_user")
    mona = users["mona.kommuneadmin"]
    User.objects.filter(pk=mona.pk).update(email="mona.ny@example.no")
    invitation.email = "mona.ny@example.no"
    invitation.save()
    mona.refresh_from_db()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.invitation_accept_existing(invitation=invitation, user=mona)
    assert not RoleAssignment.objects.filter(user=mona, role="register_user").exists()


def _sent_body(address):
    """The body of the last e-mail to ``address`` as sent (the outbox keeps no links)."""
    from django.core import mail

    for message in reversed(mail.outbox):
        if address in message.to:
            return message.body
    raise AssertionError(f"no mail to {address}")


def test_granting_a_signing_role_tells_the_chief_executive_and_the_other_administrators(
    client, users
):
    drammen = org("3301")
    # A second administrator in Drammen, who is told as well.
    other_admin = User.objects.create(username="per.admin", email="per.admin@example.no",
                                      first_name="Per")
    RoleAssignment.objects.create(user=other_admin, organization=drammen,
                                  role="municipality_admin")
    login_as(client, "mona.kommuneadmin")
    eva = users["eva.soknad"]
    client.post(reverse("accounts:role_grant", kwargs={"user_id": eva.pk}),
                {"organization": drammen.pk, "role": "delegated_signer"})
    assert RoleAssignment.objects.active().filter(user=eva, role="delegated_signer").exists()
    notices = OutboundEmail.objects.filter(kind="sensitive_role_granted")
    recipients = {address for notice in notices for address in notice.recipients}
    assert recipients == {users["tor.kommunedirektor"].email, other_admin.email}
    assert "Eva Nilsen" in notices.first().body


def test_an_editor_role_is_granted_without_a_notice(client, users):
    login_as(client, "mona.kommuneadmin")
    hilde = users["hilde.fullmakt"]
    client.post(reverse("accounts:role_grant", kwargs={"user_id": hilde.pk}),
                {"organization": org("3301").pk, "role": "application_editor"})
    assert RoleAssignment.objects.active().filter(user=hilde, role="application_editor").exists()
    assert not OutboundEmail.objects.filter(kind="sensitive_role_granted").exists()


def test_the_directorate_sees_who_can_sign_where(client, users):
    url = reverse("accounts:signer_list")
    login_as(client, "ola.saksbehandler")
    response = client.get(url)
    assert response.status_code == 200
    rows = {(a.user.username, a.organization.code, a.role) for a in response.context["page"]}
    assert ("tor.kommunedirektor", "3301", "chief_executive") in rows
    assert ("hilde.fullmakt", "3301", "delegated_signer") in rows
    assert ("anders.namsos", "5007", "chief_executive") in rows
    assert not any(role not in ("chief_executive", "delegated_signer") for *_x, role in rows)
    namsos = client.get(url, {"q": "Namsos"})
    assert {a.organization.code for a in namsos.context["page"]} == {"5007"}
    assert url in client.get(reverse("organizations:list")).content.decode()
    for username in ("mona.kommuneadmin", "tor.kommunedirektor", "aisha.analytiker"):
        login_as(client, username)
        assert client.get(url).status_code == 403, username


def test_the_signer_list_is_paginated(client, users):
    drammen = org("3301")
    for i in range(60):
        person = User.objects.create(username=f"signer.n{chr(97 + i % 26)}x{i // 26}",
                                     email=f"signer{i}@example.no")
        RoleAssignment.objects.create(user=person, organization=drammen,
                                      role="delegated_signer")
    login_as(client, "ingrid.admin")
    response = client.get(reverse("accounts:signer_list"))
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages >= 2
    assert client.get(reverse("accounts:signer_list"), {"side": "2"}).status_code == 200


def test_the_organisation_page_shows_its_signers_to_the_directorate(client, users):
    drammen = org("3301")
    url = reverse("organizations:detail", kwargs={"org_id": drammen.pk})
    login_as(client, "ola.saksbehandler")
    response = client.get(url)
    assert {a.user.username for a in response.context["signers"]} == {
        "tor.kommunedirektor", "hilde.fullmakt"}
    assert "Tor Hansen" in response.content.decode()
