"""The finance pages end to end: Per makes a run from what is due, Nina approves exactly
what she saw, the file downloads the same twice and validates, the bank's answer is read
once; the municipality reads its own grant's payments, another gets 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from finance.iso20022 import pain002_for
from finance.models import LineStatus, PaymentRun, PlanLine, RunStatus
from organizations.models import Organization
from tests.conftest import login_as

from .conftest import grant_2026, namsos

pytestmark = pytest.mark.django_db


def imdi():
    return Organization.objects.get(code="IMDI")


def make_run(client) -> PaymentRun:
    login_as(client, "per.okonomi", organization=imdi())
    response = client.post(reverse("finance:run_create"),
                           {"execution_date": timezone.localdate().isoformat()})
    assert response.status_code == 302
    return PaymentRun.objects.latest("pk")


def test_the_due_list_shows_the_advance_with_payee_and_amount(client):
    application = grant_2026()
    login_as(client, "per.okonomi", organization=imdi())
    page = client.get(reverse("finance:due")).content.decode()
    assert application.reference in page and "500\xa0000\xa0kr" in page
    assert "Namsos kommune" in page and "advance" not in page  # labels, never codes


def test_a_run_is_approved_by_another_finance_officer_on_what_she_saw(client):
    grant_2026()
    run = make_run(client)
    assert run.status == RunStatus.DRAFT and run.count == 1
    page = client.get(reverse("finance:run", kwargs={"pk": run.pk})).content.decode()
    assert "Godkjenn utbetalingskjøringen" not in page  # Per made it
    login_as(client, "nina.okonomi", organization=imdi())
    page = client.get(reverse("finance:run", kwargs={"pk": run.pk})).content.decode()
    assert f'name="seen" value="{run.fingerprint}"' in page
    stale = client.post(reverse("finance:run_approve", kwargs={"pk": run.pk}),
                        {"seen": "0" * 64})
    assert stale.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    client.post(reverse("finance:run_approve", kwargs={"pk": run.pk}),
                {"seen": run.fingerprint})
    run.refresh_from_db()
    assert run.status == RunStatus.FILE_MADE and run.approved_by.username == "nina.okonomi"
    first = client.get(reverse("finance:run_file", kwargs={"pk": run.pk}))
    second = client.get(reverse("finance:run_file", kwargs={"pk": run.pk}))
    assert first.status_code == 200 and first.content == second.content
    assert b"pain.001.001.03" in first.content and b"<NbOfTxs>1</NbOfTxs>" in first.content


def test_the_banks_answer_is_read_once_and_the_advance_is_paid(client):
    application = grant_2026()
    run = make_run(client)
    login_as(client, "nina.okonomi", organization=imdi())
    client.post(reverse("finance:run_approve", kwargs={"pk": run.pk}),
                {"seen": run.fingerprint})
    run.refresh_from_db()
    client.post(reverse("finance:run_sent", kwargs={"pk": run.pk}))
    data = pain002_for(client.get(reverse("finance:run_file", kwargs={"pk": run.pk})).content,
                       msg_id="BANK-1", created_at=timezone.now())
    upload = SimpleUploadedFile("status.xml", data, content_type="application/xml")
    response = client.post(reverse("finance:status_import", kwargs={"pk": run.pk}),
                           {"file": upload}, follow=True)
    assert "1 betalt, 0 feilet" in response.content.decode()
    advance = PlanLine.objects.get(case=application.case, number=1)
    assert advance.status == LineStatus.PAID
    again = client.post(reverse("finance:status_import", kwargs={"pk": run.pk}),
                        {"file": SimpleUploadedFile("status.xml", data)}, follow=True)
    assert "lest før" in again.content.decode()
    bad = client.post(reverse("finance:status_import", kwargs={"pk": run.pk}),
                      {"file": SimpleUploadedFile("x.xml", b"<not xml")}, follow=True)
    assert bad.status_code == 200


def test_the_municipality_reads_its_grants_payments_and_another_gets_404(client):
    application = grant_2026()
    login_as(client, "anders.namsos", organization=namsos())
    page = client.get(reverse("finance:grant", kwargs={"case_pk": application.case.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hvorfor: Forskudd 2026" in text and "Avstemming" in text
    assert "Posteringer" not in text  # the ledger's entries are the directorate's
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    login_as(client, "bjorn.grimstad", organization=grimstad)
    assert client.get(reverse("finance:grant", kwargs={"case_pk": application.case.pk})
                      ).status_code == 404
    assert client.get(reverse("finance:due")).status_code == 403


def test_the_ledger_page_reconciles_every_grant(client):
    grant_2026()
    login_as(client, "lars.revisor", organization=imdi())
    page = client.get(reverse("finance:ledger")).content.decode()
    assert "Avstemming per tilskudd" in page and "Stemmer med planen" in page
    assert "<strong>nei</strong>" not in page


def test_the_vouchers_for_the_erp_follow_the_documented_layout(client):
    application = grant_2026()
    run = make_run(client)
    login_as(client, "nina.okonomi", organization=imdi())
    client.post(reverse("finance:run_approve", kwargs={"pk": run.pk}),
                {"seen": run.fingerprint})
    first = client.get(reverse("finance:run_vouchers", kwargs={"pk": run.pk}))
    second = client.get(reverse("finance:run_vouchers", kwargs={"pk": run.pk}))
    assert first.status_code == 200 and first.content == second.content
    header, row = first.content.decode().splitlines()
    assert header == ("kjoring;bilagsdato;referanse;tilsagn;mottaker_orgnr;mottaker_navn;"
                      "konto;belop;kid;tekst")
    fields = row.split(";")
    assert fields[3] == application.reference and fields[7] == "500000.00"
    assert fields[6] == "15032080119"


def test_a_claim_is_recorded_as_paid_back_and_the_ledger_follows(client):
    from finance import reactions
    from finance.models import JournalLine, Reaction, Receivable
    from tests.reporting.conftest import officers

    application = grant_2026()
    ola, kari = officers()
    proposal = reactions.reaction_propose(
        actor=ola, case=application.case, kind=Reaction.Kind.CLAW_BACK, amount_ore=10_000_00,
        reason="Tilskuddet er brukt i strid med vilkårene i tilskuddsbrevet.")
    reactions.reaction_approve(actor=kari, reaction=proposal, seen=proposal.fingerprint())
    claim = Receivable.objects.get(case=application.case)
    login_as(client, "per.okonomi", organization=imdi())
    page = client.get(reverse("finance:grant", kwargs={"case_pk": application.case.pk}))
    assert "Registrer som tilbakebetalt" in page.content.decode()
    client.post(reverse("finance:receivable_paid", kwargs={"pk": claim.pk}),
                {"paid_on": timezone.localdate().isoformat()})
    claim.refresh_from_db()
    assert claim.status == "settled"
    owed = JournalLine.objects.filter(entry__case=application.case, account="receivable")
    assert owed.aggregate(total=Sum("amount_ore"))["total"] == 0
