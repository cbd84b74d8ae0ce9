"""The case page reads in the order of the work and says who did the last step (issue 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from casework import services
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(client):
    office = Organization.objects.get(code="IMDI-SOR")
    ola = actor_for("ola.saksbehandler", office)
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    login_as(client, "ola.saksbehandler", organization=office)
    return application


def _page(client, application) -> str:
    return client.get(reverse("casework:case", kwargs={"pk": application.pk})).content.decode()


def test_the_status_line_names_who_did_the_last_step_and_when(client, screened, users):
    page = _page(client, screened)
    status = page[page.index("<dt>"):page.index("</dl>")]
    assert users["ola.saksbehandler"].get_full_name() in status
    assert "Under vurdering" in status or "Under assessment" in status


def test_sections_follow_the_work_and_saved_scores_show_as_saved(client, screened):
    client.post(reverse("casework:assess", kwargs={"pk": screened.pk}),
                {"score_purpose": "5", "justification_purpose": "Godt begrunnet formål."})
    page = _page(client, screened)
    assert page.index('id="screening-heading"') < page.index('id="assessment-heading"') \
        < page.index('id="decision-heading"')
    assert "Lagret: 5 poeng" in page or "Saved: score 5" in page
    assert '<option value="5" selected>' in page


def test_averages_have_two_decimals(client, screened):
    kari = actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST"))
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    services.case_assess(actor=ola, application=screened,
                         scores={"purpose": (5, "Godt begrunnet formål.")})
    services.case_assess(actor=kari, application=screened,
                         scores={"purpose": (4, "Ganske godt begrunnet.")})
    from casework.selectors import assessment_summary

    row = next(r for r in assessment_summary(screened.round) if r.application == screened)
    assert str(row.averages["purpose"]) == "4.50"
