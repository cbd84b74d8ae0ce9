"""The receipt and the signed application read as the document the chief executive signed:
the form's sections with their labels, amounts as "3 600 000 kr", the grant applied for
with its explanation, partners and the applicant by their official names, attachments
with their hashes — and the canonical JSON, what the hash is over, only in the appendix."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.document import application_document
from applications.models import Application
from organizations.models import Organization
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
NBSP = "\xa0"
FIELD_NAMES = ("project_title", "places_with_g", "budget_staff", "partner_kinds",
               "contact_email", "multi_year")


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


@pytest.fixture
def signed(drammen):
    """Drammen's application in Jobbsjansen 2026: signed (by the demo, through the same
    ``record_signature`` as the portal), joint with Grimstad, one attachment."""
    return Application.objects.get(organization=drammen, status="submitted")


def _pages(pdf: bytes) -> list[str]:
    # pypdf may give a no-break space as a space: compare on plain spaces.
    return [" ".join(p.extract_text().replace(NBSP, " ").replace("\u202f", " ").split())
            for p in PdfReader(io.BytesIO(pdf)).pages]


def _split(pages: list[str]) -> tuple[str, str]:
    """The document and its appendix (which begins on a page of its own)."""
    start = next(i for i, text in enumerate(pages) if "Appendix" in text or "Vedlegg:" in text
                 or '{"account_number"' in text)
    return " ".join(pages[:start]), " ".join(pages[start:])


def test_the_receipt_is_a_document_not_a_dump(signed):
    body, appendix = _split(_pages(signed.signature.read_receipt()))
    # Labels, not field names; no Python list; no JSON in the document itself.
    for name in FIELD_NAMES:
        assert name not in body, name
    assert "['" not in body and '{"' not in body
    assert "Prosjektnavn" in body and "Jobbsjansen Drammen" in body
    # Amounts in Norwegian format, the grant applied for with its explanation.
    assert "3 600 000 kr" in body and "3600000" not in body
    assert "4 140 000 kr" in body  # 20 places with and 5 without the allowance, 12 months
    assert "16 000 kr" in body and "16000.00" not in body  # the rate in the explanation
    assert re.search(r"23,3 ?%", body)  # own financing 1 400 000 of 6 000 000
    # The applicant and the partner by their official names; choices by their labels.
    assert "Drammen kommune" in body and "Grimstad kommune" in body
    assert "NAV" in body and "nav," not in body
    # The attachment with its hash, the signature with the content's hash.
    attachment = signed.attachments.get()
    assert attachment.name in body and attachment.sha256 in body.replace(" ", "")
    assert signed.signature.content_hash in body.replace(" ", "")
    # The canonical document, exactly as hashed, is the appendix.
    assert signed.signature.signed_document[:60] in appendix.replace(" ", "") or \
        '"account_number"' in appendix


def test_the_document_follows_the_form_in_sections(signed):
    doc = application_document(signed)
    titles = [s.title for s in doc.sections]
    assert len(titles) >= 5
    labels = [row.label for s in doc.sections for row in s.rows]
    assert labels.index("Prosjektnavn") < labels.index("Målgruppe")  # the form's order
    assert not any(label.endswith("(kr)") or label.endswith("(NOK)") for label in labels)
    values = {row.label: row.value for s in doc.sections for row in s.rows}
    assert values["Prosjektnavn"] == "Jobbsjansen Drammen"
    assert any(v == f"3{NBSP}600{NBSP}000{NBSP}kr" for v in values.values())
    assert doc.grant_total == f"4{NBSP}140{NBSP}000{NBSP}kr"
    # One line per rate, summed over the months (not 36 lines of months), adding up to the
    # total: places 1–15 at the start rate with 1G, 16–20 at the base rate with 1G, and the
    # five places without the allowance at the base rate.
    assert [line.amount for line in doc.grant_lines] == [
        f"2{NBSP}880{NBSP}000{NBSP}kr", f"870{NBSP}000{NBSP}kr", f"390{NBSP}000{NBSP}kr"]
    # Built from the signed document: what was signed, whatever the content says now.
    assert json.loads(signed.signature.signed_document)["content"] == signed.content
    assert doc.canonical == signed.signature.signed_document


def test_the_signed_view_in_the_portal_is_the_same_document(client, drammen, signed):
    login_as(client, "tor.kommunedirektor", organization=drammen)
    html = client.get(reverse("applications:detail", kwargs={"pk": signed.pk})).content.decode()
    assert f"3{NBSP}600{NBSP}000{NBSP}kr" in html and ">3600000<" not in html
    assert f"4{NBSP}140{NBSP}000{NBSP}kr" in html
    for name in ("places_with_g", "partner_kinds"):
        assert f"<dt>{name}</dt>" not in html
    assert "[&#x27;nav&#x27;" not in html and "['nav'" not in html
    attachment = signed.attachments.get()
    assert attachment.sha256 in html


def test_the_case_page_shows_the_same_document(client, signed):
    login_as(client, "ola.saksbehandler")
    html = client.get(reverse("casework:case", kwargs={"pk": signed.pk})).content.decode()
    assert f"3{NBSP}600{NBSP}000{NBSP}kr" in html and "Drammen kommune" in html
    assert "Grimstad kommune" in html
    assert "[&#x27;nav&#x27;" not in html
    assert signed.attachments.get().sha256 in html
