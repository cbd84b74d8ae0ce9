"""Withdrawal (issue 10, security item 2): only a signer withdraws a submitted application,
only before a decision, re-authenticated; every later step refuses a withdrawn one, and the
case stays visible to the directorate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications import services as application_services
from applications.models import Application
from casework import services
from casework.models import Case, CaseStatus
from organizations.models import Organization
from tests.conftest import login_as, seen
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


@pytest.fixture
def submitted(drammen):
    return Application.objects.get(organization=drammen, status="submitted")


def _officers():
    return (actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR")),
            actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST")))


def _grant(application):
    ola, kari = _officers()
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(1_000_000), reasons="Redusert for å holde rammen.")
    services.decision_approve(actor=kari, application=application, seen=seen(application))


def test_a_password_only_editor_cannot_withdraw_a_signed_application(client, drammen,
                                                                     submitted):
    login_as(client, "eva.soknad", organization=drammen)
    client.post(reverse("applications:withdraw", kwargs={"pk": submitted.pk}))
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    with pytest.raises(PermissionDenied):
        application_services.application_withdraw(actor=actor_for("eva.soknad", drammen),
                                                  application=submitted)


def test_a_granted_application_cannot_be_withdrawn(client, drammen, submitted):
    _grant(submitted)
    chief = actor_for("tor.kommunedirektor", drammen)
    with pytest.raises(ValidationError):
        application_services.application_withdraw(actor=chief, application=submitted)
    login_as(client, "tor.kommunedirektor", organization=drammen)
    client.post(reverse("applications:withdraw", kwargs={"pk": submitted.pk}))
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert Case.objects.get(application=submitted).status == CaseStatus.GRANTED


def test_withdrawal_needs_a_fresh_confirmation(client, drammen, submitted):
    login_as(client, "tor.kommunedirektor", organization=drammen,
             recently_authenticated=False)
    response = client.post(reverse("applications:withdraw", kwargs={"pk": submitted.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_signer_withdraws_before_a_decision_and_the_directorate_still_sees_it(
        client, drammen, submitted):
    ola, _kari = _officers()
    services.case_screen(actor=ola, application=submitted, passed=True)
    login_as(client, "tor.kommunedirektor", organization=drammen)
    client.post(reverse("applications:withdraw", kwargs={"pk": submitted.pk}))
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"
    assert Case.objects.get(application=submitted).status == CaseStatus.WITHDRAWN
    # The directorate still opens the case, marked withdrawn.
    login_as(client, "ola.saksbehandler", organization=ola.organization)
    page = client.get(reverse("casework:case", kwargs={"pk": submitted.pk}))
    assert page.status_code == 200
    # And nothing more is done in it.
    with pytest.raises(ValidationError):
        services.decision_propose(actor=ola, application=submitted, kind="refusal",
                                  reasons="Svakere enn de andre søknadene.")
    with pytest.raises(ValidationError):
        services.case_note_add(actor=ola, application=submitted, text="Et notat til saken.")


def test_later_steps_refuse_a_withdrawn_application(drammen, submitted):
    """Even if a withdrawn application somehow had a grant (data from before this rule),
    acceptance and change requests refuse it."""
    _grant(submitted)
    Application.objects.filter(pk=submitted.pk).update(status="withdrawn")
    submitted.refresh_from_db()
    chief = actor_for("tor.kommunedirektor", drammen)
    with pytest.raises(ValidationError, match="withdrawn|trukket"):
        services.grant_accept(actor=chief, application=submitted)
    with pytest.raises(ValidationError, match="withdrawn|trukket"):
        services.change_request_file(actor=chief, application=submitted, kind="budget",
                                     description="Vi ønsker å flytte midler mellom poster.")


def test_an_editor_still_withdraws_a_draft(drammen):
    draft = Application.objects.get(organization=drammen, status="draft")
    application_services.application_withdraw(actor=actor_for("eva.soknad", drammen),
                                              application=draft)
    draft.refresh_from_db()
    assert draft.status == "withdrawn"
    assert not Case.objects.filter(application=draft).exists()
