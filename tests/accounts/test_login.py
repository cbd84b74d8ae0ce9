"""Log-in through the real views: password, second factor, enrolment, throttling."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginFailure
from audit.models import AuditEvent
from shell.demo import DEMO_PASSWORD, demo_totp_code

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")


def _password_step(client, username, password=DEMO_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_directorate_staff_log_in_with_password_and_code(client, users):
    response = _password_step(client, "ola.saksbehandler")
    assert response.status_code == 302 and response.url == CODE
    # The password alone does not log in.
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302
    response = client.post(CODE, {"code": demo_totp_code()})
    assert response.status_code == 302 and response.url == reverse("shell:home")
    assert client.session["_auth_user_id"] == str(users["ola.saksbehandler"].pk)
    page = client.get(reverse("shell:home"))
    assert page.status_code == 200
    event = AuditEvent.objects.filter(event_type="auth.login_succeeded").latest("id")
    assert event.actor_id == users["ola.saksbehandler"].pk
    assert event.payload == {"method": "password+totp", "two_factor": True}


def test_log_in_with_e_mail_address(client, users):
    response = _password_step(client, "OLA.SAKSBEHANDLER@demo.tilskudd.example")
    assert response.url == CODE


def test_a_wrong_code_does_not_log_in(client):
    _password_step(client, "ola.saksbehandler")
    good = demo_totp_code()
    response = client.post(CODE, {"code": "000000" if good != "000000" else "111111"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_a_backup_code_works_once(client, users):
    user = users["tor.kommunedirektor"]
    from accounts.services import backup_codes_regenerate

    codes = backup_codes_regenerate(user=user)
    _password_step(client, "tor.kommunedirektor")
    assert client.post(CODE, {"code": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1
    client.post(reverse("accounts:logout"))
    _password_step(client, "tor.kommunedirektor")
    assert client.post(CODE, {"code": codes[0]}).status_code == 200


def test_an_editor_without_register_access_may_log_in_with_password_only(client, users):
    response = _password_step(client, "eva.soknad")
    assert response.status_code == 302 and response.url == reverse("shell:home")
    assert client.get(reverse("shell:home")).status_code == 200


def test_a_user_whose_role_requires_two_factor_must_enrol_first(client, users):
    user = users["jonas.registrering"]
    TOTPDevice.objects.filter(user=user).delete()
    response = _password_step(client, "jonas.registrering")
    assert response.url == reverse("accounts:two_factor_enroll")
    page = client.get(response.url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert "_auth_user_id" not in client.session
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{TOTP(device.bin_key).token():06d}"
    response = client.post(reverse("accounts:two_factor_enroll"), {"code": code})
    assert response.url == reverse("accounts:backup_codes")
    codes_page = client.get(response.url)
    assert len(codes_page.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("shell:home")).status_code == 200
    # Shown only once.
    assert client.get(reverse("accounts:backup_codes")).status_code == 302


def test_a_pending_log_in_expires(client, settings):
    _password_step(client, "ola.saksbehandler")
    session = client.session
    expired = time.time() - settings.TILSKUDD_PENDING_LOGIN_SECONDS - 1
    session["tilskudd_pending_login"]["at"] = expired
    session.save()
    response = client.post(CODE, {"code": demo_totp_code()})
    assert response.url == LOGIN


def test_repeated_failures_throttle_the_account_even_with_the_right_password(client, users):
    for _ in range(5):
        response = _password_step(client, "ola.saksbehandler", password="feil-passord-123")
        assert response.status_code == 200
    response = _password_step(client, "ola.saksbehandler")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type="auth.login_throttled").exists()
    # Another account from the same client is not locked by this.
    assert _password_step(client, "eva.soknad").status_code == 302


def test_throttling_also_counts_wrong_codes(client):
    _password_step(client, "kari.saksbehandler")
    for _ in range(5):
        client.post(CODE, {"code": "999999" if demo_totp_code() != "999999" else "888888"})
    # django-otp pauses the app after wrong codes (a delay that doubles each time) ...
    response = client.post(CODE, {"code": demo_totp_code()})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # ... and the wrong codes count against the account: a password alone now waits.
    client.logout()
    assert _password_step(client, "kari.saksbehandler").status_code == 429


def test_failures_for_unknown_names_are_throttled_the_same_way(client):
    for _ in range(5):
        _password_step(client, "finnes.ikke", password="feil-passord-123")
    assert _password_step(client, "finnes.ikke", password="x").status_code == 429


def test_the_throttle_stores_no_names_or_addresses(client):
    _password_step(client, "ola.saksbehandler", password="feil-passord-123")
    for failure in LoginFailure.objects.all():
        assert "ola" not in failure.key_hash and "127.0.0.1" not in failure.key_hash
        assert len(failure.key_hash) == 64


def test_failures_per_client_are_limited(client, settings):
    settings.TILSKUDD_LOGIN_MAX_FAILURES_PER_CLIENT = 3
    for name in ("a.en", "b.to", "c.tre"):
        _password_step(client, name, password="feil-passord-123")
    assert _password_step(client, "eva.soknad").status_code == 429


def test_session_ends_after_the_absolute_limit(client, settings):
    from tests.conftest import login_as

    login_as(client, "eva.soknad")
    session = client.session
    session["tilskudd_login_at"] = time.time() - settings.TILSKUDD_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("shell:home"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_audited(client, users):
    from tests.conftest import login_as

    login_as(client, "eva.soknad")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(event_type="auth.logout",
                                     actor=users["eva.soknad"]).exists()


def test_next_is_kept_and_foreign_hosts_are_ignored(client):
    response = client.post(LOGIN + "?next=/hjelp/", {
        "username": "eva.soknad", "password": DEMO_PASSWORD, "next": "/hjelp/"})
    assert response.url == "/hjelp/"
    client.post(reverse("accounts:logout"))
    response = client.post(LOGIN, {"username": "eva.soknad", "password": DEMO_PASSWORD,
                                   "next": "https://evil.example/"})
    assert response.url == reverse("shell:home")


def test_a_password_alone_cannot_enrol_a_new_app_over_an_existing_one(client, users):
    _password_step(client, "ola.saksbehandler")
    response = client.get(reverse("accounts:two_factor_enroll"))
    assert response.url == CODE
    response = client.post(reverse("accounts:two_factor_enroll"), {"code": "123456"})
    assert response.url == CODE
    assert not TOTPDevice.objects.filter(user=users["ola.saksbehandler"],
                                         confirmed=False).exists()
    assert "_auth_user_id" not in client.session


def test_log_in_names_never_contain_a_municipality_number():
    from django.core.exceptions import ValidationError

    from accounts.models import username_validator

    for bad in ("ola3301", "kari.0301", "Ola.Nordmann", "ab"):
        with pytest.raises(ValidationError):
            username_validator(bad)
    for good in ("ola.nordmann", "kari-2", "per_o.k33"):
        username_validator(good)
