"""Reads of the money, each in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from accounts.roles import MUNICIPAL_ROLES
from casework.models import Case

from . import ledger
from .models import (
    Account,
    JournalEntry,
    JournalLine,
    LineStatus,
    Payment,
    PaymentRun,
    PlanLine,
    Receivable,
)
from .permissions import can_propose_reaction, can_view_finance


def due_lines() -> QuerySet[PlanLine]:
    """What is due for payment, with payee and grant, oldest grant first."""
    return (PlanLine.objects.filter(status=LineStatus.DUE)
            .select_related("organization", "case__application", "round")
            .order_by("organization__name", "grant_year", "number", "pk"))


@dataclass(frozen=True)
class DueSummary:
    count: int
    total_ore: int
    waiting: int


def due_summary() -> DueSummary:
    """Counts of what is due and what waits, in one query."""
    totals = PlanLine.objects.aggregate(
        count=Count("pk", filter=Q(status=LineStatus.DUE)),
        total=Sum("amount_ore", filter=Q(status=LineStatus.DUE)),
        waiting=Count("pk", filter=Q(status=LineStatus.WAITING)))
    return DueSummary(totals["count"], totals["total"] or 0, totals["waiting"])


def runs() -> QuerySet[PaymentRun]:
    return PaymentRun.objects.select_related("created_by", "approved_by").order_by(
        "-created_at", "-pk")


def run_payments(run: PaymentRun) -> QuerySet[Payment]:
    return (run.payments.select_related("organization", "plan_line__case__application")
            .order_by("organization__name", "pk"))


def may_see_grant(actor, case: Case) -> bool:
    """The finance section, a case officer (who proposes and approves reactions), or a
    municipal role at the grant's recipient."""
    if can_view_finance(actor) or can_propose_reaction(actor):
        return True
    organization_id = case.application.organization_id
    return any(m.organization.pk == organization_id and m.roles & MUNICIPAL_ROLES
               for m in actor.memberships)


def grant_or_404(actor, case_pk: int) -> Case:
    case = (Case.objects.select_related("application__organization", "application__round",
                                        "decision").filter(pk=case_pk).first())
    if case is None or not may_see_grant(actor, case):
        raise Http404
    return case


def grant_money(case: Case) -> dict:
    """One grant's plan, payments, claims, ledger entries and balances."""
    lines = list(PlanLine.objects.filter(case=case).select_related("obligation")
                 .order_by("grant_year", "number"))
    payments = list(Payment.objects.filter(plan_line__case=case).select_related("run")
                    .order_by("pk"))
    by_line: dict[int, list[Payment]] = {}
    for payment in payments:
        by_line.setdefault(payment.plan_line_id, []).append(payment)
    for line in lines:
        line.payment_list = by_line.get(line.pk, [])
    entries = list(JournalEntry.objects.filter(case=case).prefetch_related("lines")
                   .order_by("posted_at", "pk"))
    balances = ledger.balances(JournalLine.objects.filter(entry__case=case))
    return {"lines": lines, "receivables": list(Receivable.objects.filter(case=case)),
            "entries": entries, "balances": balances, "reconciliation": reconcile(balances)}


@dataclass(frozen=True)
class Reconciliation:
    granted: int
    released: int
    paid: int
    held: int
    claimed: int
    remaining: int

    @property
    def balances(self) -> bool:
        """granted − released − paid − held − claimed = remaining (what is still owed)."""
        return (self.granted - self.released - self.paid - self.held - self.claimed
                == self.remaining)


def reconcile(balances: dict[str, int], *, granted: int | None = None,
              released: int | None = None) -> Reconciliation:
    """The grant's money from its ledger balances: granted, released (not triggered, back
    to the appropriation), paid (net of claims), held, claimed back (open receivables),
    remaining (committed and payable). ``granted``/``released`` may be given from the
    entries; otherwise they follow from the budget account: −budget = granted − released."""
    paid, held = balances[Account.PAID], balances[Account.HELD]
    claimed = balances[Account.RECEIVABLE]
    remaining = balances[Account.COMMITTED] + balances[Account.PAYABLE]
    net = -balances[Account.BUDGET]
    if granted is None:
        granted = net if released is None else net + released
    if released is None:
        released = granted - net
    return Reconciliation(granted, released, paid, held, claimed, remaining)


def ledger_overview() -> dict:
    """The balances of every account in all (one query)."""
    return {"total": ledger.balances(JournalLine.objects.all())}


def committed_by_case(case_ids: list[int]) -> dict[int, int]:
    """What each grant committed (its 'committed' entries), for the reconciliation list."""
    rows = (JournalLine.objects.filter(entry__case_id__in=case_ids, entry__kind="committed",
                                       account=Account.COMMITTED)
            .values("entry__case_id").annotate(total=Sum("amount_ore"))
            .values_list("entry__case_id", "total"))
    return dict(rows)


def reconciliations(case_ids: list[int]) -> list[dict]:
    """Each grant's reconciliation with the plan, for a page of grants (four queries):
    the ledger's balances, what it committed, and the plan's paid and payable amounts.
    The ledger matches the plan when what is payable is what the plan has due or in a run,
    and what was paid (with what was claimed back) is what the plan has paid."""
    cases = {case.pk: case for case in Case.objects.filter(pk__in=case_ids).select_related(
        "application__organization")}
    balances = ledger.balances_by("case", JournalLine.objects.filter(
        entry__case_id__in=case_ids))
    committed = committed_by_case(case_ids)
    received = dict(JournalLine.objects.filter(
        entry__case_id__in=case_ids, entry__kind="received", account=Account.BUDGET)
        .values("entry__case_id").annotate(total=Sum("amount_ore"))
        .values_list("entry__case_id", "total"))
    plan = {row["case_id"]: row for row in PlanLine.objects.filter(case_id__in=case_ids)
            .values("case_id").annotate(
                paid=Sum("amount_ore", filter=Q(status=LineStatus.PAID)),
                payable=Sum("amount_ore", filter=Q(status__in=(LineStatus.DUE,
                                                               LineStatus.IN_RUN))))
            .order_by()}
    rows = []
    for pk in case_ids:
        found = balances.get(pk, dict.fromkeys(Account.values, 0))
        result = reconcile(found, granted=committed.get(pk, 0))
        planned = plan.get(pk, {})
        matches = (found[Account.PAYABLE] == (planned.get("payable") or 0)
                   and found[Account.PAID] + found[Account.RECEIVABLE] + received.get(pk, 0)
                   == (planned.get("paid") or 0))
        rows.append({"case": cases.get(pk), "result": result, "matches": matches,
                     "balanced": sum(found.values()) == 0})
    return rows
