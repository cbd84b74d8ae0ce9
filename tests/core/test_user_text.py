"""User text cannot spoof letters or break pages (issue 10, security item 11): bidirectional
controls are removed from what is typed and from what is rendered; free text is bounded;
an application has a bounded number of attachments."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse

from applications.models import Application
from casework import services
from casework.models import CaseNote, Letter
from core.text import BIDI_CONTROLS, clean_text
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


def test_clean_text_removes_every_control_and_keeps_right_to_left_letters():
    assert clean_text("".join(BIDI_CONTROLS) + "a\x00b") == "ab"
    assert clean_text("Aïsha عائشة") == "Aïsha عائشة"


def test_a_title_typed_with_an_override_is_stored_without_it(client, drammen):
    draft = Application.objects.get(organization=drammen, status="draft")
    login_as(client, "eva.soknad", organization=drammen)
    client.post(reverse("applications:detail", kwargs={"pk": draft.pk}),
                {"project_title": f"Jobb{RLO}snart for alle\u2066"})
    draft.refresh_from_db()
    assert draft.content["project_title"] == "Jobbsnart for alle"


def test_a_stored_override_does_not_reverse_the_rejection_letter(drammen):
    """Text stored before the fix (or by another channel) is cleaned when rendered."""
    from pypdf import PdfReader

    application = Application.objects.get(organization=drammen, status="submitted")
    content = {**application.content, "project_title": f"Prosjekt {RLO}tset"}
    Application.objects.filter(pk=application.pk).update(content=content)
    application.refresh_from_db()
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    services.case_screen(actor=ola, application=application, passed=False, reason="late",
                         reason_text="Søknaden kom inn etter fristen.")
    letter = Letter.objects.get(case__application=application, kind="rejection")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(letter.read_pdf())).pages)
    assert RLO not in text and "tset" in text


def test_pages_never_carry_a_control(client, drammen):
    application = Application.objects.get(organization=drammen, status="submitted")
    content = {**application.content, "project_title": f"Prosjekt {RLO}tset"}
    Application.objects.filter(pk=application.pk).update(content=content)
    login_as(client, "ola.saksbehandler",
             organization=Organization.objects.get(code="IMDI-SOR"))
    page = client.get(reverse("casework:case", kwargs={"pk": application.pk}))
    assert page.status_code == 200
    assert RLO not in page.content.decode() and "tset" in page.content.decode()


def test_an_overlong_note_is_refused_and_kept_for_the_officer(client, drammen):
    application = Application.objects.get(organization=drammen, status="submitted")
    login_as(client, "ola.saksbehandler",
             organization=Organization.objects.get(code="IMDI-SOR"))
    text = "Et langt notat. " * 400  # 6 400 characters
    response = client.post(reverse("casework:note", kwargs={"pk": application.pk}),
                           {"text": text}, follow=True)
    assert response.status_code == 200
    assert not CaseNote.objects.filter(case__application=application).exists()
    body = response.content.decode()
    assert "4000" in body or "4 000" in body
    # What was typed is filled in again.
    assert "Et langt notat. Et langt notat." in body


def test_a_null_character_in_a_note_is_no_server_error(client, drammen):
    application = Application.objects.get(organization=drammen, status="submitted")
    login_as(client, "ola.saksbehandler",
             organization=Organization.objects.get(code="IMDI-SOR"))
    response = client.post(reverse("casework:note", kwargs={"pk": application.pk}),
                           {"text": "Ring\x00 kommunen"})
    assert response.status_code == 302
    assert CaseNote.objects.get(case__application=application).text == "Ring kommunen"


def test_an_overlong_appeal_is_refused(drammen):
    from django.core.exceptions import ValidationError

    application = Application.objects.get(organization=drammen, status="submitted")
    chief = actor_for("tor.kommunedirektor", drammen)
    with pytest.raises(ValidationError):
        services.appeal_file(actor=chief, application=application, text="x" * 8001,
                             received_on=application.submitted_at.date())


def test_attachments_per_application_are_limited(drammen):
    from django.core.exceptions import ValidationError

    from applications import services as application_services
    from applications.services import MAX_ATTACHMENTS

    draft = Application.objects.get(organization=drammen, status="draft")
    editor = actor_for("eva.soknad", drammen)
    for n in range(MAX_ATTACHMENTS - draft.attachments.count()):
        application_services.attachment_add(actor=editor, application=draft,
                                            name=f"v{n}.pdf", content_type="application/pdf",
                                            data=b"%PDF-1.4 test")
    with pytest.raises(ValidationError):
        application_services.attachment_add(actor=editor, application=draft, name="one.pdf",
                                            content_type="application/pdf",
                                            data=b"%PDF-1.4 test")
    assert draft.attachments.count() == MAX_ATTACHMENTS
