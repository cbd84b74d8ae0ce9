"""Demo applications for Drammen: one submitted and signed in the historical Jobbsjansen
2026 round (joint, with Grimstad as partner), and a draft in the open round (for Eva to
finish and Tor to sign)."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import User
from core import files
from organizations.models import Organization
from schemes.models import OSLO, Round

from .models import Application, ApplicationVersion, Attachment, PartnerConsent
from .services import record_signature

CONTENT = {
    "project_title": "Jobbsjansen Drammen",
    "contact_name": "Eva Nilsen", "contact_email": "eva.soknad@demo.tilskudd.example",
    "contact_phone": "32 04 00 00",
    "target_group": "Hjemmeværende innvandrerkvinner 18–55 år med svak tilknytning til "
                    "arbeidslivet, rekruttert via NAV, helsestasjoner og frivillige.",
    "places_with_g": 20, "places_without_g": 5, "months": 12,
    "measures": "Norskopplæring, arbeidspraksis, mentor og jobbsøking.",
    "expected_effects": "Flere kvinner i arbeid eller utdanning.",
    "goals_quantitative": "Minst 70 % i arbeid eller utdanning ved avslutning.",
    "goals_qualitative": "Deltakerne opplever økt mestring og nettverk.",
    "partner_kinds": ["nav", "employers", "voluntary"],
    "cooperation_form": "Skriftlig samarbeidsavtale med NAV Drammen og tre arbeidsgivere.",
    "knowledge_transfer": "Erfaringer deles i regionale nettverk og med IMDi.",
    "earlier_results": "73 % i arbeid eller utdanning i 2025.",
    "budget_staff": "3600000", "budget_measures": "1400000", "budget_premises": "700000",
    "budget_other": "300000", "own_staff": "900000", "own_measures": "200000",
    "own_premises": "200000", "own_other": "100000", "other_public_funding": "0",
    "multi_year": 1,
}


def build_applications_demo() -> None:
    drammen = Organization.objects.get(kind="municipality", code="3301")
    if Application.objects.filter(organization=drammen).exists():
        return
    eva, tor = User.objects.get(username="eva.soknad"), User.objects.get(
        username="tor.kommunedirektor")
    with transaction.atomic():
        historical = Round.objects.get(title="Jobbsjansen 2026", historical=True)
        done = Application.objects.create(round=historical, organization=drammen,
                                          content=CONTENT, created_by=eva, version=2,
                                          status="for_signing")
        for number, status in ((1, "draft"), (2, "for_signing")):
            ApplicationVersion.objects.create(application=done, number=number,
                                              content=CONTENT, status=status, saved_by=eva)
        # A letter of intent from NAV as a (tiny, valid) PDF attachment.
        pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages"
               b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
        stored, sha256 = files.store("attachments", "Intensjonsavtale NAV Drammen.pdf", pdf)
        Attachment.objects.create(application=done, name="Intensjonsavtale NAV Drammen.pdf",
                                  content_type="application/pdf", size=len(pdf),
                                  sha256=sha256, file=stored, uploaded_by=eva)
        # A joint application: Grimstad is a partner and reads it (as maria.grimstad).
        grimstad = Organization.objects.get(kind="municipality", code="4202")
        done.partners.add(grimstad)
        PartnerConsent.objects.create(
            application=done, organization=grimstad, answer=PartnerConsent.Answer.ACCEPTED,
            asked_at=datetime.datetime(2026, 2, 10, 9, 0, tzinfo=OSLO),
            answered_at=datetime.datetime(2026, 2, 12, 11, 30, tzinfo=OSLO),
            answered_by=User.objects.filter(username="bjorn.grimstad").first())
        record_signature(done, user=tor, role="chief_executive",
                         at=datetime.datetime(2026, 2, 20, 14, 5, tzinfo=OSLO))
        current = Round.objects.filter(scheme__key="jobbsjansen", historical=False,
                                       status="open").first()
        if current:
            draft = {k: v for k, v in CONTENT.items() if k not in (
                "goals_qualitative", "own_premises", "own_other", "knowledge_transfer")}
            draft["own_staff"] = "500000"
            application = Application.objects.create(
                round=current, organization=drammen, content=draft, created_by=eva,
                version=1)
            ApplicationVersion.objects.create(application=application, number=1,
                                              content=draft, status="draft", saved_by=eva)
