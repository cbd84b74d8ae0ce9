"""Reads: open rounds (public), and whether an organisation may apply to a round."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from rules.conditions import Eligibility, may_apply
from rules.findings import Finding

from .models import Round


def rounds_open(moment: datetime.datetime | None = None) -> QuerySet[Round]:
    return (Round.objects.open_at(moment or timezone.now()).select_related("scheme")
            .order_by("deadline", "id"))


def rounds_public() -> QuerySet[Round]:
    """Every round that has been published (open or closed), newest deadline first."""
    return (Round.objects.exclude(status=Round.Status.DRAFT).select_related("scheme")
            .order_by("-deadline", "id"))


def round_eligibility(round_: Round) -> Eligibility:
    return Eligibility(allowed_kinds=frozenset(round_.applicant_kinds),
                       named_codes=frozenset(org.code for org in round_.named_applicants.all()))


def round_may_apply(round_: Round, organization) -> Finding | None:
    """None when the organisation may apply to the round (in some focus area), else why not."""
    rule = round_eligibility(round_)
    areas = list(round_.focus_areas.all())
    if not areas:
        return may_apply(organization.kind, organization.code, rule)
    findings = [may_apply(organization.kind, organization.code, rule,
                          focus_area_kinds=frozenset(area.applicant_kinds)) for area in areas]
    return None if any(f is None for f in findings) else findings[0]
