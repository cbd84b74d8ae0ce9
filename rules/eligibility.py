"""Who may take part (target group) and for how long (duration).

Jobbsjansen 2024/2026 (seed 000 §Hvem er målgruppen, §Varigheten; seed 002 §2, §5).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from .calendar_util import age_on
from .findings import Finding, Severity
from .messages import render_reason
from .params import Parameters, default_parameters
from .sources import JOBBSJANSEN_2026, circular, page

TARGET_GROUP_PAGE = page(JOBBSJANSEN_2026, "Hvem er målgruppen for tilskuddsordningen?")


class SocialAssistance(StrEnum):
    NONE = "none"
    VOLUNTARY = "voluntary"  # takes part of her own will: allowed
    ACTIVITY_CONDITION = "activity_condition"  # sosialtjenesteloven § 20/20 a: not allowed


class IntroductionStatus(StrEnum):
    NEVER = "never"
    ENDED = "ended"  # completed, or the right was lost (give the date)
    ONGOING = "ongoing"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TargetGroupInput:
    start_date: datetime.date
    birth_date: datetime.date | None  # from the population register, never from the id number
    in_qualification_programme: bool = False  # KVP
    introduction: IntroductionStatus = IntroductionStatus.NEVER
    introduction_ended_on: datetime.date | None = None
    on_transitional_benefit: bool = False
    social_assistance: SocialAssistance = SocialAssistance.NONE


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def target_group_findings(
    data: TargetGroupInput, *, params: Parameters | None = None
) -> list[Finding]:
    params = params or default_parameters()
    on = data.start_date
    findings: list[Finding] = []
    min_age, max_age = params.get("target_group.min_age", on), params.get(
        "target_group.max_age", on)
    if data.birth_date is None:
        findings.append(Finding("age_unknown", Severity.NEEDS_ASSESSMENT,
                                source=min_age.source))
    else:
        age = age_on(data.birth_date, on)
        if not min_age.value <= age <= max_age.value:
            findings.append(Finding(
                "age", Severity.BLOCKS, source=min_age.source,
                params={"age": age, "min_age": min_age.value, "max_age": max_age.value}))
    if data.in_qualification_programme:
        findings.append(Finding(
            "kvp", Severity.BLOCKS,
            source=f"{circular('2')}; {TARGET_GROUP_PAGE} (sosialtjenesteloven § 29)"))
    years = params.get("target_group.years_since_introduction", on)
    if data.introduction == IntroductionStatus.ONGOING:
        findings.append(Finding("introduction_ongoing", Severity.BLOCKS, source=years.source,
                                params={"years": years.value}))
    elif data.introduction == IntroductionStatus.UNKNOWN or (
        data.introduction == IntroductionStatus.ENDED and data.introduction_ended_on is None
    ):
        findings.append(Finding("introduction_unknown", Severity.NEEDS_ASSESSMENT,
                                source=years.source, params={"years": years.value}))
    elif data.introduction == IntroductionStatus.ENDED:
        earliest = _add_years(data.introduction_ended_on, int(years.value))
        if on < earliest:
            findings.append(Finding(
                "introduction_recent", Severity.BLOCKS, source=years.source,
                params={"ended": data.introduction_ended_on, "earliest": earliest,
                        "years": years.value}))
    if data.on_transitional_benefit:
        findings.append(Finding(
            "transitional_benefit", Severity.INFORMATION,
            source=f"{circular('2')} og §10; folketrygdloven § 15-6"))
    if data.social_assistance == SocialAssistance.ACTIVITY_CONDITION:
        findings.append(Finding(
            "social_assistance_condition", Severity.BLOCKS,
            source=f"{circular('2')} (sosialtjenesteloven § 20 og § 20 a)"))
    elif data.social_assistance == SocialAssistance.VOLUNTARY:
        findings.append(Finding("social_assistance_voluntary", Severity.INFORMATION,
                                source=circular("2")))
    return findings


@dataclass(frozen=True)
class DurationResult:
    latest_end: datetime.date
    years: int
    reasons: tuple[str, ...]  # in bokmål, as the command line prints them
    # Each reason as (code, values), to read in another language (rules/messages.py).
    reason_codes: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()

    def reason_texts(self, lang: str) -> tuple[str, ...]:
        """The reasons in ``lang`` ("nb", "nn" or "en")."""
        if not self.reason_codes:
            return self.reasons
        return tuple(render_reason(code, lang, dict(values))
                     for code, values in self.reason_codes)


def latest_end_date(
    start: datetime.date, *, extended: bool = False, lacks_literacy: bool = False,
    pilot_transfer: bool = False, params: Parameters | None = None,
) -> DurationResult:
    """The last day a participant may be in the programme."""
    params = params or default_parameters()
    # Participants transferred into the 2024 pilot (from 2023) follow the 2024 circular.
    on = max(start, datetime.date(2024, 1, 1)) if pilot_transfer else start
    codes: list[tuple[str, tuple[tuple[str, object], ...]]] = []

    def reason(code: str, **values: object) -> None:
        codes.append((code, tuple(values.items())))

    base = params.get("duration.base_years", on)
    years = int(base.value)
    reason("duration.base", years=base.value, source=base.source)
    if extended:
        ext = params.get("duration.extension_years", on)
        years += int(ext.value)
        reason("duration.extension", years=ext.value, source=ext.source)
    if lacks_literacy:
        lit = params.get("duration.literacy_extension_years", on)
        years += int(lit.value)
        reason("duration.literacy", years=lit.value, source=lit.source)
    cap = params.get("duration.max_years", on)
    if years > cap.value:
        years = int(cap.value)
        reason("duration.cap", years=cap.value, source=cap.source)
    end = _add_years(start, years) - datetime.timedelta(days=1)
    if pilot_transfer:
        pilot_cap = params.get("duration.pilot_transfer_max_years", on)
        last = params.get("duration.pilot_transfer_last_day", on)
        capped = min(end, _add_years(start, int(pilot_cap.value)) - datetime.timedelta(days=1),
                     last.value)
        if capped < end:
            end = capped
            reason("duration.pilot", years=pilot_cap.value, last=last.value,
                   source=last.source)
    reasons = tuple(render_reason(code, "nb", dict(values)) for code, values in codes)
    return DurationResult(end, years, reasons, tuple(codes))
