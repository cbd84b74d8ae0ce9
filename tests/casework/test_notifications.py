"""Notifications (issue 10): the signer hears of an application awaiting signature; an
appeal or a change request reaches the directorate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from applications import services as application_services
from applications.models import Application
from casework import services
from core.models import OutboundEmail
from organizations.models import Organization
from tests.conftest import seen
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


def _officers():
    return (actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR")),
            actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST")))


def test_the_signers_are_told_when_an_application_awaits_signature(drammen, users):
    draft = Application.objects.get(organization=drammen, status="draft")
    editor = actor_for("eva.soknad", drammen)
    application_services.application_save(actor=editor, application=draft, content={
        "goals_qualitative": "Økt mestring.", "own_premises": "500000", "own_other": "300000",
        "knowledge_transfer": "Nettverk og rapport."})
    draft.refresh_from_db()
    application_services.application_send_for_signing(actor=editor, application=draft)
    mail = OutboundEmail.objects.get(kind="application_for_signing")
    assert set(mail.recipients) == {users["tor.kommunedirektor"].email,
                                    users["hilde.fullmakt"].email}
    assert draft.reference in mail.subject


def test_an_appeal_reaches_the_case_officer(drammen, users):
    ola, _kari = _officers()
    application = Application.objects.get(organization=drammen, status="submitted")
    services.case_assign(actor=ola, application=application, user=ola.user)
    services.case_screen(actor=ola, application=application, passed=False, reason="late")
    application.refresh_from_db()
    letter = application.case.letters.get()
    services.appeal_file(actor=actor_for("tor.kommunedirektor", drammen),
                         application=application, received_on=letter.sent_at.date(),
                         text="Vi klager på avvisningen fordi søknaden kom inn i tide.")
    mail = OutboundEmail.objects.get(kind="directorate_appeal")
    assert mail.recipients == [users["ola.saksbehandler"].email]


def test_a_change_request_without_a_case_officer_reaches_the_regional_office(drammen):
    ola, kari = _officers()
    application = Application.objects.get(organization=drammen, status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(1_000_000), reasons="Redusert for å holde rammen.")
    services.decision_approve(actor=kari, application=application, seen=seen(application))
    services.change_request_file(actor=actor_for("tor.kommunedirektor", drammen),
                                 application=application, kind="budget",
                                 description="Vi ønsker å flytte midler fra lokaler til tiltak.")
    mail = OutboundEmail.objects.get(kind="directorate_change_request")
    expected = set(services.directorate_recipients(application))
    assert expected and set(mail.recipients) == expected
    region = drammen.region()
    from accounts.models import RoleAssignment

    officers = {a.user.email for a in RoleAssignment.objects.active().filter(
        role="case_officer", organization=region).select_related("user")}
    assert expected == officers or not officers
