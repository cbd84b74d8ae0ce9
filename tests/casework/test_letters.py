"""Letters read as letters: addressed to the organisation's official name, amounts and
dates in Norwegian format, and one file name for one letter everywhere — the download,
the e-mail's attachment and the pages' links."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application
from casework import services
from casework.letters import letter_filename
from casework.models import Decision
from core.models import OutboundEmail
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                    .replace("\xa0", " ").split())


@pytest.fixture
def granted():
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    kari = actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST"))
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(4_140_000))
    services.decision_approve(actor=kari, application=application, seen=Decision.objects.get(
        case__application=application).fingerprint())
    return application


def test_a_grant_letter_is_addressed_and_formatted(granted):
    letter = granted.case.letters.get(kind="grant")
    text = _text(letter.read_pdf())
    assert "Drammen kommune" in text and "3301 Drammen" not in text
    assert "4 140 000 kr" in text and "4140000" not in text
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text)  # dates as 01.12.2026
    assert not re.search(r"\b\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|"
                         r"september|oktober|november|desember) \d{4}", text)


def test_one_file_name_for_one_letter_everywhere(client, granted):
    letter = granted.case.letters.get(kind="grant")
    name = letter_filename(letter)
    assert name == f"vedtak-{granted.reference}.pdf"
    mail = OutboundEmail.objects.filter(kind="grant_letter").latest("id")
    assert mail.attachment_name == name and name in mail.body

    login_as(client, "tor.kommunedirektor", organization=granted.organization)
    portal = client.get(reverse("grant:letter",
                                kwargs={"pk": granted.pk, "letter_id": letter.pk}))
    assert name in portal["Content-Disposition"]
    assert name in client.get(reverse("applications:detail",
                                      kwargs={"pk": granted.pk})).content.decode()

    login_as(client, "ola.saksbehandler")
    case = client.get(reverse("casework:letter", kwargs={"pk": granted.pk,
                                                         "letter_id": letter.pk}))
    assert name in case["Content-Disposition"]
    assert name in client.get(reverse("casework:case",
                                      kwargs={"pk": granted.pk})).content.decode()


def test_a_rejection_letter_to_a_city_district_and_a_county(client):
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    for kind, code, official in (("city_district", "030101", "Bydel Gamle Oslo"),
                                 ("county", "46", "Vestland fylkeskommune")):
        org = Organization.objects.get(kind=kind, code=code)
        round_ = Application.objects.filter(status="submitted").first().round
        application = Application.objects.create(
            round=round_, organization=org, status="submitted",
            content={"project_title": "Prosjekt", "amount_applied": "1000000"},
            submitted_at=round_.deadline)
        services.case_screen(actor=ola, application=application, passed=False, reason="late")
        letter = application.case.letters.get()
        assert official in _text(letter.read_pdf())
        assert letter_filename(letter) == f"avvisning-{application.reference}.pdf"
