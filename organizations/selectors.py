"""Reading organisations: resolving numbers over time, lists for pages."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from .models import MunicipalityChange, Organization, OrganizationCode, OrganizationKind


def organization_resolve_code(
    code: str, *, on: datetime.date | None = None
) -> list[Organization]:
    """The organisation(s) a municipality number stands for today.

    A current number gives its municipality. An old number gives its successor(s): 3005
    Drammen (before 2024) resolves to 3301 Drammen, and 1507 Ålesund to both 1508 Ålesund
    and 1580 Haram. Changes are followed transitively, so a chain of reforms resolves too.
    """
    on = on or datetime.date.today()
    code = code.strip()
    current = list(
        Organization.objects.active(on).filter(code=code).exclude(kind__in=[
            OrganizationKind.DIRECTORATE, OrganizationKind.REGIONAL_OFFICE])
    )
    if current:
        return current
    seen: set[str] = set()
    frontier = [code]
    found: dict[int, Organization] = {}
    while frontier:
        old = frontier.pop()
        if old in seen:
            continue
        seen.add(old)
        for change in MunicipalityChange.objects.filter(old_code=old, changed_on__lte=on):
            successors = list(
                Organization.objects.active(on).filter(
                    kind=OrganizationKind.MUNICIPALITY, code=change.new_code
                )
            )
            if successors:
                found.update({org.pk: org for org in successors})
            else:
                frontier.append(change.new_code)
    if not found:
        # An old code kept as history of an organisation that still exists.
        for row in OrganizationCode.objects.filter(code=code).select_related("organization"):
            found[row.organization_id] = row.organization
    return sorted(found.values(), key=lambda org: org.code)


def organization_code_at(organization: Organization, on: datetime.date) -> OrganizationCode | None:
    """The number and name the organisation had on a date."""
    return (
        organization.codes.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )
        .order_by("-valid_from")
        .first()
    )


def organization_list(*, kind: str | None = None, query: str = "") -> QuerySet[Organization]:
    organizations = Organization.objects.select_related("parent", "regional_office").order_by(
        "kind", "code"
    )
    if kind:
        organizations = organizations.filter(kind=kind)
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(code__startswith=query))
    return organizations


def payout_hold(organization: Organization, today: datetime.date) -> bool:
    """Whether payments to the organisation are held for the finance officer's review on
    ``today`` because its account number changed in the last PAYOUT_HOLD_DAYS days."""
    return organization.payout_hold(today)
