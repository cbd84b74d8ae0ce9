"""Every parameter has a test that fails if its value changes."""

import datetime
from decimal import Decimal

import pytest

from rules.errors import RuleError
from rules.params import default_parameters

P = default_parameters()
D = datetime.date

EXPECTED = {
    ("g", D(2015, 5, 1)): "90068", ("g", D(2016, 5, 1)): "92576", ("g", D(2017, 5, 1)): "93634",
    ("g", D(2018, 5, 1)): "96883", ("g", D(2019, 5, 1)): "99858", ("g", D(2020, 5, 1)): "101351",
    ("g", D(2021, 5, 1)): "106399", ("g", D(2022, 5, 1)): "111477",
    ("g", D(2023, 5, 1)): "118620", ("g", D(2024, 5, 1)): "124028",
    ("g", D(2025, 5, 1)): "130160", ("g", D(2026, 5, 1)): "136549",
    ("allowance.jobbsjansen_yearly_g", D(2026, 1, 1)): "1",
    ("allowance.introduction_yearly_g", D(2018, 1, 1)): "2",
    ("allowance.under_25_age", D(2018, 1, 1)): "25",
    ("allowance.hours_per_year", D(2018, 1, 1)): "1850",
    ("percapita.start_places", D(2024, 1, 1)): "10",
    ("percapita.start_rate_with_g", D(2024, 1, 1)): "181000",
    ("percapita.start_rate_without_g", D(2024, 1, 1)): "60000",
    ("percapita.base_rate_with_g", D(2024, 1, 1)): "163000",
    ("percapita.base_rate_without_g", D(2024, 1, 1)): "55000",
    ("jobbsjansen.start_places", D(2026, 1, 1)): "15",
    ("part_b.allowance_cover_g", D(2018, 1, 1)): "1",
    ("target_group.min_age", D(2026, 1, 1)): "18",
    ("target_group.max_age", D(2026, 1, 1)): "55",
    ("target_group.years_since_introduction", D(2026, 1, 1)): "2",
    ("duration.base_years", D(2026, 1, 1)): "2",
    ("duration.extension_years", D(2026, 1, 1)): "1",
    ("duration.literacy_extension_years", D(2026, 1, 1)): "1",
    ("duration.max_years", D(2026, 1, 1)): "4",
    ("duration.pilot_transfer_max_years", D(2024, 1, 1)): "3",
    ("conditions.min_places", D(2026, 1, 1)): "10",
    ("conditions.min_participants_development", D(2025, 1, 1)): "10",
    ("deadlines.acceptance_days", D(2026, 1, 1)): "14",
    ("deadlines.appeal_days", D(2026, 1, 1)): "21",
    ("register.after_care_months", D(2026, 1, 1)): "12",
}
OTHER = {
    ("duration.pilot_transfer_last_day", D(2024, 1, 1)): D(2025, 12, 31),
    ("goal.excluded_end_reasons", D(2020, 1, 1)): ("phased_out_by_scheme_change",),
    ("goal.excluded_end_reasons", D(2026, 1, 1)): ("moved_away", "death",
                                                   "phased_out_by_scheme_change"),
    ("register.submission_deadline", D(2025, 1, 1)): (2, 15),
    ("finance.terms.shares", D(2018, 1, 1)): ("1/2", "1/2"),
    ("finance.terms.shares", D(2025, 1, 1)): ("1/2", "1/2"),
    ("finance.terms.due", D(2018, 1, 1)): ("03-01", "09-01"),
    ("finance.terms.due", D(2025, 1, 1)): ("03-01", "09-01"),
    ("finance.receivable_due_days", D(2018, 1, 1)): 30,
}
FRACTIONS = {
    "allowance.under_25_share": "2/3", "allowance.under_25_with_parent_share": "1/3",
    "allowance.formal_decision_share_of_payment": "1/2",
    "allowance.formal_decision_g_fraction": "1/12", "jobbsjansen.advance_share": "1/2",
    "conditions.min_own_financing_share": "1/5", "goal.min_share": "7/10",
}


@pytest.mark.parametrize(("key", "value"), OTHER.items(), ids=lambda v: str(v))
def test_dates_and_lists(key, value):
    assert P.get(*key).value == value


@pytest.mark.parametrize(("key", "value"), EXPECTED.items(), ids=lambda v: str(v))
def test_parameter_values(key, value):
    assert P.get(*key).value == Decimal(value)


@pytest.mark.parametrize(("name", "display"), FRACTIONS.items())
def test_fractions_are_exact(name, display):
    value = P.get(name, D(2026, 6, 1))
    assert value.display == display
    numerator, denominator = display.split("/")
    assert value.value == Decimal(numerator) / Decimal(denominator)


def test_every_parameter_is_tested_and_cited():
    tested = {name for name, _on in EXPECTED} | set(FRACTIONS) | {name for name, _on in OTHER}
    assert set(P.names()) == tested
    for name in P.names():
        for period in P.parameter(name).periods:
            assert period.source.strip()


def test_g_changes_on_1_may_and_old_periods_are_kept():
    assert P.get("g", D(2026, 4, 30)).value == 130160
    assert P.get("g", D(2026, 5, 1)).value == 136549
    assert P.get("g", D(2018, 6, 1)).value == 96883


def test_a_date_before_any_value_is_a_clear_error():
    with pytest.raises(RuleError, match="ingen verdi"):
        P.get("g", D(2010, 1, 1))
