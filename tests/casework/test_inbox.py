"""The inbox and the case page: submitted applications per round, region, amount,
assignment, internal notes and the timeline from the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from applications.models import Application
from audit.models import AuditEvent
from casework import services
from casework.selectors import inbox
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    return Application.objects.get(organization__code="3301", status="submitted")


@pytest.fixture
def officer():
    return actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))


def test_the_inbox_lists_the_rounds_submitted_applications(client, submitted):
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("casework:inbox"), {"utlysning": submitted.round_id})
    rows = response.context["rows"]
    assert [r.application for r in rows] == [submitted]
    assert rows[0].region is not None and rows[0].amount > 0
    assert Application.objects.filter(status="draft").exclude(
        pk__in=[r.application.pk for r in rows]).exists()  # drafts are not cases


def test_assignment_and_filters(submitted, officer):
    kari = User.objects.get(username="kari.saksbehandler")
    services.case_assign(actor=officer, application=submitted, user=kari)
    assert inbox(submitted.round, assigned="me", user=kari)[0].application == submitted
    assert inbox(submitted.round, assigned="none") == []
    with pytest.raises(ValidationError):
        services.case_assign(actor=officer, application=submitted,
                             user=User.objects.get(username="eva.soknad"))
    auditor = actor_for("lars.revisor", Organization.objects.get(code="IMDI"))
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=auditor, application=submitted, user=kari)
    event = AuditEvent.objects.get(event_type="casework.assigned")
    assert event.payload["user_id"] == kari.pk


def test_notes_and_the_timeline(client, submitted, officer):
    services.case_note_add(actor=officer, application=submitted, text="Ringt kommunen.")
    login_as(client, "lars.revisor")
    response = client.get(reverse("casework:case", kwargs={"pk": submitted.pk}))
    assert response.status_code == 200 and not response.context["can_work"]
    html = response.content.decode()
    assert "Ringt kommunen." in html and submitted.signature.content_hash in html
    assert any(e.event_type == "casework.note_added" for e in response.context["timeline"])
    assert client.post(reverse("casework:note", kwargs={"pk": submitted.pk}),
                       {"text": "Revisor prøver"}).status_code == 403


def test_a_draft_is_no_case(client):
    draft = Application.objects.get(organization__code="3301", status="draft")
    login_as(client, "ola.saksbehandler")
    assert client.get(reverse("casework:case", kwargs={"pk": draft.pk})).status_code == 404


def test_the_inbox_query_count_does_not_grow_with_applications(client, submitted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(client, "ola.saksbehandler")
    url = reverse("casework:inbox") + f"?utlysning={submitted.round_id}"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ("5007", "4202", "3005"):
        org = Organization.objects.filter(code=code).first() or Organization.objects.get(
            code="3301")
        if org.code == "3301":
            continue
        Application.objects.create(round=submitted.round, organization=org,
                                   status="submitted", content={"amount_applied": "1000"},
                                   submitted_at=submitted.submitted_at)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 3
    assert len(few) == len(many)


def test_a_rejection_is_a_letter_with_the_right_to_appeal(client, submitted, officer,
                                                         smtp_server,
                                                         django_capture_on_commit_callbacks):
    import hashlib
    import io

    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_screen(actor=officer, application=submitted, passed=False,
                                    reason="conditions",
                                    reason_text="Egenfinansieringen er under 20 %.")
    assert case.status == "rejected"
    letter = case.letters.get()
    assert hashlib.sha256(bytes(letter.pdf)).hexdigest() == letter.sha256
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(letter.pdf))).pages)
    flat = " ".join(text.split())
    assert "tre uker" in flat and "Arbeids- og inkluderingsdepartementet" in flat
    assert "Egenfinansieringen er under 20 %." in flat
    with pytest.raises(ValueError):  # a sent letter never changes
        letter.reason_text = "Endret"
        letter.save()
    with pytest.raises(ValidationError):  # screened once
        services.case_screen(actor=officer, application=submitted, passed=True)
    assert len(smtp_server) == 1
    attached = [p for p in smtp_server[0].walk() if p.get_content_type() == "application/pdf"]
    assert hashlib.sha256(attached[0].get_payload(decode=True)).hexdigest() == letter.sha256
    # The municipality sees the status and the letter.
    login_as(client, "eva.soknad", organization=submitted.organization)
    html = client.get(reverse("applications:detail", kwargs={"pk": submitted.pk})
                      ).content.decode()
    assert "Avvist" in html or "Rejected" in html
    response = client.get(reverse("applications:letter",
                                  kwargs={"pk": submitted.pk, "letter_id": letter.pk}))
    assert response.content == bytes(letter.pdf)


def test_screening_passes_to_assessment(submitted, officer):
    facts = services.screening_facts(submitted)
    assert [ok for _what, ok, _detail in facts][:2] == [True, True]
    case = services.case_screen(actor=officer, application=submitted, passed=True)
    assert case.status == "in_assessment" and not case.letters.exists()


def test_a_rejection_needs_a_reason(submitted, officer):
    with pytest.raises(ValidationError):
        services.case_screen(actor=officer, application=submitted, passed=False)


def test_several_assessors_and_the_round_summary(client, submitted, officer):
    from casework.selectors import assessment_summary

    with pytest.raises(ValidationError):  # not screened yet
        services.case_assess(actor=officer, application=submitted,
                             scores={"purpose": (5, "Treffer målgruppen godt.")})
    services.case_screen(actor=officer, application=submitted, passed=True)
    with pytest.raises(ValidationError):
        services.case_assess(actor=officer, application=submitted,
                             scores={"purpose": (9, "Treffer målgruppen godt.")})
    services.case_assess(actor=officer, application=submitted, scores={
        "purpose": (5, "Treffer målgruppen godt."),
        "capacity": (4, "Solid samarbeid med NAV.")})
    kari = actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST"))
    services.case_assess(actor=kari, application=submitted, scores={
        "purpose": (6, "Svært godt begrunnet prosjekt.")})
    row = assessment_summary(submitted.round)[0]
    assert str(row.averages["purpose"]) == "5.5" and row.averages["capacity"] == 4
    assert row.assessors == 2 and str(row.total) == "4.8"
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("casework:summary", kwargs={"round_pk": submitted.round_id}))
    assert response.status_code == 200 and "5.5" in response.content.decode().replace(",", ".")


def test_the_inbox_counts_and_filters_by_status(client, submitted, officer):
    services.case_screen(actor=officer, application=submitted, passed=True)
    login_as(client, "ola.saksbehandler")
    url = reverse("casework:inbox")
    response = client.get(url, {"utlysning": submitted.round_id, "status": "received"})
    assert response.context["rows"] == []
    assert response.context["status_counts"]["in_assessment"] == 1
    response = client.get(url, {"utlysning": submitted.round_id, "status": "in_assessment"})
    assert [r.application for r in response.context["rows"]] == [submitted]
