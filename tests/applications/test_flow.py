"""An application from start to signed receipt: drafts never lost, checks from the rules
core, frozen when sent for signing, signed by the chief executive with the content's hash,
a receipt PDF and e-mail through SMTP."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.checks import application_checklist
from applications.demo import CONTENT
from applications.models import Application
from audit.models import AuditEvent
from organizations.models import Organization
from schemes.models import Round
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


@pytest.fixture
def draft(drammen):
    return Application.objects.get(organization=drammen, status="draft")


def test_the_checklist_names_what_blocks(draft):
    checklist = application_checklist(draft)
    codes = {f.code for f in checklist.blocking}
    assert {"own_financing", "result_goals"} <= codes
    assert "knowledge_transfer" in checklist.missing
    assert checklist.grant is not None and checklist.grant.total > 0
    assert not checklist.ready


def test_saving_keeps_valid_values_and_refuses_bad_ones(client, drammen, draft):
    login_as(client, "eva.soknad", organization=drammen)
    url = reverse("applications:detail", kwargs={"pk": draft.pk})
    response = client.post(url, {"project_title": "Ny tittel", "places_with_g": "-3",
                                 "budget_staff": "abc", "months": "12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'value="-3"' in html
    draft.refresh_from_db()
    assert draft.content["project_title"] == "Ny tittel"
    assert draft.content["places_with_g"] == 20 and draft.content["budget_staff"] == "3600000"
    assert draft.versions.count() == 2


def test_from_draft_to_signed_receipt(client, drammen, draft, smtp_server,
                                      django_capture_on_commit_callbacks):
    editor = actor_for("eva.soknad", drammen)
    with pytest.raises(ValidationError):
        services.application_send_for_signing(actor=editor, application=draft)
    services.application_save(actor=editor, application=draft, content={
        "goals_qualitative": "Økt mestring.", "own_premises": "500000",
        "own_other": "300000",
        "knowledge_transfer": "Nettverk og rapport."})
    draft.refresh_from_db()
    assert application_checklist(draft).ready, application_checklist(draft).findings
    services.application_send_for_signing(actor=editor, application=draft)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):  # frozen
        services.application_save(actor=editor, application=draft,
                                  content={"project_title": "Endret"})
    with pytest.raises(PermissionDenied):  # editors do not sign
        services.application_sign(actor=editor, application=draft)

    chief = actor_for("tor.kommunedirektor", drammen)
    services.application_return(actor=chief, application=draft, comment="Rett budsjettet.")
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.return_comment
    services.application_send_for_signing(actor=editor, application=draft)
    draft.refresh_from_db()

    login_as(client, "tor.kommunedirektor", organization=drammen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:sign", kwargs={"pk": draft.pk}))
    assert response.status_code == 302
    draft.refresh_from_db()
    signature = draft.signature
    assert draft.status == "submitted" and signature.role == "chief_executive"
    # The stored document is exactly what was hashed, and holds the frozen content.
    assert hashlib.sha256(signature.signed_document.encode()).hexdigest() == \
        signature.content_hash
    assert json.loads(signature.signed_document)["content"] == draft.content
    receipt = client.get(reverse("applications:receipt", kwargs={"pk": draft.pk}))
    assert hashlib.sha256(receipt.content).hexdigest() == signature.receipt_hash
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.content)).pages)
    assert signature.content_hash[:32] in text.replace("\n", "")
    assert AuditEvent.objects.filter(event_type="applications.signed",
                                     payload__content_hash=signature.content_hash).exists()
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert "eva.soknad@demo.tilskudd.example" in message["To"]
    parts = list(message.walk())
    body = next(p for p in parts if p.get_content_type() == "text/plain")
    assert signature.content_hash in body.get_payload(decode=True).decode()
    pdf = next(p for p in parts if p.get_content_type() == "application/pdf")
    assert hashlib.sha256(pdf.get_payload(decode=True)).hexdigest() == signature.receipt_hash


def test_signing_after_the_deadline_is_refused(drammen, draft):
    Application.objects.filter(pk=draft.pk).update(status="for_signing")
    Round.objects.filter(pk=draft.round_id).update(deadline=timezone.now())
    chief = actor_for("tor.kommunedirektor", drammen)
    with pytest.raises(ValidationError, match="deadline|frist"):
        services.application_sign(actor=chief, application=draft)
    draft.refresh_from_db()
    assert draft.status == "for_signing"


def test_a_signed_application_cannot_be_changed_through_any_url(client, drammen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    submitted = Application.objects.get(organization=drammen, status="submitted")
    attachment = submitted.attachments.get()
    partner = submitted.partners.get()
    before = (submitted.content, submitted.version, submitted.signature.content_hash)
    for username in ("eva.soknad", "tor.kommunedirektor"):
        login_as(client, username, organization=drammen)
        kw = {"pk": submitted.pk}
        for name, kwargs in (
                ("applications:detail", kw), ("applications:send", kw),
                ("applications:return", kw), ("applications:sign", kw),
                ("applications:attachment_add", kw), ("applications:partner_add", kw),
                ("applications:attachment_remove", {**kw, "attachment_id": attachment.pk}),
                ("applications:partner_remove", {**kw, "org_id": partner.pk})):
            client.post(reverse(name, kwargs=kwargs), {
                "project_title": "Endret", "comment": "Endre alt sammen", "code": "5007",
                "file": SimpleUploadedFile("ny.pdf", b"%PDF-1.4 ny", "application/pdf")})
    submitted.refresh_from_db()
    assert (submitted.content, submitted.version, submitted.signature.content_hash) == before
    assert submitted.status == "submitted"
    assert list(submitted.attachments.all()) == [attachment]
    assert list(submitted.partners.all()) == [partner]
    assert services.signed_document(submitted) == submitted.signature.signed_document


def test_a_partner_reads_but_cannot_change_or_sign(client, drammen):
    submitted = Application.objects.get(organization=drammen, status="submitted")
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    login_as(client, "maria.grimstad", organization=grimstad)
    response = client.get(reverse("applications:detail", kwargs={"pk": submitted.pk}))
    assert response.status_code == 200 and not response.context["lead"]
    assert not response.context["editable"] and not response.context["can_sign"]
    assert client.get(reverse("applications:receipt",
                              kwargs={"pk": submitted.pk})).status_code == 200
    for name in ("applications:withdraw", "applications:send"):
        assert client.post(reverse(name, kwargs={"pk": submitted.pk})).status_code in (302,
                                                                                     403)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    bjorn = actor_for("bjorn.grimstad", grimstad)
    with pytest.raises(PermissionDenied):
        services.application_sign(actor=bjorn, application=submitted)


def test_the_lead_adds_and_removes_partners(client, drammen, draft):
    login_as(client, "eva.soknad", organization=drammen)
    client.post(reverse("applications:partner_add", kwargs={"pk": draft.pk}),
                {"code": "5007"})
    namsos = Organization.objects.get(kind="municipality", code="5007")
    assert list(draft.partners.all()) == [namsos]
    client.post(reverse("applications:partner_add", kwargs={"pk": draft.pk}),
                {"code": "3301"})  # not itself
    assert draft.partners.count() == 1
    client.post(reverse("applications:partner_remove",
                        kwargs={"pk": draft.pk, "org_id": namsos.pk}))
    assert draft.partners.count() == 0


def test_another_organisation_gets_404(client, drammen):
    submitted = Application.objects.get(organization=drammen, status="submitted")
    namsos = Organization.objects.get(kind="municipality", code="5007")
    login_as(client, "siri.namsos", organization=namsos)
    for name in ("applications:detail", "applications:receipt"):
        assert client.get(reverse(name, kwargs={"pk": submitted.pk})).status_code == 404
    assert client.post(reverse("applications:withdraw",
                               kwargs={"pk": submitted.pk})).status_code == 404


def test_only_eligible_organisations_start(drammen):
    pilot = Round.objects.filter(scheme__key="jobbsjansen-pilot").first()
    Round.objects.filter(pk=pilot.pk).update(status="open",
                                             deadline=timezone.now() + timezone.timedelta(days=5),
                                             opens_at=timezone.now() - timezone.timedelta(days=5))
    pilot.refresh_from_db()
    with pytest.raises(ValidationError, match="nevnt"):
        services.application_start(actor=actor_for("eva.soknad", drammen), round_=pilot)
    assert CONTENT["project_title"]


def test_attachments_are_checked_and_signed_with_the_application(client, drammen, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_as(client, "eva.soknad", organization=drammen)
    url = reverse("applications:attachment_add", kwargs={"pk": draft.pk})
    client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ...", "application/x")})
    client.post(url, {"file": SimpleUploadedFile("fake.pdf", b"not a pdf", "application/pdf")})
    assert draft.attachments.count() == 0
    client.post(url, {"file": SimpleUploadedFile("budsjett.pdf", b"%PDF-1.4 budsjett",
                                                 "application/pdf")})
    attachment = draft.attachments.get()
    assert attachment.sha256 == hashlib.sha256(b"%PDF-1.4 budsjett").hexdigest()
    response = client.get(reverse("applications:attachment",
                                  kwargs={"pk": draft.pk, "attachment_id": attachment.pk}))
    assert response.content == b"%PDF-1.4 budsjett"
    document = json.loads(services.signed_document(draft))
    assert document["attachments"] == [{"name": "budsjett.pdf", "size": 17,
                                        "sha256": attachment.sha256}]


def test_a_deadline_across_daylight_saving_refuses_the_minute_after(drammen, draft,
                                                                   monkeypatch):
    import datetime

    from schemes.models import OSLO

    # Sunday 25 October 2026: clocks go back at 03:00. Deadline 23:59 that day.
    deadline = datetime.datetime(2026, 10, 25, 23, 59, tzinfo=OSLO)
    Round.objects.filter(pk=draft.round_id).update(deadline=deadline)
    Application.objects.filter(pk=draft.pk).update(status="for_signing")
    chief = actor_for("tor.kommunedirektor", drammen)
    monkeypatch.setattr(services.timezone, "now",
                        lambda: deadline + datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.application_sign(actor=chief, application=draft)
    monkeypatch.setattr(services.timezone, "now",
                        lambda: deadline - datetime.timedelta(minutes=1))
    signature = services.application_sign(actor=chief, application=draft)
    assert signature.signed_at.astimezone(OSLO).hour == 23


def test_the_directorate_registers_a_late_application(client):
    import datetime

    from schemes.models import OSLO

    pilot = Round.objects.get(title="Jobbsjansen – pilot per capita 2024")
    login_as(client, "ola.saksbehandler")
    url = reverse("applications:late")
    response = client.post(url, {"round": pilot.pk, "code": "5007", "project_title": "Sen",
                                 "received_at": "2024-01-20T10:00"})
    assert response.status_code == 200 and "received_at" in response.context["form"].errors
    response = client.post(url, {"round": pilot.pk, "code": "5007",
                                 "project_title": "Jobbsjansen Namsos",
                                 "received_at": "2024-01-27T08:15"})
    assert response.status_code == 302
    late = Application.objects.get(round=pilot, organization__code="5007")
    assert late.late and late.status == "submitted"
    assert late.submitted_at == datetime.datetime(2024, 1, 27, 8, 15, tzinfo=OSLO)
    login_as(client, "siri.namsos")
    html = client.get(reverse("applications:list")).content.decode()
    assert late.reference in html


@pytest.mark.parametrize("title,org_code,content", [
    ("Jobbsjansen 2026", "3301", {}),
    ("Jobbsjansen – pilot per capita 2024", "5007",
     {"participants": 12, "amount_applied": "2000000"}),
    ("Jobbsjansen 2018 del B", "4202", {"amount_applied": "900000"}),
    ("Utviklingstilskudd 2025", "030101", {"participants": 15, "focus_area": 1,
                                           "amount_applied": "1500000"}),
])
def test_every_scheme_variant_can_be_applied_to_end_to_end(title, org_code, content):
    """The four variants of the seeds, each round reopened for the test."""
    import datetime

    round_ = Round.objects.get(title=title)
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(status="open",
                                              opens_at=now - datetime.timedelta(days=1),
                                              deadline=now + datetime.timedelta(days=1))
    round_.refresh_from_db()
    org = Organization.objects.get(code=org_code)
    from accounts.models import RoleAssignment, User

    user = User.objects.get(username="fatima.gamleoslo")
    for role in ("application_editor", "chief_executive"):
        RoleAssignment.objects.get_or_create(user=user, organization=org, role=role,
                                             revoked_at=None)
    actor = actor_for("fatima.gamleoslo", org)
    Application.objects.filter(round=round_, organization=org).update(status="withdrawn")
    if not org.org_number:  # the demo gives details to the demo organisations only
        source = Organization.objects.get(kind="municipality", code="3301")
        for name in ("org_number", "account_number", "postal_address", "postal_code",
                     "postal_place", "phone", "email"):
            setattr(org, name, getattr(source, name))
        org.save()
    application = services.application_start(actor=actor, round_=round_)
    body = {k: v for k, v in CONTENT.items() if k not in ("places_with_g", "places_without_g",
                                                          "months")}
    if round_.scheme.grant_model in ("jobbsjansen_2026", "part_b_2018"):
        body.update(places_with_g=20, places_without_g=5, months=12)
    body.update(content)
    services.application_save(actor=actor, application=application, content=body)
    application.refresh_from_db()
    checklist = application_checklist(application)
    assert checklist.ready, (checklist.missing, [f.message for f in checklist.blocking])
    services.application_send_for_signing(actor=actor, application=application)
    signature = services.application_sign(actor=actor, application=application)
    assert signature.read_receipt()[:4] == b"%PDF"
