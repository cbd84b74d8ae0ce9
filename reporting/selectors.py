"""Reads of report obligations, scoped to what the actor may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import organization_contacts
from casework.letters import letter_language

from .models import PENDING, ObligationKind, ObligationStatus, ReportObligation
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


def round_obligations(actor, round_, *, status: str = "", kind: str = "",
                      now: datetime.datetime | None = None) -> RoundReports:
    """The directorate's view of a round's reports: the rows (filtered by ``status``, which
    may also be "overdue", and ``kind``) and the counts of the whole round by status, in
    two queries whatever the number of rows."""
    if not can_view_round_obligations(actor):
        return RoundReports(ReportObligation.objects.none(),
                            dict.fromkeys(ObligationStatus.values, 0))
    now = (now or timezone.now()).replace(microsecond=0)
    base = ReportObligation.objects.filter(round=round_)
    if kind in ObligationKind.values:
        base = base.filter(kind=kind)
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
