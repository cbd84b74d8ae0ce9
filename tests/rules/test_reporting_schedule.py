"""The report obligations of each grant model (rules/reporting.py), their dates and
sources, lateness and the reminder slots — pure Python, no Django."""

from __future__ import annotations

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rules import reporting as r
from rules.errors import RuleError
from rules.params import Parameters
from rules.sources import INTERNAL, is_public_citation

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC
D = datetime.date
END = datetime.time(23, 59, 59)


def at(day: datetime.date, time=END) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=OSLO)


def rows(model, year, years=1):
    return [(o.kind, o.grant_year, o.period_start, o.period_end, o.opens_on, o.deadline_on)
            for o in r.obligations(model, year, years)]


# -- each model ------------------------------------------------------------------------------

def test_jobbsjansen_2026_used_places_grant_report_and_register():
    assert rows(r.JOBBSJANSEN_2026, 2026) == [
        (r.USED_PLACES, 2026, D(2026, 1, 1), D(2026, 10, 31), D(2026, 11, 1), D(2026, 11, 14)),
        (r.GRANT_REPORT, 2026, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1), D(2027, 2, 15)),
        (r.REGISTER, 2026, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1), D(2027, 2, 15)),
    ]
    found = {o.kind: o for o in r.obligations(r.JOBBSJANSEN_2026, 2026)}
    assert found[r.GRANT_REPORT].accounts and not found[r.GRANT_REPORT].accounts_two_approvers
    assert not found[r.USED_PLACES].accounts
    assert "per 31.10" in found[r.USED_PLACES].source
    assert "Individrapportering" in found[r.REGISTER].source


def test_per_capita_2024_reports_on_30_june_and_31_october_and_by_15_february_2025():
    assert rows(r.PER_CAPITA_2024, 2024) == [
        (r.PARTICIPANTS, 2024, D(2024, 1, 1), D(2024, 6, 30), D(2024, 7, 1), D(2024, 7, 14)),
        (r.PARTICIPANTS, 2024, D(2024, 7, 1), D(2024, 10, 31), D(2024, 11, 1),
         D(2024, 11, 14)),
        (r.GRANT_REPORT, 2024, D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1), D(2025, 2, 15)),
        (r.REGISTER, 2024, D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1), D(2025, 2, 15)),
    ]
    grant = next(o for o in r.obligations(r.PER_CAPITA_2024, 2024) if o.kind == r.GRANT_REPORT)
    assert grant.source.startswith("Rundskriv 23-15067 §14")


def test_part_b_2018_status_report_grant_report_register_and_a_year_of_after_care():
    assert rows(r.PART_B_2018, 2018) == [
        (r.STATUS_REPORT, 2018, D(2018, 1, 1), D(2018, 7, 31), D(2018, 8, 1), D(2018, 9, 1)),
        (r.GRANT_REPORT, 2018, D(2018, 1, 1), D(2018, 12, 31), D(2019, 1, 1), D(2019, 2, 15)),
        (r.REGISTER, 2018, D(2018, 1, 1), D(2018, 12, 31), D(2019, 1, 1), D(2019, 2, 15)),
        (r.AFTER_CARE, 2019, D(2019, 1, 1), D(2019, 12, 31), D(2020, 1, 1), D(2020, 2, 15)),
    ]


def test_development_2025_status_report_1_september_and_accounts_1_february_two_approvers():
    assert rows(r.DEVELOPMENT, 2025) == [
        (r.STATUS_REPORT, 2025, D(2025, 1, 1), D(2025, 7, 31), D(2025, 8, 1), D(2025, 9, 1)),
        (r.GRANT_REPORT, 2025, D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1), D(2026, 2, 1)),
    ]
    status, grant = r.obligations(r.DEVELOPMENT, 2025)
    assert grant.accounts and grant.accounts_two_approvers
    assert "1. februar 2026" in grant.source and "overordnet leder" in grant.source
    assert "1. september 2025" in status.source


# -- multi-year grants -----------------------------------------------------------------------

def test_a_three_year_grant_owes_each_years_reports():
    found = r.obligations(r.JOBBSJANSEN_2026, 2026, 3)
    assert len(found) == 9
    assert sorted({o.grant_year for o in found}) == [2026, 2027, 2028]
    used = [o for o in found if o.kind == r.USED_PLACES]
    assert [o.deadline_on for o in used] == [D(2026, 11, 14), D(2027, 11, 14), D(2028, 11, 14)]
    assert len({o.key for o in found}) == 9  # each one once
    assert [o.deadline_on for o in found] == sorted(o.deadline_on for o in found)


def test_a_two_year_part_b_grant_has_after_care_once_after_the_last_year():
    found = r.obligations(r.PART_B_2018, 2018, 2)
    assert [o.kind for o in found].count(r.STATUS_REPORT) == 2
    after_care = [o for o in found if o.kind == r.AFTER_CARE]
    assert [(o.period_start, o.deadline_on) for o in after_care] == [
        (D(2020, 1, 1), D(2021, 2, 15))]


def test_a_two_year_development_grant():
    found = r.obligations(r.DEVELOPMENT, 2025, 2)
    assert [(o.kind, o.deadline_on) for o in found] == [
        (r.STATUS_REPORT, D(2025, 9, 1)), (r.GRANT_REPORT, D(2026, 2, 1)),
        (r.STATUS_REPORT, D(2026, 9, 1)), (r.GRANT_REPORT, D(2027, 2, 1))]


# -- deadlines: a moment in Norwegian time ---------------------------------------------------

def test_deadlines_are_the_last_second_of_the_day_in_norwegian_time_summer_and_winter():
    found = {o.kind: o for o in r.obligations(r.DEVELOPMENT, 2025)}
    status = found[r.STATUS_REPORT].deadline
    assert status == datetime.datetime(2025, 9, 1, 23, 59, 59, tzinfo=OSLO)
    assert status.utcoffset() == datetime.timedelta(hours=2)  # summer time
    winter = found[r.GRANT_REPORT].deadline
    assert winter.astimezone(UTC) == datetime.datetime(2026, 2, 1, 22, 59, 59, tzinfo=UTC)
    assert found[r.STATUS_REPORT].opens_at == datetime.datetime(2025, 8, 1, tzinfo=OSLO)


def test_late_is_after_the_deadlines_last_second():
    deadline = at(D(2025, 2, 15))
    assert not r.is_late(at(D(2025, 2, 15), datetime.time(23, 59, 58)), deadline)
    assert not r.is_late(at(D(2025, 2, 15), datetime.time(23, 59, 59, 999999)), deadline)
    assert r.is_late(at(D(2025, 2, 16), datetime.time(0, 0)), deadline)
    # The same instants written in UTC.
    assert not r.is_late(datetime.datetime(2025, 2, 15, 22, 59, 59, tzinfo=UTC), deadline)
    assert r.is_late(datetime.datetime(2025, 2, 15, 23, 0, 0, tzinfo=UTC), deadline)
    with pytest.raises(ValueError):
        r.is_late(datetime.datetime(2025, 2, 16), deadline)


def test_late_across_the_change_to_summer_time():
    deadline = at(D(2026, 3, 29))  # the night the clocks go forward
    assert deadline.utcoffset() == datetime.timedelta(hours=2)
    assert not r.is_late(datetime.datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC), deadline)
    assert r.is_late(datetime.datetime(2026, 3, 29, 22, 0, 0, tzinfo=UTC), deadline)


def test_deadline_at_a_date():
    assert r.deadline_at(D(2026, 10, 25)) == datetime.datetime(2026, 10, 25, 23, 59, 59,
                                                               tzinfo=OSLO)
    assert r.deadline_at(D(2026, 10, 25)).utcoffset() == datetime.timedelta(hours=1)


# -- bounded input ---------------------------------------------------------------------------

@pytest.mark.parametrize(("model", "year", "years", "field"), [
    ("unknown", 2026, 1, "grant_model"), (r.JOBBSJANSEN_2026, 1999, 1, "round_year"),
    (r.JOBBSJANSEN_2026, 2101, 1, "round_year"), (r.JOBBSJANSEN_2026, 2026, 0, "years"),
    (r.JOBBSJANSEN_2026, 2026, 6, "years"), (r.JOBBSJANSEN_2026, "2026", 1, "round_year"),
])
def test_bad_input_is_a_clear_error(model, year, years, field):
    with pytest.raises(RuleError) as error:
        r.obligations(model, year, years)
    assert error.value.field == field


def test_a_model_before_its_first_year_has_no_parameters():
    with pytest.raises(RuleError, match="ingen verdi"):
        r.obligations(r.JOBBSJANSEN_2026, 2025)


# -- parameters and sources ------------------------------------------------------------------

SCHEDULE = Parameters.load(r.SCHEDULE_DIR)
EXPECTED = {
    ("reporting.deadline_time", D(2018, 1, 1)): (23, 59, 59),
    ("reporting.as_of_days_to_report", D(2018, 1, 1)): 14,
    ("reporting.status_window_days", D(2018, 1, 1)): 31,
    ("reporting.accounts_deviation_share", D(2018, 1, 1)): Decimal("0.1"),
    ("reporting.jobbsjansen_2026.used_places_as_of", D(2026, 1, 1)): ("10-31",),
    ("reporting.jobbsjansen_2026.grant_report_due", D(2026, 1, 1)): ("02-15",),
    ("reporting.per_capita_2024.participants_as_of", D(2024, 1, 1)): ("06-30", "10-31"),
    ("reporting.per_capita_2024.grant_report_due", D(2024, 1, 1)): ("02-15",),
    ("reporting.part_b_2018.status_report_due", D(2018, 1, 1)): ("09-01",),
    ("reporting.part_b_2018.grant_report_due", D(2018, 1, 1)): ("02-15",),
    ("reporting.part_b_2018.register_due", D(2018, 1, 1)): ("02-15",),
    ("reporting.development.status_report_due", D(2025, 1, 1)): ("09-01",),
    ("reporting.development.grant_report_due", D(2025, 1, 1)): ("02-01",),
    **{(f"reporting.reminders.{kind}", D(2018, 1, 1)): (14, 3) for kind in r.KINDS},
}


@pytest.mark.parametrize(("key", "value"), EXPECTED.items(), ids=lambda v: str(v))
def test_schedule_parameter_values(key, value):
    assert SCHEDULE.get(*key).value == value


def test_every_schedule_parameter_is_tested_and_cites_a_public_document():
    assert set(SCHEDULE.names()) == {name for name, _on in EXPECTED}
    for name in SCHEDULE.names():
        for period in SCHEDULE.parameter(name).periods:
            assert is_public_citation(period.source), (name, period.source)
            assert INTERNAL.search(period.cite()) is None, period.cite()


@pytest.mark.parametrize(("model", "year"), [(r.JOBBSJANSEN_2026, 2026),
                                             (r.PER_CAPITA_2024, 2024),
                                             (r.PART_B_2018, 2018), (r.DEVELOPMENT, 2025)])
def test_every_obligation_cites_public_documents_only(model, year):
    for obligation in r.obligations(model, year, 3):
        assert is_public_citation(obligation.source), obligation
        assert INTERNAL.search(obligation.source) is None
        assert len(obligation.source) <= 600  # reporting.ReportObligation.source


def test_the_schedule_adds_to_the_core_parameters_without_redefining_any():
    merged = r.schedule_parameters()
    assert "g" in merged.names() and "reporting.deadline_time" in merged.names()


def test_the_schedule_runs_without_django():
    code = ("import sys; sys.modules['django'] = None; import rules.reporting as r; "
            "print(len(r.obligations('jobbsjansen_2026', 2026, 3)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "9", result.stderr


# -- reminders -------------------------------------------------------------------------------

DAYS = (14, 3)


def due(deadline, now):
    found = r.reminder_due(deadline, now, DAYS)
    return found and found.slot


def night(day: datetime.date) -> datetime.datetime:
    """When the scheduler runs: 02:00 Norwegian time."""
    return at(day, datetime.time(2, 0))


def test_reminders_14_and_3_days_before_the_day_after_and_weekly():
    deadline = at(D(2026, 11, 14))
    assert due(deadline, night(D(2026, 10, 30))) is None  # 15 days before
    assert due(deadline, night(D(2026, 10, 31))) == "before:14:2026-11-14"
    assert due(deadline, night(D(2026, 11, 5))) == "before:14:2026-11-14"  # the same slot
    assert due(deadline, night(D(2026, 11, 11))) == "before:3:2026-11-14"
    assert due(deadline, night(D(2026, 11, 14))) == "before:3:2026-11-14"  # still in time
    assert due(deadline, night(D(2026, 11, 15))) == "missed:2026-11-14"
    assert due(deadline, night(D(2026, 11, 21))) == "missed:2026-11-14"
    assert due(deadline, night(D(2026, 11, 22))) == "overdue:1:2026-11-14"
    assert due(deadline, night(D(2026, 11, 28))) == "overdue:1:2026-11-14"
    assert due(deadline, night(D(2026, 11, 29))) == "overdue:2:2026-11-14"
    assert due(deadline, night(D(2027, 1, 3))) == "overdue:7:2026-11-14"


def test_reminder_kinds_and_numbers():
    deadline = at(D(2026, 11, 14))
    assert r.reminder_due(deadline, night(D(2026, 10, 31)), DAYS) == r.ReminderDue(
        r.BEFORE, 14, "before:14:2026-11-14")
    assert r.reminder_due(deadline, night(D(2026, 11, 15)), DAYS).kind == r.MISSED
    assert r.reminder_due(deadline, night(D(2026, 11, 29)), DAYS).number == 2


def test_reminder_days_across_summer_time():
    # Sunday 29 March 2026 has 23 hours, Sunday 25 October 2026 has 25: days are calendar
    # days in Norway, not 24-hour spans.
    spring = at(D(2026, 3, 29))
    assert due(spring, night(D(2026, 3, 15))) == "before:14:2026-03-29"
    assert due(spring, night(D(2026, 3, 26))) == "before:3:2026-03-29"
    assert due(spring, datetime.datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC)) == \
        "before:3:2026-03-29"
    assert due(spring, datetime.datetime(2026, 3, 29, 22, 0, 1, tzinfo=UTC)) == \
        "missed:2026-03-29"  # 00:00:01 on 30 March in Norway: the day after
    assert due(spring, night(D(2026, 3, 30))) == "missed:2026-03-29"
    autumn = at(D(2026, 10, 25))
    assert due(autumn, night(D(2026, 10, 11))) == "before:14:2026-10-25"
    assert due(autumn, night(D(2026, 10, 22))) == "before:3:2026-10-25"
    assert due(autumn, datetime.datetime(2026, 10, 25, 23, 0, 0, tzinfo=UTC)) == \
        "missed:2026-10-25"  # 00:00 on 26 October in Norway
    assert due(autumn, datetime.datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)) == \
        "before:3:2026-10-25"


def test_a_deadline_at_midnight_is_missed_that_day_and_reminded_the_next():
    deadline = at(D(2026, 11, 14), datetime.time(0, 0))
    assert due(deadline, at(D(2026, 11, 13), datetime.time(23, 0))) == "before:3:2026-11-14"
    assert due(deadline, night(D(2026, 11, 14))) is None  # missed at 00:00:01 today
    assert due(deadline, night(D(2026, 11, 15))) == "missed:2026-11-14"


def test_a_report_added_late_gets_the_nearest_reminder():
    deadline = at(D(2026, 11, 14))
    assert due(deadline, night(D(2026, 11, 9))) == "before:14:2026-11-14"
    assert due(deadline, night(D(2026, 11, 12))) == "before:3:2026-11-14"


def test_reminder_days_are_a_dated_parameter_per_kind():
    for kind in r.KINDS:
        assert r.reminder_days(kind, D(2026, 11, 14)) == (14, 3)
    with pytest.raises(RuleError):
        r.reminder_days("unknown", D(2026, 11, 14))
    with pytest.raises(ValueError):
        r.reminder_due(datetime.datetime(2026, 11, 14), night(D(2026, 11, 1)), DAYS)
