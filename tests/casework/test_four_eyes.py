"""Four eyes approve exactly the proposal they saw (issue 10, security item 1)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from casework import services
from casework.models import Decision, Letter
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


def _officers():
    return (actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR")),
            actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST")))


def _screened() -> Application:
    ola, _kari = _officers()
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    return application


def test_an_approval_of_the_version_loaded_before_is_refused(client):
    ola, kari = _officers()
    application = _screened()
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(1_000), reasons="Et lite beløp til å begynne med.")
    # B opens the case: the approve form carries the fingerprint of the 1 000 kr proposal.
    login_as(client, "kari.saksbehandler", organization=kari.organization)
    page = client.get(reverse("casework:case", kwargs={"pk": application.pk}))
    seen_then = re.search(r'name="seen" value="([0-9a-f]{64})"', page.content.decode()).group(1)
    # A proposes again: 4 000 000 kr for three years.
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(4_000_000), years=3,
                              reasons="Hele beløpet det søkes om, over tre år.")
    # B submits the form loaded before.
    response = client.post(reverse("casework:approve", kwargs={"pk": application.pk}),
                           {"seen": seen_then}, follow=True)
    decision = Decision.objects.get(case__application=application)
    assert not decision.approved
    assert decision.amount == Decimal(4_000_000) and decision.version == 2
    assert not Letter.objects.filter(case__application=application).exists()
    assert "endret" in response.content.decode() or "changed" in response.content.decode()
    # Having read the current proposal, B may approve it.
    page = client.get(reverse("casework:case", kwargs={"pk": application.pk}))
    seen_now = re.search(r'name="seen" value="([0-9a-f]{64})"', page.content.decode()).group(1)
    assert seen_now != seen_then
    client.post(reverse("casework:approve", kwargs={"pk": application.pk}), {"seen": seen_now})
    decision.refresh_from_db()
    assert decision.approved and decision.approved_by == kari.user


def test_an_approval_without_the_fingerprint_is_refused():
    ola, kari = _officers()
    application = _screened()
    services.decision_propose(actor=ola, application=application, kind="refusal",
                              reasons="Svakere enn de andre søknadene.")
    from django.core.exceptions import ValidationError

    for seen in ("", "0" * 64):
        with pytest.raises(ValidationError):
            services.decision_approve(actor=kari, application=application, seen=seen)
    assert not Decision.objects.get(case__application=application).approved


def test_a_new_proposal_keeps_the_row_and_raises_the_version():
    ola, _kari = _officers()
    application = _screened()
    first = services.decision_propose(actor=ola, application=application, kind="commitment",
                                      amount=Decimal(2_000_000),
                                      reasons="Redusert for å holde rammen.")
    print_before = first.fingerprint()
    second = services.decision_propose(actor=ola, application=application, kind="commitment",
                                       amount=Decimal(2_000_000), years=2,
                                       reasons="Redusert for å holde rammen.")
    assert second.pk == first.pk and second.version == first.version + 1
    assert second.fingerprint() != print_before
