"""Payment plans: made when a grant is accepted (the casework signal), filled in when a
report is accepted (the reporting signal), made due when their condition is met.

Each grant year's money is committed in the ledger when the plan is made; a line that
becomes due moves its amount from committed to payable; what the settlement does not
trigger goes back to the appropriation; an over-paid advance becomes a receivable with a
KID (a claw-back). Every amount carries the rules core's explanation (rules/settlement.py).
All of it is idempotent: a replayed signal or a job run twice changes nothing."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import EventType
from audit.services import audit_record
from casework.models import Case
from core import formatting
from reporting.models import ObligationKind, ReportObligation
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
from .reactions import hold_active, hold_line, reaction_propose

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


def _appropriated(years: set[int]) -> set[int]:
    return set(Appropriation.objects.filter(year__in=years).values_list("year", flat=True))


def _make_due(line: PlanLine, *, actor=None) -> None:
    if hold_active(line.case):  # an approved hold-back: due, and held at once
        hold_line(line, key=f"held:{line.pk}", source=Account.COMMITTED,
                  user=getattr(actor, "user", None))
        return
    line.status = LineStatus.DUE
    line.save(update_fields=["status", "amount_ore", "explanation", "updated_at"])
    ledger.post(kind=EntryKind.DUE, key=f"due:{line.pk}", case=line.case,
                grant_year=line.grant_year, plan_line=line,
                lines=move(Account.COMMITTED, Account.PAYABLE, line.amount_ore),
                text=f"{line.label} til utbetaling", prepared_by=getattr(actor, "user", None))


def _year_lines(line: PlanLine) -> list[PlanLine]:
    return list(PlanLine.objects.filter(case_id=line.case_id, grant_year=line.grant_year)
                .order_by("number"))


def _release(line: PlanLine, amount_ore: int, *, key: str, actor=None) -> None:
    """What the grant year will not pay goes back to the appropriation."""
    if amount_ore > 0:
        ledger.post(kind=EntryKind.RELEASED, key=key, case=line.case, grant_year=line.grant_year,
                    plan_line=line, lines=move(Account.COMMITTED, Account.BUDGET, amount_ore),
                    text=f"{line.label}: ikke utløst", prepared_by=getattr(actor, "user", None))


def _paid_ore(lines: list[PlanLine]) -> int:
    return sum(line.amount_ore or 0 for line in lines if line.status == LineStatus.PAID)


def _settle(line: PlanLine, record, *, today: datetime.date, actor=None) -> bool:
    """The 2026 settlement from the accepted used-places report, once the earlier lines
    of the year are paid: the rest of what the places trigger (capped at the grant), or
    a claw-back of what was paid too much."""
    year = _year_lines(line)
    earlier = [other for other in year if other.number < line.number]
    if any(other.status not in (LineStatus.PAID, LineStatus.SETTLED) for other in earlier):
        return False  # the advance is not paid yet
    granted_ore = _granted_ore(line.case)
    paid_ore = _paid_ore(earlier)
    result = rules.settlement_2026(ore_to_kroner(granted_ore), ore_to_kroner(paid_ore),
                                   record.total, line.obligation.period_end)
    line.explanation = result.explained.as_dict()
    capped_ore = _ore(result.capped)
    if result.settlement > 0:
        line.amount_ore = _ore(result.settlement)
        _make_due(line, actor=actor)
    else:
        line.amount_ore = 0
        line.status = LineStatus.SETTLED
        line.save(update_fields=["status", "amount_ore", "explanation", "updated_at"])
    _release(line, granted_ore - max(capped_ore, paid_ore), key=f"released:{line.pk}",
             actor=actor)
    if result.claw_back > 0:
        _propose_claw_back(line, _ore(result.claw_back), actor=actor)
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


def _period(line: PlanLine, record, *, actor=None) -> bool:
    """A per-capita reporting period: what its participant-months trigger, capped at what
    remains of the grant; the year's last period releases what is left."""
    year = _year_lines(line)
    granted_ore = _granted_ore(line.case)
    before = sum(other.amount_ore or 0 for other in year if other.number < line.number)
    result = rules.per_capita_period(record.total, ore_to_kroner(granted_ore),
                                     ore_to_kroner(before), line.obligation.period_end)
    line.explanation = result.explained.as_dict()
    line.amount_ore = _ore(result.payment)
    if line.amount_ore > 0:
        _make_due(line, actor=actor)
    else:
        line.status = LineStatus.SETTLED
        line.save(update_fields=["status", "amount_ore", "explanation", "updated_at"])
    if line.number == max(other.number for other in year):
        _release(line, granted_ore - before - line.amount_ore, key=f"released:{line.pk}",
                 actor=actor)
    return True


def plan_refresh(*, case: Case | None = None, today: datetime.date | None = None,
                 actor=None) -> int:
    """Make due every waiting line whose condition is met (the grant accepted, the report
    accepted, the due date come, the year's appropriation recorded). Returns how many."""
    today = today or timezone.localdate()
    waiting = PlanLine.objects.filter(status=LineStatus.WAITING)
    if case is not None:
        waiting = waiting.filter(case=case)
    pks = list(waiting.order_by("case_id", "grant_year", "number").values_list("pk", flat=True))
    years = set(waiting.values_list("grant_year", flat=True))
    appropriated = _appropriated(years)
    count = 0
    for pk in pks:
        with transaction.atomic():
            line = (PlanLine.objects.select_for_update()
                    .select_related("case__decision", "case__application", "obligation")
                    .filter(pk=pk, status=LineStatus.WAITING).first())
            if line is None:
                continue
            if line.needs_appropriation and line.grant_year not in appropriated:
                continue
            if _try(line, today=today, actor=actor):
                count += 1
    return count


def _try(line: PlanLine, *, today: datetime.date, actor=None) -> bool:
    if line.condition == Condition.ACCEPTANCE:
        _make_due(line, actor=actor)
        return True
    if line.condition == Condition.DATE:
        if line.due_on is not None and line.due_on > today:
            return False
        _make_due(line, actor=actor)
        return True
    record = _accepted_record(line.obligation)
    if record is None:
        return False
    if line.kind == LineKind.SETTLEMENT:
        return _settle(line, record, today=today, actor=actor)
    return _period(line, record, actor=actor)


def _accepted_record(obligation: ReportObligation | None):
    """The accepted used-places or participant report the line pays on (None until then)."""
    if obligation is None:
        return None
    return (obligation.usage_snapshots.filter(review="accepted")
            .order_by("-certified_at", "-pk").first())


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
