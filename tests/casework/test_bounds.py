"""Input that used to break case pages (issue 10, security item 6): every POST goes
through a bounded form; a refusal changes nothing and the pages keep working."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from casework import services
from casework.models import Decision
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(client):
    office = Organization.objects.get(code="IMDI-SOR")
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=actor_for("ola.saksbehandler", office), application=application,
                         passed=True)
    login_as(client, "ola.saksbehandler", organization=office)
    return application


@pytest.mark.parametrize("amount, years", [
    ("999999999999999", "1"),  # 15 digits: more than the column holds
    ("NaN", "1"), ("Infinity", "1"), ("-5", "1"), ("1e9", "1"),
    ("1000000", "NaN"), ("1000000", "-1"), ("1000000", "99999999999999999999"),
])
def test_a_bad_amount_or_number_of_years_is_refused_and_the_pages_still_work(
        client, case, amount, years):
    response = client.post(reverse("casework:propose", kwargs={"pk": case.pk}),
                           {"kind": "commitment", "amount": amount, "years": years,
                            "reasons": "Begrunnelse for beløpet."}, follow=True)
    assert response.status_code == 200
    assert not Decision.objects.filter(case__application=case).exists()
    assert client.get(reverse("casework:case", kwargs={"pk": case.pk})).status_code == 200
    assert client.get(reverse("casework:summary",
                              kwargs={"round_pk": case.round_id})).status_code == 200


def test_an_amount_typed_with_spaces_and_kr_is_understood(client, case):
    client.post(reverse("casework:propose", kwargs={"pk": case.pk}),
                {"kind": "commitment", "amount": "1 200 000 kr", "years": "2",
                 "reasons": "Redusert for å holde rammen."})
    decision = Decision.objects.get(case__application=case)
    assert decision.amount == 1_200_000 and decision.years == 2


def test_the_proposal_form_shows_the_pending_proposal(client, case):
    client.post(reverse("casework:propose", kwargs={"pk": case.pk}),
                {"kind": "commitment", "amount": "1200000", "years": "2",
                 "reasons": "Redusert for å holde rammen."})
    page = client.get(reverse("casework:case", kwargs={"pk": case.pk})).content.decode()
    assert 'value="1200000"' in page
    assert 'id="kind-commitment" name="kind" value="commitment" checked' in page
    assert '<option value="2" selected>' in page
