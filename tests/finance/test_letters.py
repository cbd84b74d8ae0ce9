"""The claw-back letter as the recipient reads it: addressed by the official name, the
amount and the reason, how to pay with KID and due date, the right to appeal within three
weeks to the ministry — rendered as a PDF and read back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from core import files
from finance import reactions
from finance.models import Reaction
from tests.reporting.conftest import officers

from .conftest import grant_2026

pytestmark = pytest.mark.django_db


def test_the_claw_back_letter_reads_as_a_decision():
    application = grant_2026()
    ola, kari = officers()
    proposal = reactions.reaction_propose(
        actor=ola, case=application.case, kind=Reaction.Kind.CLAW_BACK, amount_ore=123_456_00,
        reason="Tilskuddet er brukt til drift av et annet tiltak enn det som ble innvilget.")
    decided = reactions.reaction_approve(actor=kari, reaction=proposal,
                                         seen=proposal.fingerprint())
    pdf = files.read(decided.letter.file, decided.letter.sha256)
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "claw-back-letter.pdf").write_bytes(pdf)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.replace("\xa0", " ").split())
    assert application.organization.official_name in text
    assert "123 456 kr" in text and "drift av et annet tiltak" in text
    assert decided.receivable.kid in text
    assert "tre uker" in text and "Arbeids- og inkluderingsdepartementet" in text
