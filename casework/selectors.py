"""Reads for the inbox and the case page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from applications.checks import computed_grant
from applications.models import Application, Status
from audit.models import AuditEvent
from organizations.models import Organization
from rules.errors import RuleError
from schemes.models import Round


def rounds_with_applications() -> QuerySet[Round]:
    return (Round.objects.filter(applications__status=Status.SUBMITTED).distinct()
            .select_related("scheme").order_by("-deadline"))


def amount_applied(application: Application) -> Decimal | None:
    try:
        grant = computed_grant(application)
    except RuleError:
        grant = None
    if grant is not None:
        return grant.total
    value = application.content.get("amount_applied")
    try:
        return Decimal(value) if value not in (None, "") else None
    except ArithmeticError:
        return None


@dataclass
class InboxRow:
    application: Application
    region: Organization | None
    amount: Decimal | None

    @property
    def case(self):
        return getattr(self.application, "case", None)


SORTS = {"submitted": ("submitted_at", "id"), "-submitted": ("-submitted_at", "-id"),
         "applicant": ("organization__name", "id")}


def inbox(round_: Round, *, region_id: int | None = None, assigned: str = "",
          user=None, late: str = "", sort: str = "submitted", status: str = ""
          ) -> list[InboxRow]:
    qs = (Application.objects.filter(round=round_, status=Status.SUBMITTED)
          .select_related("round__scheme", "organization__parent__regional_office",
                          "organization__parent__parent__regional_office",
                          "case__assigned_to")
          .order_by(*SORTS.get(sort, SORTS["submitted"])))
    if assigned == "me" and user is not None:
        qs = qs.filter(case__assigned_to=user)
    elif assigned == "none":
        qs = qs.filter(Q(case__isnull=True) | Q(case__assigned_to__isnull=True))
    if late == "yes":
        qs = qs.filter(late=True)
    if status == "received":
        qs = qs.filter(Q(case__isnull=True) | Q(case__status="received"))
    elif status:
        qs = qs.filter(case__status=status)
    rows = [InboxRow(a, a.organization.region(), amount_applied(a)) for a in qs]
    if region_id:
        rows = [r for r in rows if r.region and r.region.pk == region_id]
    if sort == "-amount":
        rows.sort(key=lambda r: (r.amount is None, -(r.amount or 0)))
    return rows


def timeline(application: Application) -> QuerySet[AuditEvent]:
    """Every event about the application, from the audit log, oldest first."""
    return (AuditEvent.objects.filter(object_type="applications.application",
                                      object_id=str(application.pk))
            .select_related("actor", "actor_organization").order_by("occurred_at", "id"))


@dataclass
class SummaryRow:
    application: Application
    amount: Decimal | None
    averages: dict[str, Decimal | None]
    assessors: int
    decision: object | None = None
    running_total: Decimal = Decimal(0)
    beyond_frame: bool = False

    @property
    def total(self) -> Decimal | None:
        values = [v for v in self.averages.values() if v is not None]
        return (sum(values) / len(values)).quantize(Decimal("0.1")) if values else None


def assessment_summary(round_: Round) -> list[SummaryRow]:
    """Every assessed application of the round with its average score per criterion."""
    from .models import Assessment, CaseStatus, Criterion

    apps = list(Application.objects.filter(
        round=round_, status=Status.SUBMITTED,
        case__status__in=[CaseStatus.IN_ASSESSMENT, CaseStatus.GRANTED, CaseStatus.REFUSED,
                          CaseStatus.ACCEPTED, CaseStatus.LAPSED])
        .select_related("round__scheme", "organization", "case__decision"))
    scores: dict[int, dict[str, list[int]]] = {}
    assessors: dict[int, set[int]] = {}
    for a in Assessment.objects.filter(case__application__in=apps).values(
            "case__application_id", "criterion", "score", "assessor_id"):
        app_id = a["case__application_id"]
        scores.setdefault(app_id, {}).setdefault(a["criterion"], []).append(a["score"])
        assessors.setdefault(app_id, set()).add(a["assessor_id"])
    rows = []
    for app in apps:
        per = scores.get(app.pk, {})
        averages = {c: (Decimal(sum(per[c])) / len(per[c])).quantize(Decimal("0.1"))
                    if per.get(c) else None for c in Criterion.values}
        rows.append(SummaryRow(app, amount_applied(app), averages,
                               len(assessors.get(app.pk, ())),
                               getattr(app.case, "decision", None)))
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0)))
    # Allocation: the running total of proposed and approved grants in ranked order,
    # against the frame (lapsed grants free their money).
    running = Decimal(0)
    for row in rows:
        d = row.decision
        if d is not None and d.kind == "commitment" and d.lapsed_at is None:
            running += d.amount or 0
            row.beyond_frame = running > round_.budget_frame
        row.running_total = running
    return rows


def status_counts(rows: list[InboxRow]) -> dict[str, int]:
    from .models import CaseStatus

    counts = {value: 0 for value in CaseStatus.values}
    for row in rows:
        counts[row.case.status if row.case else CaseStatus.RECEIVED] += 1
    return counts


def grant_recipients(round_: Round) -> list[tuple[str, list[Application]]]:
    """The published list: applicant and project, grouped by focus area (like the lists
    the directorate publishes, seed 003). Approved grants that have not lapsed."""
    from .models import CaseStatus

    apps = list(Application.objects.filter(
        round=round_, case__status__in=[CaseStatus.GRANTED, CaseStatus.ACCEPTED],
        case__decision__approved_at__isnull=False,
        case__decision__kind="commitment").select_related("organization")
        .order_by("organization__name"))
    areas = {a.number: str(a) for a in round_.focus_areas.all()}
    groups: dict[str, list[Application]] = {}
    for app in apps:
        key = areas.get(app.content.get("focus_area"), "")
        groups.setdefault(key, []).append(app)
    return sorted(groups.items())
