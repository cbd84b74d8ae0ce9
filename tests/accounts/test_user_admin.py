"""User administration: scoped to the administrator's own organisation, audited."""

import re

import pytest
from django.urls import reverse

from accounts.models import Invitation, RoleAssignment, User
from audit.models import AuditEvent
from core.models import OutboundEmail
from organizations.models import Organization
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def org(code, kind="municipality"):
    return Organization.objects.get(kind=kind, code=code)


def test_a_municipality_administrator_sees_only_own_users(client, users):
    login_as(client, "mona.kommuneadmin")
    response = client.get(reverse("accounts:user_list"))
    listed = {u.username for u in response.context["page"]}
    assert "eva.soknad" in listed and "tor.kommunedirektor" in listed
    assert "siri.namsos" not in listed and "ingrid.admin" not in listed


def test_a_municipality_administrator_cannot_see_or_change_another_municipalitys_users(
    client, users
):
    login_as(client, "mona.kommuneadmin")
    other = users["anders.namsos"]
    assignment = RoleAssignment.objects.active().get(user=other)
    urls = [
        ("get", reverse("accounts:user_detail", kwargs={"user_id": other.pk})),
        ("post", reverse("accounts:role_grant", kwargs={"user_id": other.pk})),
        ("post", reverse("accounts:role_revoke", kwargs={"user_id": other.pk,
                                                         "assignment_id": assignment.pk})),
        ("post", reverse("accounts:user_remove", kwargs={"user_id": other.pk})),
        ("post", reverse("accounts:two_factor_reset", kwargs={"user_id": other.pk})),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"organization": org("5007").pk,
                                                 "role": "register_user"})
        assert response.status_code == 404, url
    assignment.refresh_from_db()
    assert assignment.revoked_at is None
    assert not RoleAssignment.objects.filter(user=other, role="register_user").exists()


def test_a_municipality_administrator_cannot_grant_roles_in_another_organisation(client, users):
    login_as(client, "mona.kommuneadmin")
    eva = users["eva.soknad"]
    response = client.post(reverse("accounts:role_grant", kwargs={"user_id": eva.pk}),
                           {"organization": org("5007").pk, "role": "register_user"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=eva, organization=org("5007")).exists()


def test_a_municipality_administrator_cannot_grant_directorate_roles(client, users):
    login_as(client, "mona.kommuneadmin")
    eva = users["eva.soknad"]
    client.post(reverse("accounts:role_grant", kwargs={"user_id": eva.pk}),
                {"organization": org("3301").pk, "role": "system_admin"})
    assert not RoleAssignment.objects.filter(user=eva, role="system_admin").exists()


def test_granting_and_revoking_is_audited(client, users):
    login_as(client, "mona.kommuneadmin")
    eva = users["eva.soknad"]
    client.post(reverse("accounts:role_grant", kwargs={"user_id": eva.pk}),
                {"organization": org("3301").pk, "role": "register_user"})
    assignment = RoleAssignment.objects.active().get(user=eva, role="register_user")
    granted = AuditEvent.objects.get(event_type="roles.granted", object_id=str(assignment.pk))
    assert granted.actor == users["mona.kommuneadmin"]
    assert granted.payload["user_id"] == eva.pk
    client.post(reverse("accounts:role_revoke", kwargs={"user_id": eva.pk,
                                                        "assignment_id": assignment.pk}))
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None and assignment.revoked_by == users[
        "mona.kommuneadmin"]
    assert AuditEvent.objects.filter(event_type="roles.revoked",
                                     object_id=str(assignment.pk)).exists()


def test_removing_a_user_from_the_municipality_keeps_roles_elsewhere(client, users):
    login_as(client, "maria.grimstad")
    jonas = users["jonas.registrering"]
    client.post(reverse("accounts:user_remove", kwargs={"user_id": jonas.pk}))
    active = RoleAssignment.objects.active().filter(user=jonas)
    assert {a.organization.code for a in active} == {"3301"}
    jonas.refresh_from_db()
    assert jonas.is_active


def test_a_system_administrator_manages_everyone(client, users):
    login_as(client, "ingrid.admin")
    response = client.get(reverse("accounts:user_list"))
    assert response.context["page"].paginator.count == User.objects.count()
    anders = users["anders.namsos"]
    client.post(reverse("accounts:user_remove", kwargs={"user_id": anders.pk}), {"active": "0"})
    anders.refresh_from_db()
    assert not anders.is_active
    assert AuditEvent.objects.filter(event_type="users.deactivated",
                                     object_id=str(anders.pk)).exists()


def test_invitation_is_mailed_over_smtp_and_creates_the_account(
    client, users, smtp_server, django_capture_on_commit_callbacks
):
    login_as(client, "mona.kommuneadmin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invite"), {
            "first_name": "Nina", "last_name": "Solberg", "email": "nina.solberg@drammen.example",
            "organization": org("3301").pk, "role": "register_user",
        })
    assert response.status_code == 302
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["To"] == "nina.solberg@drammen.example"
    body = message.get_payload(decode=True).decode()
    link = re.search(r"http://\S+/konto/invitasjon/(\S+)/", body)
    assert link, body
    assert OutboundEmail.objects.get(kind="invitation").status == "sent"
    invitation = Invitation.objects.get(email="nina.solberg@drammen.example")
    # The token is stored only as a hash.
    assert link.group(1) not in invitation.token_hash

    client.post(reverse("accounts:logout"))
    accept = reverse("accounts:invitation_accept", kwargs={"token": link.group(1)})
    page = client.get(accept)
    assert page.status_code == 200
    bad = client.post(accept, {"username": "nina.3301", "password1": "kort",
                               "password2": "kort"})
    assert {"username", "password1"} <= set(bad.context["form"].errors)
    assert 'value="nina.3301"' in bad.content.decode()  # nothing typed is lost
    done = client.post(accept, {"username": "nina.solberg", "password1": "Et-langt-passord-42",
                                "password2": "Et-langt-passord-42"})
    assert done.status_code == 302
    nina = User.objects.get(username="nina.solberg")
    assert RoleAssignment.objects.active().filter(user=nina, role="register_user",
                                                  organization=org("3301")).exists()
    assert client.get(accept).status_code == 404  # used once


def test_mail_is_not_sent_when_the_change_is_rolled_back(smtp_server, users):
    from django.db import transaction

    from core.mail import mail_queue

    try:
        with transaction.atomic():
            mail_queue(kind="test", to=["x@example.no"], template="accounts/email/invitation.txt",
                       context={"invitation": Invitation(first_name="X", organization=org("3301"),
                                                         role="register_user"), "token": "t"})
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert smtp_server == []
    assert not OutboundEmail.objects.filter(kind="test").exists()


def test_a_user_list_costs_the_same_number_of_queries_for_many_users(
    client, users, django_assert_max_num_queries
):
    login_as(client, "ingrid.admin")
    url = reverse("accounts:user_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    drammen = org("3301")
    for i in range(40):
        extra = User.objects.create(username=f"bruker.nr{chr(97 + i % 26)}{i % 10}x{i // 10}",
                                    email=f"u{i}@example.no")
        RoleAssignment.objects.create(user=extra, organization=drammen, role="register_user")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(few) <= 14
