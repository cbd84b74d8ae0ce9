import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar_util import Month
from rules.errors import RuleError
from rules.grants.jobbsjansen_2026 import MonthlyRates, grant_2026, payments_2026
from rules.grants.part_b_2018 import PartBInput, grant_part_b_2018
from rules.grants.per_capita_2024 import grant_per_capita_2024
from rules.grants.places import PlaceUser

YEAR_2024 = frozenset(Month(2024, m) for m in range(1, 13))
RATES = MonthlyRates(Decimal(15000), Decimal(5000), Decimal(13000), Decimal(4500),
                     source="Eksempel", example=True)


def _user(i, with_g, months, start=None):
    return PlaceUser(f"p{i:03d}", start or datetime.date(2024, 1, 1) + datetime.timedelta(i),
                     with_g, frozenset(months))


def test_per_capita_worked_example():
    """12 participants a whole year, 9 with 1G and 3 without; by start date the 9 with 1G
    come first. Participants 1–9: 9 × 181 000 = 1 629 000; participant 10 (without 1G,
    start rate): 60 000; participants 11–12 (without, base rate): 2 × 55 000 = 110 000.
    Total 1 799 000. Reporting periods: Jan–Jun half = 899 500; Jul–Oct 4/12; Nov–Dec 2/12."""
    users = [_user(i, i < 9, YEAR_2024) for i in range(12)]
    result = grant_per_capita_2024(users)
    assert result.total == Decimal("1799000.00")
    assert result.by_period["til og med 30. juni"] == Decimal("899500.00")
    assert sum(result.by_period.values()) == result.total


def test_per_capita_numbers_by_start_date_then_id():
    late_with_g = _user(99, True, YEAR_2024, start=datetime.date(2024, 6, 1))
    early = [_user(i, False, YEAR_2024) for i in range(10)]
    result = grant_per_capita_2024([*early, late_with_g])
    # The 11th by start date gets the base rate with 1G: 163 000.
    assert result.total == 10 * 60000 + 163000


def test_2026_start_and_base_places():
    """17 participants all year with 1G: places 1–15 at 15 000, 16–17 at 13 000 per month.
    Per month 15 × 15 000 + 2 × 13 000 = 251 000; a year 3 012 000."""
    year = frozenset(Month(2026, m) for m in range(1, 13))
    users = [_user(i, True, year, start=datetime.date(2026, 1, 1)) for i in range(17)]
    result = grant_2026(users, RATES)
    assert result.total == Decimal("3012000.00")
    assert result.start_part == 12 * 15 * 15000 and result.base_part == 12 * 2 * 13000


def test_2026_a_freed_place_goes_to_the_next_participant():
    jan_feb = [Month(2026, 1), Month(2026, 2)]
    users = [_user(i, True, [Month(2026, 1)] if i == 0 else jan_feb,
                   start=datetime.date(2026, 1, 1)) for i in range(16)]
    result = grant_2026(users, RATES)
    # January: 15 start + 1 base; February: 15 start (the 16th moved up).
    assert result.by_month[Month(2026, 1)] == 15 * 15000 + 13000
    assert result.by_month[Month(2026, 2)] == 15 * 15000


def test_2026_without_rates_refuses_clearly():
    with pytest.raises(RuleError) as info:
        MonthlyRates(None, Decimal(1), Decimal(1), Decimal(1), source="x")
    assert info.value.field == "rates.start_with_g"


def test_2026_advance_and_settlement():
    users = [_user(i, True, [Month(2026, 1)]) for i in range(2)]
    actual = grant_2026(users, RATES)
    payments = payments_2026(granted=Decimal(100000), actual=actual)
    assert payments.advance.total == Decimal("50000.00")
    assert payments.settlement.total == Decimal("-20000.00")
    assert payments.settlement.notes


def test_part_b_covers_the_position_and_1g():
    """2018: G = 96 883 from 1 May. 96 participant-months × 96 883 / 12 = 775 064; plus the
    position 650 000 = 1 425 064."""
    result = grant_part_b_2018(PartBInput(2018, Decimal(650000), 96))
    assert result.total == Decimal("1425064.00")
    capped = grant_part_b_2018(PartBInput(2018, Decimal(650000), 96, Decimal(1000000)))
    assert capped.total == Decimal("1000000.00")


month_sets = st.sets(st.integers(1, 12), min_size=1).map(
    lambda ms: frozenset(Month(2026, m) for m in ms))
users_strategy = st.lists(st.tuples(st.booleans(), month_sets, st.integers(0, 300)),
                          min_size=1, max_size=40)


def _build(spec):
    return [PlaceUser(f"u{i:03d}", datetime.date(2025, 1, 1) + datetime.timedelta(days),
                      with_g, months) for i, (with_g, months, days) in enumerate(spec)]


@settings(max_examples=60)
@given(users_strategy, st.decimals(0, 5_000_000, places=2))
def test_2026_properties(spec, granted):
    result = grant_2026(_build(spec), RATES)
    assert result.start_part + result.base_part == result.total
    assert sum(line.amount for line in result.explained.lines) == result.total
    payments = payments_2026(granted=granted, actual=result)
    assert payments.advance.total + payments.settlement.total == result.total


@settings(max_examples=60)
@given(users_strategy, st.integers(0, 39), st.integers(1, 12))
def test_more_months_never_give_less_money(spec, who, extra_month):
    users = _build(spec)
    who = who % len(users)
    before = grant_2026(users, RATES).total
    more = list(users)
    more[who] = PlaceUser(users[who].id, users[who].start_date, users[who].with_g,
                          users[who].months | {Month(2026, extra_month)})
    assert grant_2026(more, RATES).total >= before
    per_capita_spec = [PlaceUser(u.id, u.start_date, u.with_g,
                                 frozenset(Month(2024, m.month) for m in u.months)) for u in users]
    per_capita_more = [PlaceUser(u.id, u.start_date, u.with_g,
                                 frozenset(Month(2024, m.month) for m in u.months)) for u in more]
    assert grant_per_capita_2024(per_capita_more).total >= \
        grant_per_capita_2024(per_capita_spec).total
