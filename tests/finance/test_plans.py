"""Payment plans and the ledger: made when a grant is accepted, the advance due at once,
the settlement from the accepted used-places report (capped at the grant), a claw-back
when the advance was more than the places trigger — each krone in the ledger, balanced."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core import files
from finance import ledger, reactions, runs
from finance.iso20022 import pain002_for
from finance.models import (
    Account,
    JournalEntry,
    JournalLine,
    LineKind,
    LineStatus,
    PlanLine,
    Reaction,
    Receivable,
)
from finance.plans import appropriation_record, plan_refresh
from rules.kid import is_valid_kid
from tests.reporting.conftest import officers

from .conftest import accept_used_places, finance_officers, grant_2026, namsos, participant

pytestmark = pytest.mark.django_db
D = datetime.date


def balances(case) -> dict[str, int]:
    return ledger.balances(JournalLine.objects.filter(entry__case=case))


def pay_everything_due(case) -> None:
    """Per makes a run, Nina approves it, the bank answers that everything is paid."""
    per, nina = finance_officers()
    run = runs.run_create(actor=per)
    run = runs.run_approve(actor=nina, run=run, seen=run.fingerprint)
    runs.run_mark_sent(actor=per, run=run)
    answer = pain002_for(runs.payment_file_bytes(run), msg_id=f"BANK-{run.pk}",
                         created_at=run.approved_at)
    runs.status_import(actor=per, data=answer)


def test_accepting_a_2026_grant_makes_its_plan_and_commits_it():
    application = grant_2026()
    lines = list(PlanLine.objects.filter(case=application.case))
    assert [(line.kind, line.status) for line in lines] == [
        (LineKind.ADVANCE, LineStatus.DUE), (LineKind.SETTLEMENT, LineStatus.WAITING)]
    advance = lines[0]
    assert advance.amount_ore == 500_000_00  # half of 1 000 000 kr
    assert advance.explanation["lines"] and "Når utbetales" in advance.source
    assert balances(application.case) == {**dict.fromkeys(Account.values, 0),
                                          "budget": -1_000_000_00,
                                          "committed": 500_000_00, "payable": 500_000_00}


def test_the_plan_is_made_once_even_if_the_signal_comes_again():
    from finance.plans import plan_create

    application = grant_2026()
    assert plan_create(case=application.case) == []
    assert PlanLine.objects.filter(case=application.case).count() == 2
    assert JournalEntry.objects.filter(case=application.case).count() == 2


def test_the_settlement_pays_what_the_places_trigger_minus_the_advance():
    application = grant_2026()
    org = namsos()
    for _ in range(6):  # 6 places with 1G all year: 6 × 12 months of start rate
        participant(org, D(2026, 1, 1))
    pay_everything_due(application.case)
    obligation = accept_used_places(application)
    settlement = PlanLine.objects.get(case=application.case, kind=LineKind.SETTLEMENT)
    assert settlement.obligation == obligation
    assert settlement.status == LineStatus.DUE
    triggered = Decimal(settlement.explanation["lines"][0]["amount"])
    assert triggered < Decimal(1_000_000)
    assert settlement.amount_ore == int((triggered - 500_000) * 100)
    result = balances(application.case)
    assert sum(result.values()) == 0
    # What the places do not trigger went back to the appropriation.
    assert result["budget"] == -int(triggered * 100)
    assert result["committed"] == 0


def test_the_settlement_is_capped_at_the_granted_amount():
    application = grant_2026()
    org = namsos()
    for _ in range(80):
        participant(org, D(2026, 1, 1))
    pay_everything_due(application.case)
    accept_used_places(application)
    settlement = PlanLine.objects.get(case=application.case, kind=LineKind.SETTLEMENT)
    assert settlement.amount_ore == 500_000_00  # the rest of the grant, no more
    assert any("Avkortet" in line["label"] for line in settlement.explanation["lines"])


def test_an_advance_larger_than_the_places_trigger_is_claimed_back_by_a_decision():
    application = grant_2026()
    participant(namsos(), D(2026, 10, 1))  # one place, one month
    pay_everything_due(application.case)
    accept_used_places(application)  # by ola, who proposes the claw-back with it
    settlement = PlanLine.objects.get(case=application.case, kind=LineKind.SETTLEMENT)
    assert settlement.status == LineStatus.SETTLED and settlement.amount_ore == 0
    proposal = Reaction.objects.get(case=application.case)
    assert proposal.kind == Reaction.Kind.CLAW_BACK and proposal.status == "proposed"
    assert proposal.proposed_by.username == "ola.saksbehandler"
    assert not Receivable.objects.exists()  # no effect before it is approved
    ola, kari = officers()
    with pytest.raises(PermissionDenied):  # four eyes
        reactions.reaction_approve(actor=ola, reaction=proposal, seen=proposal.fingerprint())
    reactions.reaction_approve(actor=kari, reaction=proposal, seen=proposal.fingerprint())
    claim = Receivable.objects.get(case=application.case)
    assert is_valid_kid(claim.kid) and claim.due_on > datetime.date.today()
    result = balances(application.case)
    assert claim.amount_ore == 500_000_00 - (result["paid"])
    assert result["receivable"] == claim.amount_ore and result["committed"] == 0
    assert sum(result.values()) == 0
    proposal.refresh_from_db()
    letter = proposal.letter
    assert letter.kind == "claw_back" and letter.reason_text == proposal.reason
    assert files.read(letter.file, letter.sha256).startswith(b"%PDF")


def test_a_hold_back_holds_due_payments_until_it_is_lifted():
    application = grant_2026()
    case = application.case
    ola, kari = officers()
    proposal = reactions.reaction_propose(
        actor=ola, case=case, kind=Reaction.Kind.HOLD_BACK,
        amount_ore=reactions.unpaid_ore(case),
        reason="Kommunen har ikke levert regnskap for forrige tilskudd, jf. tilskuddsbrevet.")
    advance = PlanLine.objects.get(case=case, kind=LineKind.ADVANCE)
    assert advance.status == LineStatus.DUE  # a proposal changes nothing
    with pytest.raises(ValidationError):
        reactions.reaction_approve(actor=kari, reaction=proposal, seen="0" * 64)
    reactions.reaction_approve(actor=kari, reaction=proposal, seen=proposal.fingerprint())
    advance.refresh_from_db()
    assert advance.status == LineStatus.HELD
    assert balances(case)["held"] == advance.amount_ore and balances(case)["payable"] == 0
    per, _nina = finance_officers()
    with pytest.raises(ValidationError):  # nothing due can be paid
        runs.run_create(actor=per)
    reactions.reaction_lift(actor=kari, reaction=proposal)
    advance.refresh_from_db()
    assert advance.status == LineStatus.DUE and balances(case)["held"] == 0


def test_the_settlement_waits_for_the_advance_to_be_paid():
    application = grant_2026()
    participant(namsos(), D(2026, 1, 1))
    accept_used_places(application)
    settlement = PlanLine.objects.get(case=application.case, kind=LineKind.SETTLEMENT)
    assert settlement.status == LineStatus.WAITING
    pay_everything_due(application.case)  # the advance; then the settlement is computed
    settlement.refresh_from_db()
    assert settlement.status in (LineStatus.DUE, LineStatus.SETTLED)


def test_a_later_year_waits_for_its_appropriation():
    from tests.reporting.conftest import accepted

    case = accepted("Jobbsjansen 2026", years=2, code="5007").case
    later = PlanLine.objects.get(case=case, grant_year=2027, kind=LineKind.ADVANCE)
    assert later.status == LineStatus.WAITING and later.needs_appropriation
    per, _nina = finance_officers()
    appropriation_record(actor=per, year=2027, reference="Prop. 1 S (2026–2027)")
    later.refresh_from_db()
    assert later.status == LineStatus.DUE


def test_terms_for_the_development_grant_follow_their_dates():
    from tests.reporting.conftest import accepted

    application = accepted("Utviklingstilskudd 2025", code="5007")
    lines = list(PlanLine.objects.filter(case=application.case))
    assert [line.kind for line in lines] == [LineKind.TERM, LineKind.TERM]
    assert sum(line.amount_ore for line in lines) == 1_000_000_00
    assert all(line.status == LineStatus.DUE for line in lines)  # 2025's dates have passed
    assert plan_refresh(case=application.case) == 0


def test_an_entry_that_does_not_balance_is_refused():
    application = grant_2026()
    with pytest.raises(ledger.UnbalancedEntry):
        ledger.post(kind="due", key="x", case=application.case, grant_year=2026,
                    lines=[ledger.Posting(Account.PAYABLE, 5)], text="x")


def test_the_database_refuses_to_change_or_delete_a_ledger_line():
    application = grant_2026()
    line = JournalLine.objects.filter(entry__case=application.case).first()
    for statement in (f"UPDATE finance_journalline SET amount_ore = 1 WHERE id = {line.pk}",
                      f"DELETE FROM finance_journalline WHERE id = {line.pk}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
