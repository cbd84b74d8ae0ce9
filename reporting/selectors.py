"""Reads of report obligations, scoped to what the actor may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from accounts.roles import Role
from accounts.selectors import organization_contacts
from casework.letters import letter_language
from casework.selectors import organization_region_id, regional_offices
from organizations.models import Organization
from register.codes import Financing
from register.models import CheckState, Participant, Submission
from rules import usage
from rules.accounts import LINES, AccountsFacts, AccountsResult, accounts_check
from rules.errors import RuleError
from rules.goals import Ended, Transition, end_reason_label, goal_achievement
from rules.grants.jobbsjansen_2026 import MonthlyRates
from schemes.models import Round

from .forms import ACCOUNTS_FIELDS, ACCOUNTS_TEXT, KIND_TEXTS, LINE_LABELS, TEXTS, label_of
from .models import (
    PENDING,
    ObligationKind,
    ObligationStatus,
    ReportAttachment,
    ReportObligation,
    ReportVersion,
    UsageSnapshot,
)
from .permissions import can_view_organization_obligations, can_view_round_obligations

# Who is told about a grant's reports at the recipient: those who write them and those who
# sign them (besides the organisation's address for official mail).
REPORT_ROLES = (Role.APPLICATION_EDITOR, Role.CHIEF_EXECUTIVE, Role.DELEGATED_SIGNER)
LANGUAGES = ("nb", "nn", "en")


def _related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("organization", "round__scheme", "case__application")


def obligations_of_organization(actor, organization) -> QuerySet[ReportObligation]:
    """The organisation's report obligations, by deadline — nothing unless the actor holds
    a municipal role there or is the directorate."""
    if organization is None or not can_view_organization_obligations(actor, organization):
        return ReportObligation.objects.none()
    return _related(ReportObligation.objects.filter(organization=organization))


def overdue_of_organization(actor, organization, *, now: datetime.datetime | None = None
                            ) -> QuerySet[ReportObligation]:
    """Not submitted and past the deadline: the start page's warning."""
    return obligations_of_organization(actor, organization).overdue(now)


def awaiting_certification_of_organization(actor, organization
                                           ) -> QuerySet[ReportObligation]:
    """Reports sent for certification: the signers' to-do."""
    return obligations_of_organization(actor, organization).filter(
        status=ObligationStatus.AWAITING_CERTIFICATION)


@dataclass
class RoundReports:
    rows: QuerySet
    counts: dict[str, int] = field(default_factory=dict)  # by status
    overdue: int = 0
    total: int = 0


def region_filter(value: str) -> tuple[list[Organization], int | None]:
    """The regional offices the report inbox filters by (by name), and the id of the one
    ``value`` names — None when it names none (an unknown value is no filter)."""
    regions = list(regional_offices())
    return regions, next((office.pk for office in regions if str(office.pk) == value), None)


def round_obligations(actor, round_, *, status: str = "", kind: str = "",
                      region: int | None = None,
                      now: datetime.datetime | None = None) -> RoundReports:
    """The directorate's view of a round's reports: the rows (filtered by ``status``, which
    may also be "overdue", ``kind`` and ``region``, a regional office's id: the reports of
    the organisations it is the contact of) and the counts by status of the round under the
    kind and region filters, in two queries whatever the number of rows."""
    if not can_view_round_obligations(actor):
        return RoundReports(ReportObligation.objects.none(),
                            dict.fromkeys(ObligationStatus.values, 0))
    now = (now or timezone.now()).replace(microsecond=0)
    base = ReportObligation.objects.filter(round=round_)
    if kind in ObligationKind.values:
        base = base.filter(kind=kind)
    if region:
        base = base.alias(region_id=organization_region_id()).filter(region_id=region)
    overdue = Q(status__in=PENDING, deadline__lt=now)
    totals = base.aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue),
                            **{f"status_{s}": Count("pk", filter=Q(status=s))
                               for s in ObligationStatus.values})
    rows = base
    if status == "overdue":
        rows = rows.filter(overdue)
    elif status in ObligationStatus.values:
        rows = rows.filter(status=status)
    rows = _related(rows).order_by("deadline", "organization__name", "kind", "pk")
    return RoundReports(rows, {s: totals[f"status_{s}"] for s in ObligationStatus.values},
                        totals["overdue"], totals["total"])


def report_recipients(obligation: ReportObligation) -> list[tuple[str, list[str]]]:
    """Who is e-mailed about an obligation, grouped by the language each reads: the
    organisation's official address (in the application's written standard) and its
    report writers and signers (each in their chosen language; bokmål by default)."""
    organization = obligation.organization
    groups: dict[str, set[str]] = {}
    if organization.email:
        groups.setdefault(letter_language(obligation.case.application), set()).add(
            organization.email)
    for user in organization_contacts(organization, REPORT_ROLES):
        language = user.preferred_language if user.preferred_language in LANGUAGES else "nb"
        groups.setdefault(language, set()).add(user.email)
    seen: set[str] = set()
    found = []
    for language in sorted(groups, key=LANGUAGES.index):
        emails = sorted(groups[language] - seen)
        seen.update(emails)
        if emails:
            found.append((language, emails))
    return found


# -- reports that fill themselves from the register -----------------------------------------

# The reports computed from the register, with the rules core's function for each.
USAGE_KINDS = (ObligationKind.USED_PLACES, ObligationKind.PARTICIPANTS)
NO_DATA = gettext_lazy(
    "The register has no participants of the municipality in this period, so there is "
    "nothing to report and the report cannot be certified. The municipality reports through "
    "the participant register: register the participants, and the report fills itself in.")


def round_rates(round_: Round) -> MonthlyRates:
    """The round's four monthly rates of the 2026 model (RuleError when one is missing)."""
    return MonthlyRates(round_.rate_start_with_g, round_.rate_start_without_g,
                        round_.rate_base_with_g, round_.rate_base_without_g,
                        round_.rates_source, example="EKSEMPEL" in round_.rates_source)


def register_rows(organization_ids, start: datetime.date, end: datetime.date
                  ) -> dict[int, list[usage.RegisterRow]]:
    """The register's participants of these organisations who were in the programme some
    day in the period, by organisation: one query, only the columns the report needs (the
    register id, start, end and financing — never the id number or the name)."""
    found: dict[int, list[usage.RegisterRow]] = {pk: [] for pk in organization_ids}
    rows = (Participant.objects.filter(organization_id__in=list(found), start_date__lte=end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).order_by()
            .values_list("organization_id", "pk", "start_date", "end_date", "financing"))
    for organization_id, pk, started, ended, financing in rows:
        found[organization_id].append(
            usage.RegisterRow(pk, started, ended, financing == Financing.ALLOWANCE))
    return found


def usage_compute(obligation: ReportObligation, rows: list[usage.RegisterRow],
                  round_: Round | None = None) -> usage.UsageReport:
    """The report of ``obligation`` for these register rows, by the rules core."""
    if obligation.kind == ObligationKind.USED_PLACES:
        return usage.used_places_report(rows, obligation.period_start, obligation.period_end,
                                        round_rates(round_ or obligation.round))
    if obligation.kind == ObligationKind.PARTICIPANTS:
        return usage.per_capita_report(rows, obligation.period_start, obligation.period_end)
    raise ValueError(f"{obligation.kind} is not computed from the register")


def usage_report(obligation: ReportObligation) -> usage.UsageReport:
    """The used-places or participant report of an obligation, from the register as it is
    now: the round (with its scheme) and the organisation's participants in the period —
    two queries whatever the number of participants (one when the round is loaded)."""
    if "round" not in obligation._state.fields_cache:
        obligation.round = Round.objects.select_related("scheme").get(pk=obligation.round_id)
    rows = register_rows([obligation.organization_id], obligation.period_start,
                         obligation.period_end)[obligation.organization_id]
    return usage_compute(obligation, rows)


def participants_needing_attention(report: usage.UsageReport) -> dict[int, str]:
    """The report's participants whose register record is not complete — information
    missing, an assessment to make, or outside the rules — by register id, with the
    state in words (one query; none when the report is empty). The report counts them as
    the register has them; the signer sees which to check before certifying."""
    ids = [int(p.reference.removeprefix("D-")) for p in report.participants]
    if not ids:
        return {}
    return {pk: str(CheckState(state).label) for pk, state in Participant.objects.filter(
        pk__in=ids).exclude(check_state=CheckState.COMPLETE).values_list("pk", "check_state")}


def usage_report_of(actor, obligation: ReportObligation) -> usage.UsageReport:
    """For the report's page: the recipient's own report, or any for the directorate;
    another organisation's answers 404."""
    if obligation.kind not in USAGE_KINDS or not can_view_organization_obligations(
            actor, obligation.organization):
        raise Http404
    return usage_report(obligation)


def round_usage_reports(round_: Round, *, kind: str = ObligationKind.USED_PLACES
                        ) -> dict[int, usage.UsageReport]:
    """Every grant's report of ``kind`` in a round, by obligation id: the obligations in one
    query, the register rows of all their organisations in one per reporting period."""
    obligations = list(ReportObligation.objects.filter(round=round_, kind=kind).order_by("pk"))
    periods: dict[tuple, list[ReportObligation]] = {}
    for obligation in obligations:
        periods.setdefault((obligation.period_start, obligation.period_end), []).append(
            obligation)
    reports = {}
    for (start, end), group in periods.items():
        rows = register_rows({o.organization_id for o in group}, start, end)
        for obligation in group:
            reports[obligation.pk] = usage_compute(obligation, rows[obligation.organization_id],
                                                   round_)
    return reports


def usage_snapshots(obligation: ReportObligation) -> QuerySet[UsageSnapshot]:
    """What was certified for the obligation, oldest first."""
    return UsageSnapshot.objects.filter(obligation=obligation).select_related(
        "certified_by", "reviewed_by")


def accepted_usage(obligation: ReportObligation) -> UsageSnapshot | None:
    """The certified report the directorate accepted: what the money is paid on (None until
    one is accepted)."""
    return (UsageSnapshot.objects.filter(obligation=obligation,
                                         review=UsageSnapshot.Review.ACCEPTED)
            .order_by("-certified_at", "-pk").first())


# -- the written reports (status, grant report with accounts, after-care) -------------------

ACCOUNTS_NAMES = (*ACCOUNTS_FIELDS, ACCOUNTS_TEXT)
MAX_ATTACHMENTS = 10


def report_latest_version(obligation: ReportObligation) -> ReportVersion | None:
    return obligation.versions.select_related("saved_by").order_by("-number").first()


def report_versions_certified(obligation: ReportObligation) -> QuerySet[ReportVersion]:
    """The certified versions of a written report, oldest first."""
    return (ReportVersion.objects.filter(obligation=obligation, certified_at__isnull=False)
            .select_related("certified_by", "reviewed_by").order_by("certified_at", "pk"))


def report_attachments(obligation: ReportObligation) -> QuerySet[ReportAttachment]:
    return ReportAttachment.objects.filter(obligation=obligation, removed_at__isnull=True)


def _kroner(value) -> Decimal:
    try:
        return Decimal(str(value)) if str(value or "").strip() else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def accounts_result(obligation: ReportObligation, fields: dict) -> AccountsResult:
    """The rules core's check of the accounts in ``fields`` against the application's
    budget lines (budget_<line>) and its own financing (own_<line>)."""
    application = obligation.case.application.content
    return accounts_check(AccountsFacts(
        on=obligation.period_end,
        budget={line: _kroner(application.get(f"budget_{line}")) for line in LINES},
        actual={line: _kroner(fields.get(f"actual_{line}")) for line in LINES},
        grant_received=_kroner(fields.get("grant_received")),
        grant_used=_kroner(fields.get("grant_used")),
        own_financing=_kroner(fields.get("own_financing")),
        other_funding=_kroner(fields.get("other_funding")),
        own_financing_promised=sum((_kroner(application.get(f"own_{line}")) for line in LINES),
                                   Decimal(0)),
        explanation=str(fields.get(ACCOUNTS_TEXT, ""))))


def register_goal(obligation: ReportObligation) -> dict:
    """Goal achievement of the recipient's participants who ended in the report's period,
    from the register (rules.goals): counts and the share against the criterion, as JSON
    (Decimals as strings). One query, only the end date, reason and transition."""
    rows = Participant.objects.filter(
        organization_id=obligation.organization_id,
        end_date__range=(obligation.period_start, obligation.period_end)).order_by(
        ).values_list("end_date", "end_reason", "transition")
    ended = [Ended(day, reason, Transition(transition or "none")) for day, reason, transition
             in rows]
    try:
        goal = goal_achievement(ended, obligation.period_end.year)
    except RuleError:
        return {"ended": len(ended), "counted": None}
    return {"ended": len(ended), "counted": goal.counted, "achieved": goal.achieved,
            "excluded": goal.excluded,
            "share": None if goal.share is None else str(goal.share),
            "share_percent": None if goal.share is None else str(
                (goal.share * 100).quantize(Decimal("0.1"))),
            "criterion": str(goal.criterion),
            "criterion_percent": str((goal.criterion * 100).quantize(Decimal(1))),
            "meets": goal.meets_criterion,
            "excluded_reasons": [end_reason_label(r) for r in goal.excluded_reasons]}


def report_document(obligation: ReportObligation, version: ReportVersion | None) -> dict:
    """A version as the page and the receipt show it: each text under its label with the
    application's goal beside it, the accounts line by line with the check, the goal
    achievement and the attachments."""
    content = version.content if version else {}
    fields = content.get("fields", {})
    application = obligation.case.application.content
    texts = []
    for name in KIND_TEXTS.get(obligation.kind, ()):
        _label, _help, against = TEXTS[name]
        texts.append({"name": name, "label": label_of(name), "text": fields.get(name, ""),
                      "goal": application.get(against, "") if against else ""})
    accounts = (_accounts_shown(accounts_result(obligation, fields), fields)
                if obligation.needs_accounts else None)
    goal = content.get("goal") or (register_goal(obligation) if version is None
                                   or version.frozen_at is None else None)
    return {"texts": texts, "accounts": accounts, "fields": fields, "goal": goal,
            "attachments": content.get("attachments", []),
            "frozen": bool(version and version.frozen_at)}


def _accounts_shown(result: AccountsResult, fields: dict) -> dict:
    """The accounts as the page and the receipt show them, findings in the reader's
    language."""
    language = get_language()
    return {
        "lines": [{"label": LINE_LABELS[r.line], "budget": r.budget, "actual": r.actual,
                   "difference": r.difference, "beyond": r.beyond} for r in result.lines],
        "budget_total": result.budget_total, "actual_total": result.actual_total,
        "grant_received": _kroner(fields.get("grant_received")),
        "grant_used": _kroner(fields.get("grant_used")),
        "own_financing": _kroner(fields.get("own_financing")),
        "other_funding": _kroner(fields.get("other_funding")),
        "financing_total": result.financing_total, "unused": result.unused,
        "own_share_percent": None if result.own_share is None
        else (result.own_share * 100).quantize(Decimal("0.1")),
        "required_percent": (result.own_share_required * 100).quantize(Decimal(1)),
        "explanation": fields.get(ACCOUNTS_TEXT, ""),
        "findings": [{"severity": f.severity.value, "text": f.text(language)}
                     for f in result.findings],
        "blocks": result.blocks,
    }


def register_submissions(obligation: ReportObligation) -> QuerySet[Submission]:
    """The recipient's submissions of the grant year in the participant register: the
    register report is made there (register.services.year_submit)."""
    return Submission.objects.filter(organization_id=obligation.organization_id,
                                     year=obligation.grant_year).select_related(
        "submitted_by").order_by("submitted_at", "pk")
