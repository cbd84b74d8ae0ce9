import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.allowance import (
    AllowanceModel,
    Deduction,
    DeductionKind,
    Participant,
    allowance_plan,
    monthly_allowance,
)
from rules.calendar_util import Month
from rules.errors import RuleError

JOBB = Participant(AllowanceModel.JOBBSJANSEN)


def test_jobbsjansen_is_1g_a_year_whatever_the_age():
    """April 2026: G = 130 160 → 130 160 / 12 = 10 846,67. May 2026: 136 549 / 12 = 11 379,08."""
    assert monthly_allowance(JOBB, Month(2026, 4)).net == Decimal("10846.67")
    assert monthly_allowance(JOBB, Month(2026, 5)).net == Decimal("11379.08")
    young = Participant(AllowanceModel.JOBBSJANSEN, birth_date=datetime.date(2006, 1, 1))
    assert monthly_allowance(young, Month(2026, 5)).net == Decimal("11379.08")


def test_transitional_benefit_gives_no_allowance():
    on_ts = Participant(AllowanceModel.JOBBSJANSEN, on_transitional_benefit=True)
    result = monthly_allowance(on_ts, Month(2026, 5))
    assert result.net == 0 and "overgangsstønad" in result.explained.lines[0].formula


def test_2018_pattern_2g_and_two_thirds_under_25():
    """June 2018, G 96 883: 2G / 12 = 16 147,17; under 25: × 2/3 = 10 764,78."""
    adult = Participant(AllowanceModel.INTRODUCTION_2018, birth_date=datetime.date(1980, 1, 1))
    young = Participant(AllowanceModel.INTRODUCTION_2018, birth_date=datetime.date(1995, 1, 1))
    assert monthly_allowance(adult, Month(2018, 6)).net == Decimal("16147.17")
    assert monthly_allowance(young, Month(2018, 6)).net == Decimal("10764.78")


def test_integreringsloven_under_25_with_a_parent_gets_a_third():
    """May 2026: 2 × 136 549 / 3 / 12 = 7 586,06."""
    p = Participant(AllowanceModel.INTEGRERINGSLOVEN, birth_date=datetime.date(2004, 1, 1),
                    living_with_parent=True)
    assert monthly_allowance(p, Month(2026, 5)).net == Decimal("7586.06")


def test_age_models_need_a_birth_date():
    with pytest.raises(RuleError) as info:
        monthly_allowance(Participant(AllowanceModel.INTRODUCTION_2018), Month(2018, 6))
    assert info.value.field == "birth_date"


def test_absence_reduces_by_the_hourly_amount():
    """15 hours in May 2026: 15 × 136 549 / 1850 = 1 107,154 → 1 107,15."""
    result = monthly_allowance(JOBB, Month(2026, 5), absence_hours=Decimal(15))
    assert result.absence_reduction == Decimal("1107.15")
    assert result.net == Decimal("10271.93")


def test_large_reductions_need_a_formal_decision():
    """2G model, June 2018: monthly 16 147,17; 100 hours = 100 × 193 766 / 1850 = 10 473,84,
    which is ≥ 50 % of the payment and ≥ G/12 (8 073,58)."""
    adult = Participant(AllowanceModel.INTRODUCTION_2018, birth_date=datetime.date(1980, 1, 1))
    big = monthly_allowance(adult, Month(2018, 6), absence_hours=Decimal(100))
    assert big.absence_reduction == Decimal("10473.84") and big.needs_formal_decision
    small = monthly_allowance(adult, Month(2018, 6), absence_hours=Decimal(10))
    assert not small.needs_formal_decision


def test_deductions_are_itemised_and_never_make_the_allowance_negative():
    result = monthly_allowance(JOBB, Month(2026, 5), deductions=(
        Deduction(DeductionKind.SYKEPENGER, Decimal(5000)),
        Deduction(DeductionKind.WAGES, Decimal(9000)),
    ))
    labels = [line.label for line in result.explained.lines]
    assert labels == ["Stønad", "Fradrag: sykepenger", "Fradrag: arbeidsinntekt"]
    assert result.net == 0


def test_plan_prorates_the_first_and_last_month():
    plan = allowance_plan(JOBB, datetime.date(2026, 4, 16), datetime.date(2026, 6, 30))
    assert [str(m.month) for m in plan.months] == ["2026-04", "2026-05", "2026-06"]
    assert plan.months[0].net == Decimal("5423.33")  # 130 160 / 12 × 15/30 = 5 423,333
    assert plan.months[1].net == plan.months[2].net == Decimal("11379.08")


@given(hours=st.decimals(0, 500, places=1),
       other=st.lists(st.decimals(0, 20000, places=2), max_size=4),
       month=st.integers(1, 12), year=st.integers(2018, 2026))
def test_reductions_never_make_it_negative_and_lines_sum(hours, other, month, year):
    result = monthly_allowance(
        JOBB if year >= 2024 else Participant(AllowanceModel.INTRODUCTION_2018,
                                              birth_date=datetime.date(1980, 1, 1)),
        Month(year, month), absence_hours=hours,
        deductions=tuple(Deduction(DeductionKind.OTHER_NAV, a) for a in other))
    assert result.net >= 0
    assert sum(line.amount for line in result.explained.lines) == result.net
