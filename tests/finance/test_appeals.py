"""A hold-back or claw-back is an individual decision the recipient may appeal (fvl § 28):
the appeal goes through case handling's flow, and when the ministry reverses it, money
undoes it — the claim cancelled and its ledger entry reversed, or the held payments due
again."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework import services as casework
from finance import ledger, reactions
from finance.models import JournalLine, LineKind, LineStatus, PlanLine, Reaction, Receivable
from tests.conftest import login_as
from tests.register.conftest import actor_for
from tests.reporting.conftest import officers

from .conftest import grant_2026, namsos

pytestmark = pytest.mark.django_db
REASON = "Tilskuddet er brukt til et annet tiltak enn det som ble innvilget."


def decided(application, kind):
    ola, kari = officers()
    amount = 50_000_00 if kind == Reaction.Kind.CLAW_BACK else reactions.unpaid_ore(
        application.case)
    proposal = reactions.reaction_propose(actor=ola, case=application.case, kind=kind,
                                          amount_ore=amount, reason=REASON)
    return reactions.reaction_approve(actor=kari, reaction=proposal,
                                      seen=proposal.fingerprint())


def appeal_and_reverse(application):
    with transaction.atomic():
        appeal = casework.appeal_file(
            actor=actor_for("anders.namsos", namsos()), application=application,
            text="Vi klager på vedtaket: midlene er brukt slik søknaden beskrev.",
            received_on=timezone.localdate())
    ola, _kari = officers()
    with transaction.atomic():
        casework.appeal_forward(actor=ola, appeal=appeal,
                                preparation="Direktoratet opprettholder ikke vedtaket.")
    with transaction.atomic():
        casework.appeal_decide(actor=ola, appeal=appeal, outcome="reversed")
    return appeal


def balances(case):
    return ledger.balances(JournalLine.objects.filter(entry__case=case))


def test_the_recipient_sees_it_may_appeal_a_claw_back(client):
    application = grant_2026()
    decided(application, Reaction.Kind.CLAW_BACK)
    login_as(client, "anders.namsos", organization=namsos())
    page = client.get(reverse("applications:detail", kwargs={"pk": application.pk}))
    text = page.content.decode()
    assert reverse("grant:appeal", kwargs={"pk": application.pk}) in text
    assert "vedtak om tilbakebetaling" in text


def test_a_claw_back_reversed_on_appeal_cancels_the_claim():
    application = grant_2026()
    reaction = decided(application, Reaction.Kind.CLAW_BACK)
    assert balances(application.case)["receivable"] == 50_000_00
    appeal = appeal_and_reverse(application)
    assert appeal.letter == reaction.letter
    reaction.refresh_from_db()
    assert reaction.status == Reaction.Status.REVERSED
    assert Receivable.objects.get(pk=reaction.receivable_id).status == "cancelled"
    result = balances(application.case)
    assert result["receivable"] == 0 and sum(result.values()) == 0
    application.case.refresh_from_db()
    assert application.case.status == "accepted"  # not reopened like a rejection


def test_a_hold_back_reversed_on_appeal_makes_the_payments_due_again():
    application = grant_2026()
    decided(application, Reaction.Kind.HOLD_BACK)
    advance = PlanLine.objects.get(case=application.case, kind=LineKind.ADVANCE)
    assert advance.status == LineStatus.HELD
    appeal_and_reverse(application)
    advance.refresh_from_db()
    assert advance.status == LineStatus.DUE and balances(application.case)["held"] == 0
