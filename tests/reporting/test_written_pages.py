"""The written reports' pages: the form shows the application's goals beside the fields,
keeps what was valid and what was typed wrong, the accounts attachment is checked, the
approvals and the certification go through the report's page, and another municipality
gets 404 everywhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Organization
from reporting.models import ObligationStatus, ReportVersion
from tests.conftest import login_as

from .test_written import ACCOUNTS, TEXTS, namsos, report

pytestmark = pytest.mark.django_db
S = ObligationStatus


def url(name, obligation, **kwargs):
    return reverse(f"reporting:{name}", kwargs={"pk": obligation.pk, **kwargs})


def test_the_form_shows_the_applications_goal_beside_each_field(client):
    obligation = report()
    login_as(client, "siri.namsos", organization=namsos())
    response = client.get(url("write", obligation))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Minst 12 deltakere i arbeid eller utdanning." in text  # the quantitative goal
    assert "I søknaden:" in text and "Regnskap" in text
    assert "results_quantitative" in text and "grant_report" not in text


def test_a_bad_amount_is_refused_by_field_and_nothing_typed_is_lost(client):
    obligation = report()
    login_as(client, "siri.namsos", organization=namsos())
    response = client.post(url("write", obligation), {
        "activities": "Språkpraksis.", "grant_used": "sekshundretusen", "actual_staff": "-5"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "sekshundretusen" in text and "Språkpraksis." in text  # typed, shown again
    assert "Oppgi et helt tall" in text or "Skriv inn et tall" in text or "tall" in text
    version = ReportVersion.objects.get(obligation=obligation)
    assert version.content["fields"]["activities"] == "Språkpraksis."  # the valid part saved
    assert "grant_used" not in version.content["fields"]


def test_write_send_approve_certify_through_the_pages(client):
    obligation = report()
    login_as(client, "siri.namsos", organization=namsos())
    assert client.post(url("write", obligation), {**TEXTS, **ACCOUNTS}).status_code == 302
    response = client.get(url("detail", obligation))
    assert "14 i arbeid." in response.content.decode()
    assert client.post(url("send", obligation)).status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == S.AWAITING_CERTIFICATION
    version = ReportVersion.objects.filter(obligation=obligation).latest("number")
    page = client.get(url("detail", obligation)).content.decode()
    assert f'name="seen" value="{version.sha256}"' in page and "Godkjenn regnskapet" in page
    client.post(url("approve", obligation), {"capacity": "project_lead",
                                             "seen": version.sha256})
    page = client.get(url("detail", obligation)).content.decode()
    assert "Godkjenn regnskapet" not in page  # one approval each

    login_as(client, "anders.namsos", organization=namsos())
    page = client.get(url("detail", obligation)).content.decode()
    assert "Attester og send inn" not in page  # the superior has not approved yet
    client.post(url("approve", obligation), {"capacity": "superior", "seen": version.sha256})
    page = client.get(url("detail", obligation)).content.decode()
    assert "Attester og send inn" in page
    response = client.post(url("certify", obligation), {"seen": version.sha256})
    assert response.status_code == 302
    obligation.refresh_from_db()
    version.refresh_from_db()
    assert obligation.status == S.SUBMITTED and version.certified_at
    receipt = client.get(url("version_receipt", obligation, version_id=version.pk))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_the_accounts_attachment_is_a_pdf_or_a_spreadsheet(client):
    obligation = report()
    login_as(client, "siri.namsos", organization=namsos())
    response = client.post(url("attachment_add", obligation), {
        "file": SimpleUploadedFile("bilde.png", b"\x89PNG\r\n", content_type="image/png")},
        follow=True)
    assert "PDF eller et regneark" in response.content.decode()
    assert not obligation.attachments.exists()
    client.post(url("attachment_add", obligation), {
        "file": SimpleUploadedFile("regnskap.pdf", b"%PDF-1.4 tall",
                                   content_type="application/pdf")})
    attachment = obligation.attachments.get()
    download = client.get(url("attachment", obligation, attachment_id=attachment.pk))
    assert download.status_code == 200 and download.content == b"%PDF-1.4 tall"


def test_another_municipality_gets_404_on_every_written_report_page(client):
    obligation = report()
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    login_as(client, "maria.grimstad", organization=grimstad)
    assert client.get(url("write", obligation)).status_code == 404
    for name in ("send", "return", "attachment_add"):
        assert client.post(url(name, obligation)).status_code == 404, name
    assert client.post(url("approve", obligation), {"capacity": "superior",
                                                    "seen": "0" * 64}).status_code == 404
    assert not obligation.versions.exists()


def test_a_report_sent_for_certification_reaches_the_signers_mail_and_start_page(client):
    from core.models import OutboundEmail

    from .test_written import editor, written_and_sent

    obligation = report("grant_report")
    written_and_sent(obligation)
    from django.contrib.auth import get_user_model

    queued = OutboundEmail.objects.filter(kind="report_for_certification").get()
    chief = get_user_model().objects.get(username="anders.namsos")
    assert chief.email in queued.recipients  # the chief executive of Namsos
    assert "prosjektansvarlig" in queued.body.lower()  # two approvers first
    assert reverse("reporting:detail", kwargs={"pk": obligation.pk}) in queued.body
    login_as(client, "anders.namsos", organization=namsos())
    page = client.get(reverse("shell:home")).content.decode()
    assert "venter på attestasjonen din" in page
    assert reverse("reporting:detail", kwargs={"pk": obligation.pk}) in page
    assert editor().user.email in queued.recipients  # the writers approve the accounts
