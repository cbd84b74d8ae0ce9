"""Id numbers in other digits (issue 10, item 7): Arabic-Indic and fullwidth digits pass
str.isdigit(), so the same person could be registered three times; a superscript digit gave
a 500. The register's form takes ASCII [0-9]{11} only (after removing spaces) and says so
in the field's error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from register import services
from register.models import Participant
from tests.conftest import login_as

from .conftest import recent_start

pytestmark = pytest.mark.django_db

DIGITS = {
    "arabic-indic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "fullwidth": str.maketrans("0123456789", "０１２３４５６７８９"),
    "superscript": str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"),
}


@pytest.fixture
def jonas(client, drammen):
    login_as(client, "jonas.registrering", organization=drammen)
    return client


def _post(client, national_id: str):
    return client.post(reverse("register:participant_create"), {
        "national_id": national_id, "start_date": recent_start().isoformat(),
        "financing": "allowance"})


@pytest.mark.parametrize("kind", DIGITS)
def test_other_digits_get_a_field_error_not_a_second_participant(jonas, fresh_number, kind):
    number = fresh_number()
    first = _post(jonas, number)
    assert first.status_code == 302
    for typed in (number.translate(DIGITS[kind]), number[:-1] + number[-1].translate(
            DIGITS[kind])):
        response = _post(jonas, typed)
        html = response.content.decode()
        assert response.status_code == 200
        assert "vanlige sifre (0–9)" in html
        assert 'aria-invalid="true"' in html
    assert Participant.objects.filter(national_id=number).count() == 1
    assert not Participant.objects.exclude(national_id__regex=r"^[0-9]{11}$").exists()


def test_non_breaking_spaces_are_removed_and_the_number_is_stored_in_ascii(jonas,
                                                                            fresh_number):
    number = fresh_number()
    response = _post(jonas, f"{number[:6]}\u00a0{number[6:]}")
    assert response.status_code == 302
    assert Participant.objects.get(national_id=number)


@pytest.mark.parametrize("kind", DIGITS)
def test_the_service_refuses_other_digits_too(register_actor, fresh_number, kind):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        services.participant_create(actor=register_actor,
                                    national_id=fresh_number().translate(DIGITS[kind]),
                                    start_date=recent_start(), financing="allowance")
    assert "national_id" in info.value.message_dict
