"""Log-in throttling keyed on the user, with a growing delay that never locks out the
right password with the right code (issue 10, item 8; decision 0009)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import throttle
from accounts.models import LoginFailure
from shell.demo import DEMO_PASSWORD, demo_totp_code
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
WRONG = "feil-passord-123"


def _password_step(client, username, password=DEMO_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _age_failures(seconds):
    LoginFailure.objects.update(failed_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_the_log_in_name_and_the_e_mail_address_count_against_the_same_user(client, users):
    # Alternating gave 10 guesses instead of 5.
    for name in ("eva.soknad", "EVA.SOKNAD@demo.tilskudd.example") * 2 + ("eva.soknad",):
        assert _password_step(client, name, password=WRONG).status_code == 200
    assert _password_step(client, "eva.soknad@demo.tilskudd.example").status_code == 429
    assert _password_step(client, "eva.soknad").status_code == 429
    assert "_auth_user_id" not in client.session


def test_others_failures_never_lock_out_the_right_password_with_the_right_code(client, users):
    """Deadline day: someone tries passwords for the chief executive's name all morning."""
    attacker = client.__class__(REMOTE_ADDR="10.9.9.9")
    for _ in range(12):
        attacker.post(LOGIN, {"username": "tor.kommunedirektor", "password": WRONG})
    # The password alone is not evaluated now (no oracle for the attacker) ...
    response = _password_step(client, "tor.kommunedirektor")
    assert response.status_code == 429
    assert "code" in response.context["form"].fields  # ... the page asks for the code too
    assert "_auth_user_id" not in client.session
    # ... but the right password and the right code get in at once.
    response = _password_step(client, "tor.kommunedirektor", code=demo_totp_code(),
                              with_code="1")
    assert response.status_code == 302 and response.url == reverse("shell:home")
    assert client.session["_auth_user_id"] == str(users["tor.kommunedirektor"].pk)


def test_a_wrong_password_with_a_right_code_is_answered_like_any_failure(client, users):
    for _ in range(5):
        _password_step(client, "tor.kommunedirektor", password=WRONG)
    wrong_password = _password_step(client, "tor.kommunedirektor", password=WRONG,
                                    code=demo_totp_code(), with_code="1")
    for _ in range(5):
        _password_step(client, "finnes.ikke", password=WRONG)
    unknown = _password_step(client, "finnes.ikke", password=WRONG, code="123456",
                             with_code="1")
    assert wrong_password.status_code == unknown.status_code == 429
    assert set(wrong_password.context["form"].fields) == set(unknown.context["form"].fields)
    assert "_auth_user_id" not in client.session


def test_the_delay_grows_with_each_failure_and_is_capped(settings):
    settings.TILSKUDD_LOGIN_MAX_FAILURES = 5
    settings.TILSKUDD_LOGIN_BACKOFF_BASE_SECONDS = 30
    settings.TILSKUDD_LOGIN_BACKOFF_MAX_SECONDS = 900
    delays = [throttle.backoff_delay(n, 5) for n in range(4, 12)]
    assert delays[0] is None
    assert [d.total_seconds() for d in delays[1:]] == [30, 60, 120, 240, 480, 900, 900]


def test_a_password_alone_is_evaluated_again_after_the_delay(client, users):
    for _ in range(5):
        _password_step(client, "eva.soknad", password=WRONG)
    assert _password_step(client, "eva.soknad").status_code == 429
    # Attempts during the delay are not counted, so hammering does not lengthen it.
    assert LoginFailure.objects.filter(scope="account").count() == 5
    _age_failures(31)
    response = _password_step(client, "eva.soknad")
    assert response.status_code == 302 and response.url == reverse("shell:home")


def test_re_authentication_for_a_signer_is_not_locked_out_by_others(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    attacker = client.__class__(REMOTE_ADDR="10.9.9.9")
    for _ in range(8):
        attacker.post(LOGIN, {"username": "tor.kommunedirektor", "password": WRONG})
    login_as(client, "tor.kommunedirektor", recently_authenticated=False)
    response = client.post(reverse("accounts:reauthenticate"),
                           {"password": DEMO_PASSWORD, "code": demo_totp_code(),
                            "next": "/soknader/"})
    assert response.status_code == 302 and response.url == "/soknader/"


def test_failures_are_keyed_by_user_never_by_name(client, users):
    _password_step(client, "eva.soknad", password=WRONG)
    keys = set(LoginFailure.objects.filter(scope="account").values_list("key_hash", flat=True))
    assert keys == {throttle._key(f"user:{users['eva.soknad'].pk}")}
