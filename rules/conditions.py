"""Application conditions, deadlines and who may apply."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from .findings import Finding, Severity
from .params import Parameters, default_parameters
from .sources import DEVELOPMENT_2025, JOBBSJANSEN_2026, circular, page

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class ApplicationFacts:
    on: datetime.date  # the round's date (selects the parameters)
    places: int | None
    own_financing: Decimal
    total_budget: Decimal
    has_quantitative_goals: bool
    has_qualitative_goals: bool
    development_grant: bool = False  # utviklingstilskudd counts participants, not places


def application_findings(
    facts: ApplicationFacts, *, params: Parameters | None = None
) -> list[Finding]:
    params = params or default_parameters()
    findings = []
    name = ("conditions.min_participants_development" if facts.development_grant
            else "conditions.min_places")
    minimum = params.get(name, facts.on)
    unit = "participants" if facts.development_grant else "places"
    if facts.places is None or facts.places < minimum.value:
        findings.append(Finding(
            "too_few_places", Severity.BLOCKS, source=minimum.source,
            params={"minimum": minimum.value, "unit": unit, "places": facts.places}))
    share = params.get("conditions.min_own_financing_share", facts.on)
    if facts.total_budget <= 0:
        findings.append(Finding("no_budget", Severity.BLOCKS, source=share.source))
    elif facts.own_financing < facts.total_budget * share.value:
        have = facts.own_financing / facts.total_budget
        need = (facts.total_budget * share.value).quantize(Decimal("1"))
        findings.append(Finding(
            "own_financing", Severity.BLOCKS, source=share.source,
            params={"have": have, "share": share.value, "need": need}))
    if not facts.has_quantitative_goals or not facts.has_qualitative_goals:
        missing = ("both" if not (facts.has_quantitative_goals or facts.has_qualitative_goals)
                   else "quantitative" if not facts.has_quantitative_goals else "qualitative")
        findings.append(Finding(
            "result_goals", Severity.BLOCKS,
            source=f"{page(JOBBSJANSEN_2026, 'Vilkår for å motta tilskudd')}; {circular('6')}",
            params={"missing": missing}))
    return findings


def signed_in_time(signed_at: datetime.datetime, deadline_day: datetime.date) -> bool:
    """A submission counts if signed before midnight at the end of the deadline day in
    Norwegian time — also across changes to and from daylight saving time."""
    if signed_at.tzinfo is None:
        raise ValueError("signed_at must be timezone-aware")
    return signed_at < deadline_ends_at(deadline_day)


def deadline_ends_at(deadline_day: datetime.date) -> datetime.datetime:
    """Midnight at the end of the deadline day, Norwegian time."""
    return datetime.datetime.combine(deadline_day + datetime.timedelta(days=1),
                                     datetime.time(0, 0), tzinfo=OSLO)


def acceptance_deadline(sent_on: datetime.date, *, params: Parameters | None = None
                        ) -> datetime.date:
    params = params or default_parameters()
    return sent_on + datetime.timedelta(days=int(params.get("deadlines.acceptance_days",
                                                            sent_on).value))


def appeal_deadline(received_on: datetime.date, *, params: Parameters | None = None
                    ) -> datetime.date:
    params = params or default_parameters()
    return received_on + datetime.timedelta(days=int(params.get("deadlines.appeal_days",
                                                                received_on).value))


@dataclass(frozen=True)
class Eligibility:
    allowed_kinds: frozenset[str]  # "municipality", "city_district", "county"
    named_codes: frozenset[str] = frozenset()  # if set, only these organisations


def may_apply(kind: str, code: str, rule: Eligibility, *, focus_area_kinds:
              frozenset[str] | None = None) -> Finding | None:
    """None if the organisation may apply, else a blocking finding saying why."""
    if rule.named_codes and code not in rule.named_codes:
        return Finding("not_named", Severity.BLOCKS, source=f"{circular('3')} (bare Namsos, "
                       "Grimstad, Sandefjord, Ullensaker og Færder)")
    kinds = focus_area_kinds if focus_area_kinds is not None else rule.allowed_kinds
    if kind not in kinds:
        return Finding("wrong_kind", Severity.BLOCKS,
                       source=f"{page(DEVELOPMENT_2025, 'Tilskuddsmottakere')} "
                       "(satsingsområde 4: bare fylkeskommuner)")
    return None
