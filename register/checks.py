"""What the rules core says about a participant, and what is still missing.

Findings come from ``rules`` (target group and duration, each with its source); this
module adds the register's own completeness check, page by page, so a user sees exactly
what to fill in before the year can be submitted.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rules.eligibility import (
    IntroductionStatus,
    SocialAssistance,
    TargetGroupInput,
    latest_end_date,
    target_group_findings,
)
from rules.errors import RuleError
from rules.findings import Finding, Severity

from . import codes
from .models import CheckState, Participant

PAGES = ("person", "background", "measures", "end", "after_care")

# The public documents the register's own checks rest on (cited on screen, so by the
# title a reader can look up, never an internal reference).
SOURCE_2026 = "imdi.no: Tilskuddsmidler til Jobbsjansen 2026"
CIRCULAR_2024 = "Rundskriv 23-15067 (per capita-basert Jobbsjansen 2024)"
DURATION_SOURCE = f"{SOURCE_2026}, «Varigheten»; {CIRCULAR_2024} punkt 5"
MEASURES_SOURCE = (f"{SOURCE_2026}, «Individrapportering via Jobbsjanseregisteret»: tiltak "
                   "som inngår i innholdet i Jobbsjanseprogrammet")


@dataclass
class Missing:
    page: str
    field: str
    label: str


@dataclass
class ParticipantChecks:
    findings: list[Finding]
    justified: dict[str, str]  # finding code → justification
    missing: list[Missing] = field(default_factory=list)
    latest_end: datetime.date | None = None
    duration_reasons: tuple[str, ...] = ()

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.BLOCKS]

    @property
    def unassessed(self) -> list[Finding]:
        return [f for f in self.findings
                if f.severity == Severity.NEEDS_ASSESSMENT and f.code not in self.justified]

    @property
    def state(self) -> str:
        if self.blocking:
            return CheckState.BLOCKED
        if self.unassessed:
            return CheckState.NEEDS_ASSESSMENT
        if self.missing:
            return CheckState.INCOMPLETE
        return CheckState.COMPLETE

    def missing_on(self, page: str) -> list[Missing]:
        return [m for m in self.missing if m.page == page]


def follow_up_due(end_date: datetime.date, point: int) -> datetime.date:
    """The day a follow-up point falls due: ``point`` months after the programme's end (the
    last day of the month when that month is shorter)."""
    month_index = end_date.month - 1 + int(point)
    year, month = end_date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(end_date.day, calendar.monthrange(year, month)[1]))


def follow_up_too_early(end_date: datetime.date | None, point: int,
                        recorded_on: datetime.date) -> str | None:
    """Why a follow-up cannot be dated ``recorded_on``, or None when it can."""
    if end_date is None:
        return None
    due = follow_up_due(end_date, point)
    if recorded_on >= due:
        return None
    return _("This follow-up falls due %(due)s, %(point)s (the programme ended %(end)s). "
             "Record it on that day or later.") % {
        "due": f"{due:%d.%m.%Y}", "end": f"{end_date:%d.%m.%Y}",
        "point": str(codes.FollowUpPoint(int(point)).label).lower()}


def _label(participant: Participant, name: str) -> str:
    label = str(participant._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _empty(value) -> bool:
    return value is None or value == ""


def participant_checks(participant: Participant, *, justified: dict[str, str] | None = None,
                       has_measures: bool | None = None, measures: list | None = None,
                       today: datetime.date | None = None) -> ParticipantChecks:
    """``measures``: the participant's measures when the caller has them (else read here;
    ``has_measures=False`` says there are none, for a participant not saved yet)."""
    today = today or timezone.localdate()
    p = participant
    if justified is None:
        justified = {a.code: a.justification for a in p.assessments.all()} if p.pk else {}
    if measures is None:
        measures = list(p.measures.all()) if p.pk and has_measures is not False else []
    try:
        checks = _checks(p, justified, measures, today)
    except RuleError as error:
        # Starts before the rules' first dated value (the register is older than the
        # 2024 circular): say so rather than guess with later rules.
        checks = ParticipantChecks([Finding(
            "rules_unavailable", Severity.INFORMATION,
            _("The target group and duration rules in this system apply to starts from "
              "2024; this participant is not checked against them."), str(error))], justified)
        _missing(p, checks, bool(measures))
    checks.findings.extend(measure_findings(p, measures))
    return checks


def measure_findings(p: Participant, measures: list) -> list[Finding]:
    """A measure is programme content: when the programme has ended, every measure has
    ended too, at the latest on the programme's last day."""
    if not p.end_date:
        return []
    late = [m for m in measures if m.end_date is None or m.end_date > p.end_date]
    if not late:
        return []
    listed = "; ".join(
        (_("%(measure)s from %(start)s, still open") if m.end_date is None
         else _("%(measure)s from %(start)s to %(end)s"))
        % {"measure": m.get_measure_display(), "start": f"{m.start_date:%d.%m.%Y}",
           "end": f"{m.end_date:%d.%m.%Y}" if m.end_date else ""}
        for m in late)
    return [Finding(
        "measure_after_end", Severity.BLOCKS,
        _("The programme ended %(end)s, but a measure goes on after that: %(measures)s. "
          "Give the measure an end date no later than the programme's end (change it on "
          "the Measures page).") % {"end": f"{p.end_date:%d.%m.%Y}", "measures": listed},
        MEASURES_SOURCE)]


def _checks(p: Participant, justified: dict[str, str], measures: list,
            today: datetime.date) -> ParticipantChecks:
    findings = target_group_findings(TargetGroupInput(
        start_date=p.start_date,
        birth_date=p.birth_date,
        in_qualification_programme=bool(p.qualification_programme),
        # Not yet answered counts as missing (below), not as a finding to assess.
        introduction=IntroductionStatus(p.introduction or "never"),
        introduction_ended_on=p.introduction_ended_on,
        on_transitional_benefit=p.financing == codes.Financing.TRANSITIONAL_BENEFIT
        or bool(p.transitional_benefit),
        social_assistance=SocialAssistance(p.social_assistance or "none"),
    ))
    duration = latest_end_date(p.start_date, extended=p.duration_extended,
                               lacks_literacy=p.literacy == codes.Literacy.NO)
    last_day = p.end_date or today
    if last_day > duration.latest_end:
        findings.append(Finding(
            "duration", Severity.BLOCKS,
            _("The programme may last until %(date)s (%(reasons)s). Register the end, or "
              "record an extension if the municipality has decided one.")
            % {"date": f"{duration.latest_end:%d.%m.%Y}",
               "reasons": "; ".join(duration.reason_texts(get_language() or "nb"))},
            DURATION_SOURCE))
    checks = ParticipantChecks(findings, justified, latest_end=duration.latest_end,
                               duration_reasons=duration.reason_texts(get_language() or "nb"))
    _missing(p, checks, bool(measures))
    return checks


def _missing(p: Participant, checks: ParticipantChecks, has_measures: bool) -> None:
    background = ["family_situation", "children", "education_home_country", "education_norway",
                  "norwegian_level", "work_experience", "literacy", "introduction",
                  "qualification_programme", "social_assistance", "transitional_benefit"]
    if p.children:
        background.append("youngest_child_age")
    if p.introduction == codes.Introduction.ENDED:
        background.append("introduction_ended_on")
    for name in background:
        if _empty(getattr(p, name)):
            checks.missing.append(Missing("background", name, _label(p, name)))
    if not has_measures:
        checks.missing.append(Missing("measures", "measures", _("At least one measure")))
    if p.end_date or p.status != codes.Status.ACTIVE:
        end = ["end_date", "end_reason", "transition", "absence_percent"]
        if p.end_reason == codes.EndReason.INTERRUPTED:
            end.append("interruption_reason")
        if p.transition in (codes.Transition.WORK, codes.Transition.BOTH):
            end += ["position_percent", "industry", "employment"]
        if p.transition in (codes.Transition.EDUCATION, codes.Transition.BOTH):
            end.append("education_level")
        for name in end:
            if _empty(getattr(p, name)):
                checks.missing.append(Missing("end", name, _label(p, name)))
