"""Payments of a granted amount (rules/settlement.py): the 2026 advance and settlement with
its cap and claw-back, the per-capita pilot's period payments capped at what remains, and
the two terms of the development grant and 2018 part B — pure Python, no Django."""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from rules import cli
from rules.calendar_util import Month
from rules.errors import RuleError
from rules.grants.jobbsjansen_2026 import MonthlyRates, grant_2026, payments_2026
from rules.grants.places import PlaceUser
from rules.params import MissingValue, Parameters, default_parameters
from rules.settlement import (
    PAYMENT_2026,
    PAYMENT_PER_CAPITA,
    PAYMENT_TERMS,
    PeriodPayment,
    Settlement,
    Term,
    advance_2026,
    per_capita_period,
    settlement_2026,
    terms,
)
from rules.sources import INTERNAL, is_public_citation

D = datetime.date
K = Decimal
ON = D(2026, 11, 20)
ROOT = Path(__file__).resolve().parents[2]
P = default_parameters()


def _total_of_lines(explained) -> Decimal:
    return sum((line.amount for line in explained.lines), K("0.00"))


# -- the parameters --------------------------------------------------------------------------

def test_the_payment_parameters_are_pinned_and_cited():
    assert P.get("jobbsjansen.advance_share", ON).value == K(1) / K(2)
    assert P.get("jobbsjansen.advance_share", ON).display == "1/2"
    for on in (D(2018, 1, 1), D(2025, 6, 1), D(2026, 1, 1)):
        assert P.get("finance.terms.shares", on).value == ("1/2", "1/2")
        assert P.get("finance.terms.due", on).value == ("03-01", "09-01")
    for name in ("finance.terms.shares", "finance.terms.due"):
        value = P.get(name, D(2025, 1, 1))
        assert is_public_citation(value.source)
        assert "Når utbetales pengene?" in value.source
        assert "arbeidsvalg som IMDi må bekrefte" in value.source
        assert "Jobbsjansen 2018, del B" in value.source
        assert INTERNAL.search(value.cite()) is None
        assert P.parameter(name).description and P.parameter(name).unit
    assert "«Når utbetales tilskuddsmidlene?»" in P.get("jobbsjansen.advance_share", ON).source


def test_the_citations_are_the_public_pages():
    assert PAYMENT_2026 == ("imdi.no: Tilskuddsmidler til Jobbsjansen 2026, "
                            "«Når utbetales tilskuddsmidlene?»")
    assert PAYMENT_PER_CAPITA == "Rundskriv 23-15067 §12"
    assert PAYMENT_TERMS.endswith("«Når utbetales pengene?»")
    for text in (PAYMENT_2026, PAYMENT_PER_CAPITA, PAYMENT_TERMS):
        assert is_public_citation(text)


def test_finance_toml_is_loaded_with_the_other_data_files():
    names = Parameters.load().names()
    assert {"finance.terms.shares", "finance.terms.due", "jobbsjansen.advance_share"} <= set(
        names)


# -- the 2026 advance ------------------------------------------------------------------------

def test_the_advance_is_half_the_grant():
    result = advance_2026(K(1200000), D(2026, 3, 1))
    assert result.total == K("600000.00")
    [line] = result.lines
    assert line.parameters[0].name == "jobbsjansen.advance_share"
    assert "1/2" in line.formula and "1\u00a0200\u00a0000\u00a0kr" in line.formula
    assert any(PAYMENT_2026 in note for note in result.notes)


def test_the_advance_rounds_to_ore():
    assert advance_2026(K("100000.01"), ON).total == K("50000.01")  # 50 000,005 → ,01
    assert advance_2026(K("0.01"), ON).total == K("0.01")
    assert advance_2026(K(0), ON).total == K("0.00")


def test_the_advance_agrees_with_payments_2026():
    rates = MonthlyRates(K(15083), K(5000), K(13583), K(4583), source="Eksempel", example=True)
    users = [PlaceUser("a", D(2026, 1, 1), True, frozenset({Month(2026, 1)}))]
    actual = grant_2026(users, rates)
    for granted in (K(100000), K("123456.79")):
        assert advance_2026(granted, ON).total == payments_2026(
            granted=granted, actual=actual).advance.total


def test_the_advance_before_2026_has_no_rule():
    with pytest.raises(MissingValue):
        advance_2026(K(1000), D(2025, 12, 31))


# -- the 2026 settlement ---------------------------------------------------------------------

def test_settlement_pays_what_the_places_trigger_less_the_advance():
    result = settlement_2026(K(1200000), K(600000), K(1000000), ON)
    assert isinstance(result, Settlement)
    assert (result.triggered, result.capped, result.paid) == (K(1000000), K(1000000),
                                                             K(600000))
    assert (result.settlement, result.claw_back) == (K("400000.00"), K("0.00"))
    labels = [line.label for line in result.explained.lines]
    assert labels == ["Tilskudd utløst av benyttede plasser", "Utbetalt forskudd"]  # no cap
    assert result.explained.total == K("400000.00") == _total_of_lines(result.explained)
    assert any(PAYMENT_2026 in note for note in result.explained.notes)


def test_the_cap_at_the_granted_amount_is_shown_only_when_it_bites():
    result = settlement_2026(K(1200000), K(600000), K(1310400), ON)
    assert result.capped == K(1200000)
    assert result.settlement == K("600000.00") and result.claw_back == 0
    cap = result.explained.lines[1]
    assert cap.label == "Avkortet til tildelt beløp" and cap.amount == K("-110400.00")
    assert "tilskuddsvedtaket" in cap.formula and "det meste som kan utbetales" in cap.formula
    assert result.explained.total == result.capped - result.paid
    exact = settlement_2026(K(1200000), K(600000), K(1200000), ON)
    assert len(exact.explained.lines) == 2


def test_an_advance_larger_than_the_triggered_grant_is_clawed_back():
    result = settlement_2026(K(1200000), K(600000), K("450000.50"), ON)
    assert result.settlement == K("0.00")
    assert result.claw_back == K("149999.50")
    assert result.explained.total == K("-149999.50")
    assert any("kreves tilbake" in note for note in result.explained.notes)


def test_nothing_to_pay_or_claim_back():
    result = settlement_2026(K(1000), K(500), K(500), ON)
    assert result.settlement == result.claw_back == K("0.00")
    assert any("ingenting" in note for note in result.explained.notes)


def test_an_advance_that_is_not_the_share_is_noted_and_used_as_paid():
    result = settlement_2026(K(1000), K(0), K(800), ON)
    assert result.settlement == K("800.00")
    assert any("ikke 1/2 av tildelt beløp" in note for note in result.explained.notes)
    normal = settlement_2026(K(1000), K(500), K(800), ON)
    assert not any("ikke 1/2" in note for note in normal.explained.notes)


def test_advance_and_settlement_add_up_to_the_capped_grant():
    for granted, triggered in ((K(1000000), K("987654.33")), (K("999.99"), K(5000)),
                               (K("333333.33"), K(0))):
        advance = advance_2026(granted, ON)
        result = settlement_2026(granted, advance.total, triggered, ON)
        assert advance.total + result.settlement - result.claw_back == min(triggered, granted)


@pytest.mark.parametrize(("granted", "field"), [
    (K(-1), "granted"), (1.5, "granted"), (K("1.001"), "granted"), (K("NaN"), "granted"),
    (True, "granted"), ("100", "granted"), (K("1e20"), "granted"),
])
def test_bad_amounts_are_refused_by_name(granted, field):
    with pytest.raises(RuleError) as error:
        settlement_2026(granted, K(0), K(0), ON)
    assert error.value.field == field
    with pytest.raises(RuleError) as error:
        settlement_2026(K(0), granted, K(0), ON)
    assert error.value.field == "advance_paid"
    with pytest.raises(RuleError) as error:
        per_capita_period(granted, K(0), K(0), ON)
    assert error.value.field == "triggered"


def test_integers_are_kroner():
    assert settlement_2026(1000, 500, 700, ON).settlement == K("200.00")


# -- the per-capita pilot --------------------------------------------------------------------

def test_a_period_pays_what_it_triggers_within_the_grant():
    result = per_capita_period(K("150833.33"), K(900000), K(0), D(2024, 6, 30))
    assert isinstance(result, PeriodPayment)
    assert result.payment == K("150833.33") and not result.capped
    assert result.remaining == K("900000.00")
    assert [line.label for line in result.explained.lines] == [
        "Tilskudd utløst av deltakermånedene i perioden"]
    assert "30.06.2024" in result.explained.title
    assert any(PAYMENT_PER_CAPITA in note for note in result.explained.notes)


def test_a_period_is_capped_at_what_remains_of_the_grant():
    result = per_capita_period(K(410500), K(900000), K(560000), D(2024, 10, 31))
    assert result.remaining == K("340000.00") and result.payment == K("340000.00")
    assert result.capped and result.explained.total == result.payment
    cap = result.explained.lines[1]
    assert cap.amount == K("-70500.00")
    assert "tilskuddsvedtakets beløp er det meste som kan utbetales" in cap.formula
    assert "gjenstår 340\u00a0000\u00a0kr" in cap.formula


def test_nothing_remains_when_more_than_the_grant_is_paid_before():
    result = per_capita_period(K(1000), K(900), K(950), D(2024, 10, 31))
    assert result.remaining == K("0.00") and result.payment == K("0.00")
    assert result.explained.total == K("0.00")
    assert "ingenting gjenstår" in result.explained.lines[1].formula


def test_the_two_periods_never_pay_more_than_the_grant():
    granted = K(500000)
    first = per_capita_period(K(300000), granted, K(0), D(2024, 6, 30))
    second = per_capita_period(K(300000), granted, first.payment, D(2024, 10, 31))
    assert first.payment + second.payment == granted
    assert second.payment == K("200000.00")


# -- two terms -------------------------------------------------------------------------------

def test_two_terms_spring_and_autumn():
    result = terms(K(800000), 2025, D(2025, 1, 1))
    assert list(result) == [Term("vår", D(2025, 3, 1), K("400000.00")),
                            Term("høst", D(2025, 9, 1), K("400000.00"))]
    assert len(result) == 2 and result[0].label == "vår"
    assert result.explained.total == K("800000.00")
    assert [line.label for line in result.explained.lines] == ["Vår: forfaller 01.03.2025",
                                                               "Høst: forfaller 01.09.2025"]
    for line in result.explained.lines:
        assert {p.name for p in line.parameters} == {"finance.terms.shares",
                                                     "finance.terms.due"}
    assert any(PAYMENT_TERMS in note for note in result.explained.notes)


@pytest.mark.parametrize("granted", [K("0.01"), K("0.03"), K("100000.01"), K("999999.99"),
                                     K(0), K("1234567.89")])
def test_the_terms_sum_exactly_to_the_grant(granted):
    result = terms(granted, 2018, D(2018, 1, 1))
    assert sum(term.amount for term in result) == granted
    assert result.explained.total == granted
    assert abs(result[0].amount - result[1].amount) <= K("0.01")


def test_the_last_term_takes_the_rounding_remainder_and_says_so():
    result = terms(K("100000.01"), 2025, D(2025, 1, 1))
    assert [t.amount for t in result] == [K("50000.01"), K("50000.00")]
    assert "resten" in result.explained.lines[1].formula
    assert "resten" not in terms(K(100), 2025, D(2025, 1, 1)).explained.lines[1].formula


def _params_with(shares: str, due: str) -> Parameters:
    """The default parameters with other term shares and due dates (as JSON lists)."""
    base = default_parameters()
    found = {name: base.parameter(name) for name in base.names()}
    for name, raw in (("finance.terms.shares", shares), ("finance.terms.due", due)):
        old = found[name]
        period = replace(old.periods[0], value=tuple(json.loads(raw)), display=raw)
        found[name] = replace(old, periods=(period,))
    return Parameters(found)


def test_three_shares_of_a_third_sum_to_the_grant():
    params = _params_with('["1/3", "1/3", "1/3"]', '["03-01", "06-01", "09-01"]')
    result = terms(K(100), 2025, D(2025, 1, 1), params=params)
    assert [t.amount for t in result] == [K("33.33"), K("33.33"), K("33.34")]
    assert [t.label for t in result] == ["vår", "vår", "høst"]


@pytest.mark.parametrize(("shares", "due", "field"), [
    ('["1/2", "1/3"]', '["03-01", "09-01"]', "finance.terms.shares"),
    ('["x", "1/2"]', '["03-01", "09-01"]', "finance.terms.shares"),
    ('["1/2", "1/2"]', '["03-01"]', "finance.terms.due"),
    ('["1/2", "1/2"]', '["09-01", "03-01"]', "finance.terms.due"),
    ('["1/2", "1/2"]', '["02-30", "09-01"]', "finance.terms.due"),
])
def test_bad_term_parameters_are_refused(shares, due, field):
    with pytest.raises(RuleError) as error:
        terms(K(100), 2025, D(2025, 1, 1), params=_params_with(shares, due))
    assert error.value.field == field


@pytest.mark.parametrize("year", [1899, 2101, True, "2025"])
def test_a_bad_grant_year_is_refused(year):
    with pytest.raises(RuleError) as error:
        terms(K(100), year, D(2025, 1, 1))
    assert error.value.field == "grant_year"


def test_terms_before_2018_have_no_rule():
    with pytest.raises(MissingValue):
        terms(K(100), 2017, D(2017, 1, 1))


# -- the command line ------------------------------------------------------------------------

def _cli(doc: dict, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["-", *args], stdin=io.StringIO(json.dumps(doc)), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_both_calculations_are_registered_with_an_example():
    for name in ("settlement_2026", "per_capita_period"):
        assert name in cli.CALCULATIONS
        assert (ROOT / "rules" / "examples" / f"{name}.json").exists()


def test_the_settlement_example_on_the_command_line():
    doc = json.loads((ROOT / "rules" / "examples" / "settlement_2026.json").read_text("utf-8"))
    code, out, err = _cli(doc, "--json")
    assert code == 0, err
    [result] = json.loads(out)
    assert result["verdict"] == {"triggered": "1310400.00", "capped": "1200000.00",
                                 "paid": "600000.00", "settlement": "600000.00",
                                 "claw_back": "0.00", "repayment": False}
    assert result["total"] == "600000.00"
    code, text, _err = _cli({**doc, "advance_paid": 700000, "triggered": 500000})
    assert code == 0 and "kreves tilbake" in text and "Avkortet" not in text


def test_the_per_capita_period_example_on_the_command_line():
    doc = json.loads((ROOT / "rules" / "examples" / "per_capita_period.json").read_text(
        "utf-8"))
    code, out, err = _cli(doc, "--json")
    assert code == 0, err
    [result] = json.loads(out)
    assert result["verdict"] == {"triggered": "410500.00", "remaining": "340000.00",
                                 "payment": "340000.00", "capped": True}


def test_a_settlement_dated_before_2026_names_the_date():
    code, _out, err = _cli({"calculation": "settlement_2026", "granted": 1, "advance_paid": 0,
                            "triggered": 1, "on": "2025-11-20"})
    assert code == 2 and err.startswith("Feil i on:")
