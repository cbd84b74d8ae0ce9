"""Reads of report obligations, scoped to what the actor may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from accounts.selectors import organization_contacts
from casework.letters import letter_language
from casework.selectors import organization_region_id, regional_offices
from organizations.models import Organization
from register.codes import Financing
from register.models import Participant
from rules import usage
from rules.grants.jobbsjansen_2026 import MonthlyRates
from schemes.models import Round

from .models import PENDING, ObligationKind, ObligationStatus, ReportObligation, UsageSnapshot
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
