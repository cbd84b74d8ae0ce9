"""Payment plans: made when a grant is accepted (the casework signal), filled in when a
report is accepted (the reporting signal), made due when their condition is met.

Each grant year's money is committed in the ledger when the plan is made; a line that
becomes due moves its amount from committed to payable; what the settlement does not
trigger goes back to the appropriation; an over-paid advance becomes a receivable with a
KID (a claw-back). Every amount carries the rules core's explanation (rules/settlement.py).
All of it is idempotent: a replayed signal or a job run twice changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import EventType
from audit.services import audit_record
from casework.models import Case
from core import formatting
from reporting.models import ObligationKind, ReportObligation, UsageSnapshot
from rules import settlement as rules
from rules.sources import DEVELOPMENT_2025, JOBBSJANSEN_2026, circular, page
from schemes.models import GrantModel

from . import ledger
from .ledger import move
from .models import (
    Account,
    Appropriation,
    Condition,
    EntryKind,
    LineKind,
    LineStatus,
    PlanLine,
    Reaction,
    kroner_to_ore,
    ore_to_kroner,
)
from .permissions import can_manage_payments, can_propose_reaction
from .reactions import reaction_propose

SETTLEMENT_SOURCE = page(JOBBSJANSEN_2026, "Når utbetales tilskuddsmidlene?")
PER_CAPITA_SOURCE = circular("12")
TERMS_SOURCE = page(DEVELOPMENT_2025, "Når utbetales pengene?")


def _ore(amount) -> int:
    return kroner_to_ore(amount)


def _granted_ore(case: Case) -> int:
    """The grant for each of its years (the decision's amount), in øre."""
    return _ore(case.decision.amount)


def plan_create(*, case: Case, decision=None, application=None, actor=None) -> list[PlanLine]:
    """The grant's payment plan, year by year, from its grant model; each year's grant
    committed in the ledger. Idempotent: a plan already made is left as it is."""
    application = application or case.application
    decision = decision or case.decision
    if PlanLine.objects.filter(case=case).exists():
        return []
    round_ = application.round
    model = round_.scheme.grant_model
    granted = decision.amount
    lines: list[PlanLine] = []
    obligations = list(ReportObligation.objects.filter(case=case).order_by("deadline", "pk"))
    with transaction.atomic():
        for index in range(decision.years):
            year = round_.year + index
            later = index > 0
            base = {"case": case, "organization_id": application.organization_id,
                    "round": round_, "grant_year": year, "needs_appropriation": later}
            ledger.post(kind=EntryKind.COMMITTED, key=f"committed:{case.pk}:{year}",
                        case=case, grant_year=year,
                        lines=move(Account.BUDGET, Account.COMMITTED, _ore(granted)),
                        text=f"Tilsagn {application.reference} for {year}",
                        prepared_by=getattr(actor, "user", None))
            if model == GrantModel.JOBBSJANSEN_2026:
                advance = rules.advance_2026(granted, datetime.date(year, 1, 1))
                used = next((o for o in obligations if o.grant_year == year
                             and o.kind == ObligationKind.USED_PLACES), None)
                lines.append(PlanLine(
                    **base, number=1, kind=LineKind.ADVANCE, label=f"Forskudd {year}",
                    condition=Condition.ACCEPTANCE, amount_ore=_ore(advance.total),
                    explanation=advance.as_dict(), source=SETTLEMENT_SOURCE))
                lines.append(PlanLine(
                    **base, number=2, kind=LineKind.SETTLEMENT, label=f"Sluttutbetaling {year}",
                    condition=Condition.REPORT, obligation=used,
                    source=SETTLEMENT_SOURCE))
            elif model == GrantModel.PER_CAPITA_2024:
                periods = [o for o in obligations if o.grant_year == year
                           and o.kind == ObligationKind.PARTICIPANTS]
                for number, obligation in enumerate(periods, start=1):
                    lines.append(PlanLine(
                        **base, number=number, kind=LineKind.PERIOD,
                        label=f"Deltakere til {obligation.period_end:%d.%m.%Y}",
                        condition=Condition.REPORT, obligation=obligation,
                        source=PER_CAPITA_SOURCE))
            else:  # development grant, 2018 part B: two terms
                split = rules.terms(granted, year, datetime.date(year, 1, 1))
                for number, term in enumerate(split.terms, start=1):
                    lines.append(PlanLine(
                        **base, number=number, kind=LineKind.TERM,
                        label=f"Termin {term.label} {year}", condition=Condition.DATE,
                        due_on=term.due, amount_ore=_ore(term.amount),
                        explanation=split.explained.as_dict(), source=TERMS_SOURCE))
        created = PlanLine.objects.bulk_create(lines)
        audit_record(event_type=EventType.FINANCE_PLAN_CREATED,
                     actor=getattr(actor, "user", None),
                     organization=getattr(actor, "organization", None), target=application,
                     payload={"application_id": application.pk, "case_id": case.pk,
                              "count": len(created)})
    plan_refresh(case=case, actor=actor)
    return created


@dataclass
class _Chunk:
    """One chunk of grants refreshed in one transaction: their lines (locked), what is
    known about them, and what is written at the end (lines in one update, ledger entries
    in two inserts)."""

    today: datetime.date
    actor: object
    lines_by_case: dict[int, list[PlanLine]]
    totals: dict[int, Decimal]  # obligation → the accepted report's total
    held: set[int]  # grants with an approved hold-back
    batch: ledger.Batch = field(default_factory=ledger.Batch)
    changed: list[PlanLine] = field(default_factory=list)
    claw_backs: list[tuple[PlanLine, int]] = field(default_factory=list)

    @property
    def user(self):
        return getattr(self.actor, "user", None)

    def year(self, line: PlanLine) -> list[PlanLine]:
        return [other for other in self.lines_by_case[line.case_id]
                if other.grant_year == line.grant_year]


CHUNK = 100  # grants per transaction


def _make_due(line: PlanLine, chunk: _Chunk) -> None:
    """Due (committed → payable), or held at once under an approved hold-back."""
    chunk.changed.append(line)
    if line.case_id in chunk.held:
        line.status = LineStatus.HELD
        chunk.batch.add(kind=EntryKind.HELD, key=f"held:{line.pk}", case=line.case,
                        grant_year=line.grant_year, plan_line=line,
                        lines=move(Account.COMMITTED, Account.HELD, line.amount_ore),
                        text=f"{line.label}: holdt tilbake", prepared_by=chunk.user)
        return
    line.status = LineStatus.DUE
    chunk.batch.add(kind=EntryKind.DUE, key=f"due:{line.pk}", case=line.case,
                    grant_year=line.grant_year, plan_line=line,
                    lines=move(Account.COMMITTED, Account.PAYABLE, line.amount_ore),
                    text=f"{line.label} til utbetaling", prepared_by=chunk.user)


def _nothing_to_pay(line: PlanLine, chunk: _Chunk) -> None:
    line.status = LineStatus.SETTLED
    chunk.changed.append(line)


def _release(line: PlanLine, amount_ore: int, chunk: _Chunk) -> None:
    """What the grant year will not pay goes back to the appropriation."""
    if amount_ore > 0:
        chunk.batch.add(kind=EntryKind.RELEASED, key=f"released:{line.pk}", case=line.case,
                        grant_year=line.grant_year, plan_line=line,
                        lines=move(Account.COMMITTED, Account.BUDGET, amount_ore),
                        text=f"{line.label}: ikke utløst", prepared_by=chunk.user)


def _paid_ore(lines: list[PlanLine]) -> int:
    return sum(line.amount_ore or 0 for line in lines if line.status == LineStatus.PAID)


def _settle(line: PlanLine, total: Decimal, chunk: _Chunk) -> bool:
    """The 2026 settlement from the accepted used-places report, once the earlier lines
    of the year are paid: the rest of what the places trigger (capped at the grant), or
    a claw-back of what was paid too much (proposed as a decision)."""
    earlier = [other for other in chunk.year(line) if other.number < line.number]
    if any(other.status not in (LineStatus.PAID, LineStatus.SETTLED) for other in earlier):
        return False  # the advance is not paid yet
    granted_ore = _granted_ore(line.case)
    paid_ore = _paid_ore(earlier)
    result = rules.settlement_2026(ore_to_kroner(granted_ore), ore_to_kroner(paid_ore),
                                   total, line.obligation.period_end)
    line.explanation = result.explained.as_dict()
    if result.settlement > 0:
        line.amount_ore = _ore(result.settlement)
        _make_due(line, chunk)
    else:
        line.amount_ore = 0
        _nothing_to_pay(line, chunk)
    _release(line, granted_ore - max(_ore(result.capped), paid_ore), chunk)
    if result.claw_back > 0:
        chunk.claw_backs.append((line, _ore(result.claw_back)))
    return True


def _propose_claw_back(line: PlanLine, amount_ore: int, *, actor=None) -> None:
    """The places triggered less than the advance paid: the claw-back is proposed as a
    decision (a second officer approves it). Made outside a person's action (the nightly
    job), it is left for an officer to propose from the grant's page."""
    if actor is None or not can_propose_reaction(actor):
        return
    reaction_propose(
        actor=actor, case=line.case, kind=Reaction.Kind.CLAW_BACK, amount_ore=amount_ore,
        plan_line=line, explanation=line.explanation,
        reason=(f"Rapporten om faktisk benyttede plasser utløser mindre enn forskuddet som er "
                f"utbetalt for {line.grant_year}. Det som er utbetalt for mye, "
                f"{_kr(amount_ore)}, kreves tilbakebetalt."))


def _kr(amount_ore: int) -> str:
    return formatting.amount(ore_to_kroner(amount_ore), 0 if amount_ore % 100 == 0 else 2)


def _period(line: PlanLine, total: Decimal, chunk: _Chunk) -> bool:
    """A per-capita reporting period: what its participant-months trigger, capped at what
    remains of the grant; the year's last period releases what is left."""
    year = chunk.year(line)
    granted_ore = _granted_ore(line.case)
    before = sum(other.amount_ore or 0 for other in year if other.number < line.number)
    result = rules.per_capita_period(total, ore_to_kroner(granted_ore),
                                     ore_to_kroner(before), line.obligation.period_end)
    line.explanation = result.explained.as_dict()
    line.amount_ore = _ore(result.payment)
    if line.amount_ore > 0:
        _make_due(line, chunk)
    else:
        _nothing_to_pay(line, chunk)
    if line.number == max(other.number for other in year):
        _release(line, granted_ore - before - line.amount_ore, chunk)
    return True


def plan_refresh(*, case: Case | None = None, today: datetime.date | None = None,
                 actor=None) -> int:
    """Make due every waiting line whose condition is met (the grant accepted, the report
    accepted, the due date come, the year's appropriation recorded). Returns how many.

    A hundred grants at a time, in one transaction: their lines locked in one query, the
    accepted reports' totals and the hold-backs read in one each, the lines written in one
    update and the ledger entries in two inserts — a round of 400 grants in a few dozen
    queries (bench/settlement.py)."""
    today = today or timezone.localdate()
    waiting = PlanLine.objects.filter(status=LineStatus.WAITING)
    if case is not None:
        waiting = waiting.filter(case=case)
    case_ids = sorted(set(waiting.values_list("case_id", flat=True)))
    appropriated = set(Appropriation.objects.values_list("year", flat=True))
    count = 0
    for start in range(0, len(case_ids), CHUNK):
        chunk_ids = case_ids[start:start + CHUNK]
        with transaction.atomic():
            lines = list(PlanLine.objects.select_for_update(of=("self",))
                         .select_related("case__decision", "case__application", "obligation")
                         .filter(case_id__in=chunk_ids)
                         .order_by("case_id", "grant_year", "number"))
            todo = [line for line in lines if line.status == LineStatus.WAITING
                    and (not line.needs_appropriation or line.grant_year in appropriated)]
            if not todo:
                continue
            by_case: dict[int, list[PlanLine]] = {}
            for line in lines:
                by_case.setdefault(line.case_id, []).append(line)
            chunk = _Chunk(today, actor, by_case, _accepted_totals(todo),
                           set(Reaction.objects.filter(
                               case_id__in=chunk_ids, kind=Reaction.Kind.HOLD_BACK,
                               status=Reaction.Status.APPROVED).values_list("case_id",
                                                                            flat=True)))
            for line in todo:
                if _try(line, chunk):
                    count += 1
            now = timezone.now()
            for line in chunk.changed:
                line.updated_at = now
            PlanLine.objects.bulk_update(chunk.changed, ["status", "amount_ore", "explanation",
                                                         "updated_at"])
            chunk.batch.flush()
            for line, amount_ore in chunk.claw_backs:
                _propose_claw_back(line, amount_ore, actor=actor)
    return count


def _try(line: PlanLine, chunk: _Chunk) -> bool:
    if line.condition == Condition.ACCEPTANCE:
        _make_due(line, chunk)
        return True
    if line.condition == Condition.DATE:
        if line.due_on is not None and line.due_on > chunk.today:
            return False
        _make_due(line, chunk)
        return True
    total = chunk.totals.get(line.obligation_id)
    if total is None:
        return False
    if line.kind == LineKind.SETTLEMENT:
        return _settle(line, total, chunk)
    return _period(line, total, chunk)


def _accepted_totals(lines: list[PlanLine]) -> dict[int, Decimal]:
    """The accepted used-places or participant report each line pays on, by obligation:
    its total (the latest accepted; one query, without the report's data)."""
    ids = {line.obligation_id for line in lines if line.obligation_id}
    if not ids:
        return {}
    rows = (UsageSnapshot.objects.filter(obligation_id__in=ids, review="accepted")
            .order_by("obligation_id", "certified_at", "pk")
            .values_list("obligation_id", "total"))
    return dict(rows)  # the latest accepted per obligation wins


def appropriation_record(*, actor, year: int, reference: str) -> Appropriation:
    """The finance officer records that the year's appropriation is in place; the later
    years' lines can then become due."""
    allowed = can_manage_payments(actor)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the reference of the appropriation (for "
                                              "example the budget proposition).")})
    with transaction.atomic():
        appropriation, created = Appropriation.objects.get_or_create(
            year=year, defaults={"reference": reference[:200],
                                 "recorded_by": actor.user, "recorded_at": timezone.now()})
        if created:
            audit_record(event_type=EventType.FINANCE_APPROPRIATION_RECORDED, actor=actor.user,
                         organization=actor.organization, target=appropriation,
                         payload={"year": year})
    plan_refresh(actor=actor)
    return appropriation


def plan_totals(case: Case) -> dict[str, int]:
    """The plan's amounts in øre: planned (known amounts), paid, due."""
    rows = PlanLine.objects.filter(case=case)
    return {"planned": rows.aggregate(total=Sum("amount_ore"))["total"] or 0,
            "paid": rows.filter(status=LineStatus.PAID).aggregate(
                total=Sum("amount_ore"))["total"] or 0,
            "due": rows.filter(status=LineStatus.DUE).aggregate(
                total=Sum("amount_ore"))["total"] or 0}
