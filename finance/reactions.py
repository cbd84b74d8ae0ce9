"""Reactions to a grant: hold back its payments, or claim money back (seed 002 §13–14,
seed 003). Each is an individual decision: proposed by one officer, approved by another
on exactly the version they saw (the fingerprint), sent as a letter with the reason, the
three-week appeal right and the ministry as appeal body; it changes the plan only once
approved. A settlement whose used places trigger less than the advance paid proposes the
claw-back itself, with the rules core's explanation.

Effects: a hold-back moves the grant's due payments to held (and holds each line that
becomes due while it stands); lifting it makes them due again. A claw-back makes a
receivable with a KID and a due date, moving the amount from paid to receivable."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import EventType
from audit.services import audit_record
from casework.letters import send_letter
from casework.models import Case, Letter
from rules.conditions import appeal_deadline
from rules.kid import kid_mod10
from rules.reporting import schedule_parameters

from . import ledger
from .ledger import move
from .models import (
    Account,
    EntryKind,
    JournalEntry,
    JournalLine,
    LineStatus,
    PlanLine,
    Reaction,
    Receivable,
)
from .permissions import can_approve_reaction, can_manage_payments, can_propose_reaction

REASON_MIN, REASON_MAX = 20, 4000
RECEIVABLE_DUE_PARAMETER = "finance.receivable_due_days"


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _reason(text: str) -> str:
    text = (text or "").strip()
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    if len(text) < REASON_MIN:
        raise ValidationError({"reason": _("Give the reason for the decision: what in the "
                                           "terms the grant was used against, in a few "
                                           "sentences.")})
    return text


def hold_active(case: Case) -> bool:
    return Reaction.objects.filter(case=case, kind=Reaction.Kind.HOLD_BACK,
                                   status=Reaction.Status.APPROVED).exists()


def reaction_propose(*, actor, case: Case, kind: str, amount_ore: int, reason: str,
                     plan_line: PlanLine | None = None, explanation: dict | None = None,
                     now: datetime.datetime | None = None) -> Reaction:
    """Propose a hold-back or a claw-back of an accepted grant."""
    _require(can_propose_reaction(actor))
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": _("Choose hold back or claim back.")})
    if not isinstance(amount_ore, int) or isinstance(amount_ore, bool) or amount_ore <= 0 \
            or amount_ore > 10**15:
        raise ValidationError({"amount": _("Give an amount above 0 kr.")})
    reason = _reason(reason)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("application").get(pk=case.pk)
        if case.status != "accepted":
            raise ValidationError(_("Reactions are decided on accepted grants only."))
        reaction = Reaction.objects.create(
            case=case, kind=kind, amount_ore=amount_ore, reason=reason, plan_line=plan_line,
            explanation=explanation or {}, proposed_by=actor.user,
            proposed_at=now or timezone.now())
        audit_record(event_type=EventType.REACTION_PROPOSED, actor=actor.user,
                     organization=actor.organization, target=case.application,
                     payload={"application_id": case.application_id, "reaction_id": reaction.pk,
                              "kind": kind, "amount_ore": amount_ore})
    return reaction


def reaction_approve(*, actor, reaction: Reaction, seen: str,
                     today: datetime.date | None = None) -> Reaction:
    """A second officer approves exactly what they saw; the letter goes out and the
    reaction takes effect on the plan."""
    today = today or timezone.localdate()
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().select_related(
            "case__application__organization", "case__application__round").get(pk=reaction.pk)
        _require(can_approve_reaction(actor, reaction))
        if reaction.status != Reaction.Status.PROPOSED:
            raise ValidationError(_("Only a proposed reaction can be approved."))
        if not seen or seen != reaction.fingerprint():
            raise ValidationError(_("The proposal changed after you opened it. Nothing is "
                                    "approved: read it again."))
        reaction.status = Reaction.Status.APPROVED
        reaction.approved_by, reaction.approved_at = actor.user, timezone.now()
        case, application = reaction.case, reaction.case.application
        if reaction.kind == Reaction.Kind.CLAW_BACK:
            reaction.receivable = _claim(reaction, today=today)
        else:
            _hold(reaction)
        template = ("finance/letters/claw_back.html" if reaction.kind == Reaction.Kind.CLAW_BACK
                    else "finance/letters/hold_back.html")
        reaction.letter = send_letter(
            actor=actor, application=application, case=case, kind=reaction.kind,
            template=template, context={"reaction": reaction, "case": case,
                                        "receivable": reaction.receivable,
                                        "appeal_by": appeal_deadline(today)},
            reason_text=reaction.reason)
        reaction.save(update_fields=["status", "approved_by", "approved_at", "receivable",
                                     "letter"])
        audit_record(event_type=EventType.REACTION_APPROVED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk, "reaction_id": reaction.pk,
                              "kind": reaction.kind, "amount_ore": reaction.amount_ore,
                              "letter_id": reaction.letter.pk})
    return reaction


def reaction_withdraw(*, actor, reaction: Reaction) -> Reaction:
    """A proposal that will not be approved is withdrawn (and a settlement's claw-back can
    then be proposed again)."""
    _require(can_propose_reaction(actor))
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
        if reaction.status != Reaction.Status.PROPOSED:
            raise ValidationError(_("Only a proposed reaction can be withdrawn."))
        reaction.status = Reaction.Status.WITHDRAWN
        reaction.save(update_fields=["status"])
        audit_record(event_type=EventType.REACTION_WITHDRAWN, actor=actor.user,
                     organization=actor.organization, target=reaction.case.application,
                     payload={"application_id": reaction.case.application_id,
                              "reaction_id": reaction.pk, "kind": reaction.kind,
                              "amount_ore": reaction.amount_ore})
    return reaction


def reaction_lift(*, actor, reaction: Reaction) -> Reaction:
    """An approved hold-back is lifted (by another officer than the one who proposed it):
    the held payments are due again."""
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().select_related("case").get(
            pk=reaction.pk)
        _require(can_approve_reaction(actor, reaction))
        if reaction.kind != Reaction.Kind.HOLD_BACK or reaction.status != \
                Reaction.Status.APPROVED:
            raise ValidationError(_("Only an approved hold-back can be lifted."))
        reaction.status = Reaction.Status.LIFTED
        reaction.lifted_by, reaction.lifted_at = actor.user, timezone.now()
        reaction.save(update_fields=["status", "lifted_by", "lifted_at"])
        _release_held(reaction.case, reaction, user=actor.user)
        audit_record(event_type=EventType.REACTION_LIFTED, actor=actor.user,
                     organization=actor.organization, target=reaction.case.application,
                     payload={"application_id": reaction.case.application_id,
                              "reaction_id": reaction.pk, "kind": reaction.kind,
                              "amount_ore": reaction.amount_ore})
    return reaction


def _hold(reaction: Reaction) -> None:
    """The grant's due payments are held (those in a run already go on)."""
    for line in PlanLine.objects.select_for_update().filter(case=reaction.case,
                                                            status=LineStatus.DUE):
        hold_line(line, key=f"held:{line.pk}:{reaction.pk}", source=Account.PAYABLE,
                  user=reaction.approved_by)


def hold_line(line: PlanLine, *, key: str, source: str, user=None) -> None:
    line.status = LineStatus.HELD
    line.save(update_fields=["status", "amount_ore", "explanation", "updated_at"])
    ledger.post(kind=EntryKind.HELD, key=key, case=line.case, grant_year=line.grant_year,
                plan_line=line, lines=move(source, Account.HELD, line.amount_ore),
                text=f"{line.label}: holdt tilbake", prepared_by=user)


def _claim(reaction: Reaction, *, today: datetime.date) -> Receivable:
    days = int(schedule_parameters().get(RECEIVABLE_DUE_PARAMETER, today).value)
    case = reaction.case
    receivable = Receivable.objects.create(
        case=case, organization_id=case.application.organization_id,
        plan_line=reaction.plan_line, amount_ore=reaction.amount_ore,
        kid=kid_mod10(f"7{reaction.pk:09d}"), due_on=today + datetime.timedelta(days=days),
        explanation=reaction.explanation, created_at=timezone.now())
    year = reaction.plan_line.grant_year if reaction.plan_line else case.application.round.year
    ledger.post(kind=EntryKind.CLAIMED, key=f"claimed:{reaction.pk}", case=case,
                grant_year=year, plan_line=reaction.plan_line,
                lines=move(Account.PAID, Account.RECEIVABLE, reaction.amount_ore),
                text=f"Krav om tilbakebetaling {case.application.reference}",
                prepared_by=reaction.proposed_by, approved_by=reaction.approved_by)
    return receivable


def reactions_of(case: Case):
    return (Reaction.objects.filter(case=case)
            .select_related("proposed_by", "approved_by", "letter", "receivable")
            .order_by("-proposed_at", "-pk"))


LETTER_KINDS = (Letter.Kind.HOLD_BACK, Letter.Kind.CLAW_BACK)


def unpaid_ore(case: Case) -> int:
    """What of the grant is not yet paid: committed and payable in the ledger."""
    found = ledger.balances(JournalLine.objects.filter(entry__case=case))
    return found[Account.COMMITTED] + found[Account.PAYABLE]


def receivable_paid(*, actor, receivable: Receivable, paid_on: datetime.date) -> Receivable:
    """The finance officer records that the recipient paid the claim back (as the bank
    statement shows it, with the claim's KID): the money returns to the appropriation."""
    _require(can_manage_payments(actor))
    today = timezone.localdate()
    if paid_on > today or paid_on < today - datetime.timedelta(days=400):
        raise ValidationError({"paid_on": _("Give the day the payment came in, at most 400 "
                                            "days back and not in the future.")})
    with transaction.atomic():
        receivable = Receivable.objects.select_for_update().select_related(
            "case__application").get(pk=receivable.pk)
        if receivable.status != Receivable.Status.OPEN:
            raise ValidationError(_("The claim is already settled."))
        receivable.status, receivable.settled_at = Receivable.Status.SETTLED, timezone.now()
        receivable.save(update_fields=["status", "settled_at"])
        case = receivable.case
        year = (receivable.plan_line.grant_year if receivable.plan_line_id
                else case.application.round.year)
        ledger.post(kind=EntryKind.RECEIVED, key=f"received:{receivable.pk}", case=case,
                    grant_year=year, plan_line=receivable.plan_line,
                    lines=move(Account.RECEIVABLE, Account.BUDGET, receivable.amount_ore),
                    text=f"Tilbakebetalt {paid_on:%d.%m.%Y}, KID {receivable.kid}",
                    prepared_by=actor.user)
        audit_record(event_type=EventType.RECEIVABLE_PAID, actor=actor.user,
                     organization=actor.organization, target=case.application,
                     payload={"application_id": case.application_id,
                              "receivable_id": receivable.pk,
                              "amount_ore": receivable.amount_ore})
    return receivable


def reaction_reverse_on_appeal(*, actor, letter) -> Reaction | None:
    """The ministry reversed a hold-back or claw-back on appeal (casework's appeal flow):
    a hold-back is lifted and its payments are due again; an open claim is cancelled and
    its ledger entry reversed. A claim already paid back is left for the finance officer
    to pay out again (the page says so). In appeal_decide's transaction."""
    reaction = (Reaction.objects.select_for_update().select_related("case__application")
                .filter(letter=letter).first())
    if reaction is None or reaction.status != Reaction.Status.APPROVED:
        return reaction
    reaction.status = Reaction.Status.REVERSED
    reaction.lifted_by, reaction.lifted_at = actor.user, timezone.now()
    reaction.save(update_fields=["status", "lifted_by", "lifted_at"])
    case = reaction.case
    if reaction.kind == Reaction.Kind.HOLD_BACK:
        _release_held(case, reaction, user=actor.user)
    else:
        receivable = Receivable.objects.select_for_update().get(pk=reaction.receivable_id)
        if receivable.status == Receivable.Status.OPEN:
            receivable.status, receivable.settled_at = (Receivable.Status.CANCELLED,
                                                         timezone.now())
            receivable.save(update_fields=["status", "settled_at"])
            claimed = JournalEntry.objects.get(idempotency_key=f"claimed:{reaction.pk}")
            ledger.reverse(claimed, key=f"reversed:{claimed.pk}",
                           text=f"Krav om tilbakebetaling opphevet etter klage "
                                f"{case.application.reference}", prepared_by=actor.user)
    audit_record(event_type=EventType.REACTION_REVERSED, actor=actor.user,
                 organization=actor.organization, target=case.application,
                 payload={"application_id": case.application_id, "reaction_id": reaction.pk,
                          "kind": reaction.kind, "amount_ore": reaction.amount_ore})
    return reaction


def _release_held(case: Case, reaction: Reaction, *, user) -> None:
    """The held payments are due again (when no other hold-back stands)."""
    if hold_active(case):
        return
    for line in PlanLine.objects.select_for_update().filter(case=case,
                                                            status=LineStatus.HELD):
        line.status = LineStatus.DUE
        line.save(update_fields=["status", "updated_at"])
        ledger.post(kind=EntryKind.DUE, key=f"released-hold:{line.pk}:{reaction.pk}",
                    case=line.case, grant_year=line.grant_year, plan_line=line,
                    lines=move(Account.HELD, Account.PAYABLE, line.amount_ore),
                    text=f"{line.label}: tilbakeholdelse opphevet", prepared_by=user)
