"""Re-authentication before sensitive actions (used here by role changes)."""

import time

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment
from organizations.models import Organization
from shell.demo import DEMO_PASSWORD, demo_totp_code
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def test_a_role_change_needs_a_fresh_confirmation(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp would pause the device after a miss
    login_as(client, "mona.kommuneadmin", recently_authenticated=False)
    drammen = Organization.objects.get(code="3301", kind="municipality")
    url = reverse("accounts:role_grant", kwargs={"user_id": users["eva.soknad"].pk})
    data = {"organization": drammen.pk, "role": "register_user"}
    response = client.post(url, data, HTTP_REFERER="/konto/brukere/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not RoleAssignment.objects.active().filter(
        user=users["eva.soknad"], role="register_user").exists()

    wrong = client.post(reverse("accounts:reauthenticate"),
                        {"password": DEMO_PASSWORD, "code": "12345"})
    assert wrong.status_code == 200
    ok = client.post(reverse("accounts:reauthenticate") + "?next=/konto/brukere/",
                     {"password": DEMO_PASSWORD, "code": demo_totp_code(),
                      "next": "/konto/brukere/"})
    assert ok.status_code == 302 and ok.url == "/konto/brukere/"
    assert client.post(url, data).status_code == 302
    assert RoleAssignment.objects.active().filter(
        user=users["eva.soknad"], role="register_user").exists()


def test_the_confirmation_expires(client, settings):
    login_as(client, "mona.kommuneadmin")
    session = client.session
    session["tilskudd_reauth_at"] = time.time() - settings.TILSKUDD_REAUTH_MAX_AGE_SECONDS - 1
    session.save()
    response = client.get(reverse("accounts:user_invite"))
    assert response.url.startswith(reverse("accounts:reauthenticate"))
