"""The explanations in Norwegian as a reader expects them: "1 plass" / "2 plasser", place
lists that say which places ("plass 1 og 3", a dash only for a real span), Norwegian
numbers, and on every line the parameter values that line actually used (issue 10)."""

import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from rules import cli
from rules.calendar_util import Month
from rules.grants.jobbsjansen_2026 import MonthlyRates, grant_2026, payments_2026
from rules.grants.per_capita_2024 import grant_per_capita_2024
from rules.grants.places import PlaceUser
from rules.text import NBSP, kr, number, number_list, percent, plural

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "rules" / "examples").glob("*.json"))
JAN = Month(2026, 1)
RATES = MonthlyRates(Decimal(15083), Decimal(5000), Decimal(13583), Decimal(4583),
                     source="Eksempel", example=True)


def _users(*with_g: bool, months=(JAN,)) -> list[PlaceUser]:
    return [PlaceUser(f"p{i:02d}", datetime.date(2026, 1, 1) + datetime.timedelta(i), g,
                      frozenset(months)) for i, g in enumerate(with_g)]


@pytest.mark.parametrize(("numbers", "text"), [
    ([1], "1"), ([1, 3], "1 og 3"), ([1, 3, 5], "1, 3 og 5"), ([5, 3, 1], "1, 3 og 5"),
    ([1, 2], "1 og 2"), (list(range(1, 16)), "1–15"), ([1, 2, 3, 5], "1–3 og 5"),
    ([16, 17, 18, 20, 21], "16–18, 20 og 21"),
])
def test_place_lists(numbers, text):
    assert number_list(numbers) == text


def test_norwegian_numbers_plurals_and_shares():
    assert plural(1, "plass", "plasser") == "1 plass"
    assert plural(2, "plass", "plasser") == "2 plasser"
    assert plural(0, "plass", "plasser") == "0 plasser"
    assert number(136549) == f"136{NBSP}549" and number(Decimal("7.50")) == "7,5"
    assert kr(Decimal("15083.00")) == f"15{NBSP}083{NBSP}kr"
    assert kr(Decimal("0.5")) == f"0,50{NBSP}kr"
    assert percent(Decimal(2) / 3) == f"66,7{NBSP}%"


def test_one_place_is_singular():
    line = grant_2026(_users(True), RATES).explained.lines[0]
    assert line.formula.startswith("1 plass (plass 1) × ")
    assert "1 plasser" not in line.formula


def test_places_that_are_not_a_span_are_listed():
    """Places 1 and 3 have the allowance, place 2 not: "plass 1 og 3", never "1–3"."""
    lines = grant_2026(_users(True, False, True), RATES).explained.lines
    with_g = next(line for line in lines if "med 1G" in line.label)
    assert with_g.formula.startswith("2 plasser (plass 1 og 3) × ")
    assert "1–3" not in with_g.formula
    without = next(line for line in lines if "uten 1G" in line.label)
    assert without.formula.startswith("1 plass (plass 2) × ")


def test_a_real_span_uses_a_dash():
    lines = grant_2026(_users(*[True] * 17), RATES).explained.lines
    assert lines[0].formula.startswith("15 plasser (plass 1–15) × ")
    assert lines[1].formula.startswith("2 plasser (plass 16 og 17) × ")


def test_the_round_rate_shown_is_the_rate_used():
    """The line for places with the allowance cited round.monthly_rates = 0."""
    result = grant_2026(_users(True, False, *[True] * 15), RATES).explained
    for line in result.lines:
        rates = [p for p in line.parameters if p.name.startswith("round.")]
        assert len(rates) == 1
        rate = rates[0]
        assert rate.value > 0
        count = int(line.formula.split(" ")[0])
        assert rate.value * count == line.amount
        assert kr(rate.value) in line.formula
        assert rate.source.endswith("Eksempel")


def test_other_explanations_are_singular_where_they_should_be():
    one = grant_per_capita_2024([PlaceUser("a", datetime.date(2024, 1, 1), True,
                                           frozenset({Month(2024, 1)}))])
    assert one.explained.lines[0].formula.startswith("1 deltakermåned × 181")
    payments = payments_2026(granted=Decimal(1000), actual=grant_2026(_users(True), RATES))
    assert "sum av 1 linje" in payments.settlement.lines[0].formula


def _run(example: Path, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert cli.main([str(example), *extra], stdout=out, stderr=err) == 0, err.getvalue()
    return out.getvalue()


def _shown(parameter: dict) -> str:
    value = parameter["value"]
    if parameter.get("display") and "/" in parameter["display"]:
        return parameter["display"]
    return number(Decimal(value))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_line_shows_the_parameter_values_it_cites(example):
    for result in json.loads(_run(example, "--json")):
        for line in result["lines"]:
            text = f"{line['label']} {line['formula']}"
            for parameter in line["parameters"]:
                if isinstance(parameter["value"], str) and parameter["value"][:1].isdigit():
                    assert _shown(parameter) in text, (parameter, text)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_english_decimal_points_or_codes_in_the_text(example):
    text = _run(example)
    body = "\n".join(row for row in text.splitlines() if not row.strip().startswith("["))
    # Dates (25.02.2026), times (kl. 24.00), "per 31.10" and §6.1 are Norwegian as they are.
    prose = re.sub(r"\b\d{2}\.\d{2}\.\d{4}\b|kl\. \d{2}\.\d{2}|per 31\.10|§\d+\.\d", "", body)
    assert not re.search(r"\d\.\d", prose), body
    for code in ("moved_away", "phased_out_by_scheme_change", "fodselsnummer"):
        assert code not in body


def test_goal_share_and_excluded_reasons_in_words():
    doc = {"calculation": "goal_achievement", "year": 2026, "ended": [
        {"end_date": "2026-04-30", "end_reason": "completed", "transition": "work"},
        {"end_date": "2026-06-30", "end_reason": "completed", "transition": "none"},
        {"end_date": "2026-06-30", "end_reason": "completed", "transition": "none"},
        {"end_date": "2026-09-30", "end_reason": "moved_away", "transition": "none"}]}
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["-"], stdin=io.StringIO(json.dumps(doc)), stdout=out, stderr=err) == 0
    assert f"33,3{NBSP}%" in out.getvalue() and "(1 av 3)" in out.getvalue()
    assert "flyttet" in out.getvalue()
