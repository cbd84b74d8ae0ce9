"""What a grant owes after it is accepted: its report obligations, and when to remind.

``obligations(grant_model, round_year, years)`` returns, for each grant year, the reports
the grant model asks for — each with the period it covers, the day its submission window
opens and its deadline (a moment in Norwegian time, like an application deadline) — and
the public source of the duty and its date. The dates are dated parameters in
``rules/data/reporting/schedule.toml``; where the public documents give a duty but no
date, the parameter's source says the date is a working choice.

Deadlines: a deadline given as a date ("innen 15. februar") runs to the end of that day,
Norwegian time — the last second that counts is ``reporting.deadline_time`` (23:59:59).
A report submitted within that second is in time; from 00:00:00 the next day it is late
(``is_late``), the same line ``rules.conditions.signed_in_time`` draws for applications.
Late is marked, never refused.

Reminders (``reminder_due``): N days before the deadline (``reporting.reminders.<kind>``,
14 and 3 by default), on the day after it is missed, then once a week while it is overdue.
Each reminder has a slot name; the caller sends a slot once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from functools import cache
from zoneinfo import ZoneInfo

from .errors import RuleError
from .params import DATA_DIR, Parameters, default_parameters
from .register import submission_deadline

OSLO = ZoneInfo("Europe/Oslo")
SCHEDULE_DIR = DATA_DIR / "reporting"

# Kinds of report obligation (reporting.models.ObligationKind has the same values).
USED_PLACES = "used_places"  # benyttede plasser (2026)
PARTICIPANTS = "participants"  # deltakere og måneder (per-capita pilot)
STATUS_REPORT = "status_report"  # statusrapport
GRANT_REPORT = "grant_report"  # tilskuddsrapport med regnskap / årsrapport og regnskap
REGISTER = "register"  # individrapportering i Jobbsjanseregisteret
AFTER_CARE = "after_care"  # etteroppfølging inntil ett år etter avslutning (2018 del B)
KINDS = (USED_PLACES, PARTICIPANTS, STATUS_REPORT, GRANT_REPORT, REGISTER, AFTER_CARE)

# Grant models (schemes.models.GrantModel has the same values).
JOBBSJANSEN_2026 = "jobbsjansen_2026"
PER_CAPITA_2024 = "per_capita_2024"
PART_B_2018 = "part_b_2018"
DEVELOPMENT = "development"
MODELS = (JOBBSJANSEN_2026, PER_CAPITA_2024, PART_B_2018, DEVELOPMENT)

MAX_YEARS = 5  # a grant is for one to three years today; a little room, never unbounded
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Obligation:
    kind: str
    grant_year: int
    period_start: datetime.date
    period_end: datetime.date
    opens_on: datetime.date
    deadline_on: datetime.date
    deadline_time: datetime.time
    source: str  # the public citation of the duty and its date
    accounts: bool = False  # the report includes accounts
    accounts_two_approvers: bool = False  # approved by the project lead and their superior

    @property
    def opens_at(self) -> datetime.datetime:
        """The window opens at the start of ``opens_on``, Norwegian time."""
        return datetime.datetime.combine(self.opens_on, datetime.time(0, 0), tzinfo=OSLO)

    @property
    def deadline(self) -> datetime.datetime:
        return datetime.datetime.combine(self.deadline_on, self.deadline_time, tzinfo=OSLO)

    @property
    def key(self) -> tuple[str, datetime.date, datetime.date]:
        """What makes an obligation one: a grant owes one report of a kind for a period."""
        return (self.kind, self.period_start, self.period_end)


@cache
def schedule_parameters() -> Parameters:
    """The core's parameters and the schedule's, as one set."""
    base = default_parameters()
    schedule = Parameters.load(SCHEDULE_DIR)
    merged = {name: base.parameter(name) for name in base.names()}
    for name in schedule.names():
        if name in merged:
            raise RuleError(f"{name} er definert to ganger ({SCHEDULE_DIR.name}).")
        merged[name] = schedule.parameter(name)
    return Parameters(merged)


def _month_days(value: tuple[str, ...], year: int) -> list[datetime.date]:
    days = []
    for item in value:
        month, day = (int(part) for part in str(item).split("-"))
        days.append(datetime.date(year, month, day))
    return days


def _one_day(params: Parameters, name: str, grant_year: int, in_year: int
             ) -> tuple[datetime.date, str]:
    value = params.get(name, datetime.date(grant_year, 1, 1))
    return _month_days(value.value, in_year)[0], value.source


def deadline_time(on: datetime.date, *, params: Parameters | None = None) -> datetime.time:
    """The last second of a deadline day that counts (23:59:59), Norwegian time."""
    params = params or schedule_parameters()
    hour, minute, second = (int(part) for part in params.get("reporting.deadline_time",
                                                              on).value)
    return datetime.time(hour, minute, second)


def deadline_at(day: datetime.date, *, params: Parameters | None = None) -> datetime.datetime:
    """A deadline given as a date, as the moment it runs out (aware, Norwegian time)."""
    return datetime.datetime.combine(day, deadline_time(day, params=params), tzinfo=OSLO)


def _year_start(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _as_of(kind: str, name: str, year: int, params: Parameters) -> list[Obligation]:
    """Reports as of dates in the year: each covers the time since the previous date (or
    the start of the year) up to its date, opens the day after and is due some days on."""
    value = params.get(name, _year_start(year))
    grace = params.get("reporting.as_of_days_to_report", _year_start(year))
    days_to_report = int(grace.value)
    found, start = [], _year_start(year)
    for as_of in _month_days(value.value, year):
        due = as_of + datetime.timedelta(days=days_to_report)
        found.append(Obligation(kind, year, start, as_of, as_of + datetime.timedelta(days=1),
                                due, deadline_time(due, params=params),
                                f"{value.source}; {grace.source}"))
        start = as_of + datetime.timedelta(days=1)
    return found


def _after_year(kind: str, year: int, due: datetime.date, source: str, params: Parameters,
                **flags) -> Obligation:
    """A report on the whole grant year, open from 1 January the year after."""
    return Obligation(kind, year, _year_start(year), _year_end(year), _year_start(year + 1),
                      due, deadline_time(due, params=params), source, **flags)


def _status(year: int, name: str, params: Parameters) -> Obligation:
    """A status report during the year: the window opens some days before the deadline and
    the report covers the year up to the day before."""
    due, source = _one_day(params, name, year, year)
    window = params.get("reporting.status_window_days", _year_start(year))
    opens = due - datetime.timedelta(days=int(window.value))
    return Obligation(STATUS_REPORT, year, _year_start(year), opens - datetime.timedelta(days=1),
                      opens, due, deadline_time(due, params=params),
                      f"{source}; {window.source}")


def _register(year: int, params: Parameters) -> Obligation:
    deadline = submission_deadline(year, params=params)
    return _after_year(REGISTER, year, deadline.day, deadline.source, params)


def _jobbsjansen_2026(year: int, params: Parameters) -> list[Obligation]:
    due, source = _one_day(params, "reporting.jobbsjansen_2026.grant_report_due", year,
                           year + 1)
    return [*_as_of(USED_PLACES, "reporting.jobbsjansen_2026.used_places_as_of", year, params),
            _after_year(GRANT_REPORT, year, due, source, params, accounts=True),
            _register(year, params)]


def _per_capita_2024(year: int, params: Parameters) -> list[Obligation]:
    due, source = _one_day(params, "reporting.per_capita_2024.grant_report_due", year,
                           year + 1)
    return [*_as_of(PARTICIPANTS, "reporting.per_capita_2024.participants_as_of", year,
                    params),
            _after_year(GRANT_REPORT, year, due, source, params, accounts=True),
            _register(year, params)]


def _part_b_2018(year: int, params: Parameters) -> list[Obligation]:
    due, source = _one_day(params, "reporting.part_b_2018.grant_report_due", year, year + 1)
    register_due, register_source = _one_day(params, "reporting.part_b_2018.register_due",
                                             year, year + 1)
    return [_status(year, "reporting.part_b_2018.status_report_due", params),
            _after_year(GRANT_REPORT, year, due, source, params, accounts=True),
            _after_year(REGISTER, year, register_due, register_source, params)]


def _part_b_after_care(last_year: int, params: Parameters) -> Obligation:
    """Participants are followed up for a year after they end. During a multi-year grant
    that year falls in the next grant year's register report; after the last grant year
    one obligation remains: the year after it, due with that year's register deadline."""
    year = last_year + 1
    due, source = _one_day(params, "reporting.part_b_2018.register_due", last_year, year + 1)
    return _after_year(AFTER_CARE, year, due, source, params)


def _development(year: int, params: Parameters) -> list[Obligation]:
    due, source = _one_day(params, "reporting.development.grant_report_due", year, year + 1)
    return [_status(year, "reporting.development.status_report_due", params),
            _after_year(GRANT_REPORT, year, due, source, params, accounts=True,
                        accounts_two_approvers=True)]


_BY_MODEL = {JOBBSJANSEN_2026: _jobbsjansen_2026, PER_CAPITA_2024: _per_capita_2024,
             PART_B_2018: _part_b_2018, DEVELOPMENT: _development}


def obligations(grant_model: str, round_year: int, years: int = 1, *,
                params: Parameters | None = None) -> list[Obligation]:
    """Every report a grant of ``grant_model`` from the round of ``round_year`` owes over
    its ``years`` grant years, by deadline."""
    if grant_model not in _BY_MODEL:
        raise RuleError(f"Ukjent tilskuddsmodell {grant_model!r}.", field="grant_model")
    if not isinstance(round_year, int) or not FIRST_YEAR <= round_year <= LAST_YEAR:
        raise RuleError("Tilskuddsåret må være et år mellom 2000 og 2100.", field="round_year")
    if not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise RuleError(f"Et tilskudd gjelder 1 til {MAX_YEARS} år.", field="years")
    params = params or schedule_parameters()
    found: list[Obligation] = []
    for year in range(round_year, round_year + years):
        found.extend(_BY_MODEL[grant_model](year, params))
    if grant_model == PART_B_2018:
        found.append(_part_b_after_care(round_year + years - 1, params))
    return sorted(found, key=lambda o: (o.deadline_on, KINDS.index(o.kind), o.period_start))


def with_round_duties(planned: list[Obligation], duties: list[tuple[str, datetime.date, str]],
                      round_year: int, *, params: Parameters | None = None
                      ) -> list[Obligation]:
    """The round's own reporting duties over the model's schedule: each duty is (kind, due
    date, title). A duty of a kind the schedule has moves the first such report's deadline
    to the duty's date (the round's grant letter says so); a duty of a kind it lacks is a
    report of its own for the round's year. The source says which."""
    params = params or schedule_parameters()
    found = list(planned)
    for kind, due_on, title in duties:
        if kind not in KINDS:
            raise RuleError(f"Ukjent rapport {kind!r}.", field="kind")
        source = f"Utlysningens rapporteringskrav «{title}»"
        index = next((i for i, o in enumerate(found) if o.kind == kind), None)
        if index is None:
            start, end = _year_start(round_year), _year_end(round_year)
            opens = min(end + datetime.timedelta(days=1), due_on - datetime.timedelta(days=1))
            found.append(Obligation(kind, round_year, start, end, opens, due_on,
                                    deadline_time(due_on, params=params), source,
                                    accounts=kind == GRANT_REPORT))
            continue
        current = found[index]
        opens = min(current.opens_on, due_on - datetime.timedelta(days=1))
        found[index] = replace(current, deadline_on=due_on, opens_on=opens,
                               deadline_time=deadline_time(due_on, params=params),
                               source=f"{current.source}; {source}")
    return sorted(found, key=lambda o: (o.deadline_on, KINDS.index(o.kind), o.period_start))


def is_late(submitted_at: datetime.datetime, deadline: datetime.datetime) -> bool:
    """Submitted after the deadline's last second (late is marked, never refused)."""
    if submitted_at.tzinfo is None or deadline.tzinfo is None:
        raise ValueError("submitted_at and deadline must be timezone-aware")
    return submitted_at.replace(microsecond=0) > deadline


def is_overdue(deadline: datetime.datetime, now: datetime.datetime) -> bool:
    """Not submitted, and the deadline's last second has passed."""
    return is_late(now, deadline)


# -- reminders -----------------------------------------------------------------------------

BEFORE, MISSED, OVERDUE = "before", "missed", "overdue"


@dataclass(frozen=True)
class ReminderDue:
    kind: str  # BEFORE, MISSED or OVERDUE
    number: int  # days before the deadline (BEFORE) or weeks overdue (OVERDUE); 0 for MISSED
    slot: str  # sent once per obligation: "before:14:2026-11-14", "overdue:2:2026-11-14"


def reminder_days(kind: str, deadline_day: datetime.date, *,
                  params: Parameters | None = None) -> tuple[int, ...]:
    """How many days before the deadline a report of ``kind`` is reminded of, largest first."""
    if kind not in KINDS:
        raise RuleError(f"Ukjent rapport {kind!r}.", field="kind")
    params = params or schedule_parameters()
    value = params.get(f"reporting.reminders.{kind}", deadline_day).value
    return tuple(sorted({int(n) for n in value}, reverse=True))


def reminder_due(deadline: datetime.datetime, now: datetime.datetime,
                 days_before: tuple[int, ...]) -> ReminderDue | None:
    """The reminder that is due at ``now`` for an obligation not yet submitted, or None.

    Days are Norwegian calendar days: the deadline day is the date of the deadline in
    Norwegian time, across changes to and from summer time. Before the deadline, the
    reminder of the nearest threshold passed (a run missed on day 14 sends the 14-day
    reminder on day 13; a report added 5 days before its deadline gets the 14-day one
    at once, the 3-day one later). From the day after the deadline day: "missed" for the
    first week, then one "overdue" reminder for each further week.
    """
    if deadline.tzinfo is None or now.tzinfo is None:
        raise ValueError("deadline and now must be timezone-aware")
    deadline_day = deadline.astimezone(OSLO).date()
    today = now.astimezone(OSLO).date()
    if today <= deadline_day:
        if is_overdue(deadline, now):
            return None  # missed today (a deadline before midnight); reminded tomorrow
        left = (deadline_day - today).days
        passed = [n for n in days_before if left <= n]
        if not passed:
            return None
        number = min(passed)
        return ReminderDue(BEFORE, number, f"{BEFORE}:{number}:{deadline_day.isoformat()}")
    week = ((today - deadline_day).days - 1) // 7
    if week == 0:
        return ReminderDue(MISSED, 0, f"{MISSED}:{deadline_day.isoformat()}")
    return ReminderDue(OVERDUE, week, f"{OVERDUE}:{week}:{deadline_day.isoformat()}")

