"""Replacing the second factor (issue 10, item 4): never from a session alone — the
password and a current code from the app one has now are needed, or the directorate's
audited reset — and the user is told by e-mail."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from core.models import OutboundEmail
from shell.demo import DEMO_PASSWORD, demo_totp_code
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
ENROLL = reverse("accounts:two_factor_enroll")


@pytest.fixture(autouse=True)
def no_device_pause(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp would pause the app after a miss


def _new_code(user):
    """The code the new app shows (the page made its key when it showed the QR code)."""
    from accounts.services import totp_device_for_enrollment

    device = totp_device_for_enrollment(user=user)
    return f"{TOTP(device.bin_key).token():06d}"


def _stale(client, seconds=330):
    """The session of the review: logged in with both factors ``seconds`` ago."""
    session = client.session
    session["tilskudd_login_at"] = time.time() - seconds
    session["tilskudd_reauth_at"] = time.time() - seconds
    session.save()


def test_a_stale_session_alone_cannot_replace_the_app(client, users):
    ola = login_as(client, "ola.saksbehandler")
    old = TOTPDevice.objects.get(user=ola, confirmed=True)
    _stale(client)
    page = client.get(ENROLL + "?replace=1")
    assert page.status_code == 200
    assert {"password", "current_code", "code"} <= set(page.context["form"].fields)
    response = client.post(ENROLL + "?replace=1", {"code": _new_code(ola)})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    assert not TOTPDevice.objects.filter(user=ola, confirmed=True).exclude(pk=old.pk).exists()
    assert not OutboundEmail.objects.filter(kind="two_factor_changed").exists()


def test_a_wrong_password_or_current_code_changes_nothing(client, users):
    ola = login_as(client, "ola.saksbehandler")
    old = TOTPDevice.objects.get(user=ola, confirmed=True)
    wrong = "000000" if demo_totp_code() != "000000" else "111111"
    for password, current in (("feil-passord-123", demo_totp_code()), (DEMO_PASSWORD, wrong)):
        response = client.post(ENROLL, {"password": password, "current_code": current,
                                        "code": _new_code(ola)})
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    assert AuditEvent.objects.filter(event_type="auth.login_failed", object_id=str(ola.pk),
                                     payload__step="two_factor_replace").count() == 2


def test_the_password_and_a_current_code_replace_the_app_and_the_user_is_told(client, users):
    ola = login_as(client, "ola.saksbehandler")
    old = TOTPDevice.objects.get(user=ola, confirmed=True)
    _stale(client)
    response = client.post(ENROLL, {"password": DEMO_PASSWORD, "current_code": demo_totp_code(),
                                    "code": _new_code(ola)})
    assert response.status_code == 302 and response.url == reverse("accounts:backup_codes")
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=ola, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(event_type="auth.two_factor_replaced",
                                     object_id=str(ola.pk)).exists()
    notice = OutboundEmail.objects.get(kind="two_factor_changed")
    assert notice.recipients == [ola.email]


def test_the_directorates_reset_is_audited_and_the_user_is_told(client, users):
    tor = users["tor.kommunedirektor"]
    login_as(client, "ingrid.admin")
    response = client.post(reverse("accounts:two_factor_reset", kwargs={"user_id": tor.pk}))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=tor).exists()
    assert AuditEvent.objects.filter(event_type="auth.two_factor_reset",
                                     actor=users["ingrid.admin"], object_id=str(tor.pk)).exists()
    assert OutboundEmail.objects.get(kind="two_factor_changed").recipients == [tor.email]


def test_nobody_resets_their_own_second_factor(client, users):
    ingrid = login_as(client, "ingrid.admin")
    response = client.post(reverse("accounts:two_factor_reset", kwargs={"user_id": ingrid.pk}))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=ingrid, confirmed=True).exists()
