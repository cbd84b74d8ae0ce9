import datetime
from decimal import Decimal

import pytest

from rules.conditions import (
    ApplicationFacts,
    Eligibility,
    acceptance_deadline,
    appeal_deadline,
    application_findings,
    may_apply,
    signed_in_time,
)
from rules.eligibility import (
    IntroductionStatus,
    SocialAssistance,
    TargetGroupInput,
    latest_end_date,
    target_group_findings,
)
from rules.findings import Severity
from rules.goals import Ended, Transition, goal_achievement

D = datetime.date
START = D(2026, 3, 1)


def codes(findings):
    return {f.code: f.severity for f in findings}


def test_a_woman_of_40_on_voluntary_social_assistance_is_in_the_target_group():
    found = codes(target_group_findings(TargetGroupInput(
        START, D(1986, 1, 1), social_assistance=SocialAssistance.VOLUNTARY)))
    assert found == {"social_assistance_voluntary": Severity.INFORMATION}


@pytest.mark.parametrize(("birth", "blocked"), [
    (D(2008, 3, 1), False), (D(2008, 3, 2), True),  # 18 on the start day / 17
    (D(1970, 3, 2), False), (D(1970, 3, 1), True),  # 55 / 56 on the start day
])
def test_age_18_to_55_at_start(birth, blocked):
    found = codes(target_group_findings(TargetGroupInput(START, birth)))
    assert ("age" in found) is blocked


def test_kvp_and_activity_condition_block():
    found = codes(target_group_findings(TargetGroupInput(
        START, D(1990, 1, 1), in_qualification_programme=True,
        social_assistance=SocialAssistance.ACTIVITY_CONDITION)))
    assert found == {"kvp": Severity.BLOCKS, "social_assistance_condition": Severity.BLOCKS}


def test_two_years_since_the_introduction_programme():
    recent = TargetGroupInput(START, D(1990, 1, 1), introduction=IntroductionStatus.ENDED,
                              introduction_ended_on=D(2024, 3, 2))
    ok = TargetGroupInput(START, D(1990, 1, 1), introduction=IntroductionStatus.ENDED,
                          introduction_ended_on=D(2024, 3, 1))
    assert "introduction_recent" in codes(target_group_findings(recent))
    assert codes(target_group_findings(ok)) == {}
    unknown = TargetGroupInput(START, D(1990, 1, 1), introduction=IntroductionStatus.UNKNOWN)
    assert codes(target_group_findings(unknown)) == {
        "introduction_unknown": Severity.NEEDS_ASSESSMENT}


def test_every_finding_has_a_norwegian_message_and_a_source():
    for finding in target_group_findings(TargetGroupInput(
            START, None, in_qualification_programme=True, on_transitional_benefit=True)):
        assert finding.message and finding.source


@pytest.mark.parametrize(("kwargs", "end"), [
    ({}, D(2028, 2, 29)),
    ({"extended": True}, D(2029, 2, 28)),
    ({"extended": True, "lacks_literacy": True}, D(2030, 2, 28)),
])
def test_duration(kwargs, end):
    assert latest_end_date(START, **kwargs).latest_end == end


def test_pilot_transfers_end_within_2025():
    result = latest_end_date(D(2023, 6, 1), extended=True, pilot_transfer=True)
    assert result.latest_end == D(2025, 12, 31)


def test_application_conditions():
    facts = ApplicationFacts(START, 9, Decimal(190000), Decimal(1000000), True, False)
    found = codes(application_findings(facts))
    assert found == {"too_few_places": Severity.BLOCKS, "own_financing": Severity.BLOCKS,
                     "result_goals": Severity.BLOCKS}
    fine = ApplicationFacts(START, 10, Decimal(200000), Decimal(1000000), True, True)
    assert application_findings(fine) == []


OSLO = __import__("zoneinfo").ZoneInfo("Europe/Oslo")
UTC = datetime.UTC


@pytest.mark.parametrize(("signed", "in_time"), [
    (datetime.datetime(2026, 2, 25, 23, 59, 59, tzinfo=OSLO), True),
    (datetime.datetime(2026, 2, 26, 0, 0, 0, tzinfo=OSLO), False),
    (datetime.datetime(2026, 2, 25, 22, 59, 59, tzinfo=UTC), True),  # 23:59:59 in Oslo (CET)
    (datetime.datetime(2026, 2, 25, 23, 0, 0, tzinfo=UTC), False),
])
def test_deadline_is_midnight_in_oslo(signed, in_time):
    assert signed_in_time(signed, D(2026, 2, 25)) is in_time


def test_deadline_across_daylight_saving_changes():
    # Summer time starts 29 March 2026 (02:00 → 03:00); midnight at the end of that day is
    # 22:00 UTC, not 23:00.
    assert signed_in_time(datetime.datetime(2026, 3, 29, 21, 59, tzinfo=UTC), D(2026, 3, 29))
    assert not signed_in_time(datetime.datetime(2026, 3, 29, 22, 0, tzinfo=UTC), D(2026, 3, 29))
    # Winter time from 25 October 2026: the day has 25 hours; midnight is 23:00 UTC.
    assert signed_in_time(datetime.datetime(2026, 10, 25, 22, 59, tzinfo=UTC), D(2026, 10, 25))
    assert not signed_in_time(datetime.datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
                              D(2026, 10, 25))


def test_acceptance_two_weeks_and_appeal_three_weeks():
    assert acceptance_deadline(D(2026, 5, 4)) == D(2026, 5, 18)
    assert appeal_deadline(D(2026, 5, 4)) == D(2026, 5, 25)


def test_who_may_apply():
    pilot = Eligibility(frozenset({"municipality"}),
                        frozenset({"5007", "4202", "3907", "3209", "3911"}))
    assert may_apply("municipality", "4202", pilot) is None
    assert may_apply("municipality", "3301", pilot).code == "not_named"
    development = Eligibility(frozenset({"municipality", "city_district", "county"}))
    assert may_apply("municipality", "3301", development) is None
    assert may_apply("municipality", "3301", development,
                     focus_area_kinds=frozenset({"county"})).code == "wrong_kind"


def test_goal_achievement_leaves_out_excluded_end_reasons():
    ended = [Ended(D(2026, 6, 1), "completed", Transition.WORK)] * 7 + [
        Ended(D(2026, 6, 1), "completed", Transition.NONE)] * 3 + [
        Ended(D(2026, 6, 1), "moved_away", Transition.NONE)] * 2 + [
        Ended(D(2025, 6, 1), "completed", Transition.NONE)]
    result = goal_achievement(ended, 2026)
    assert (result.achieved, result.counted, result.excluded) == (7, 10, 2)
    assert result.share == Decimal("0.7") and result.meets_criterion
