"""The accounts of a grant report (rules/accounts.py): sums checked, differences that must
be explained, unused funds stated — from the rules' dated parameters."""

import datetime
from decimal import Decimal as D

from rules.accounts import LINES, AccountsFacts, accounts_check
from rules.findings import Severity
from rules.reporting import schedule_parameters

ON = datetime.date(2026, 12, 31)
BUDGET = {"staff": D(600_000), "measures": D(250_000), "premises": D(100_000),
          "other": D(50_000)}


def facts(**changes) -> AccountsFacts:
    values = {"on": ON, "budget": BUDGET, "actual": dict(BUDGET), "grant_received": D(800_000),
              "grant_used": D(800_000), "own_financing": D(200_000), "other_funding": D(0),
              "own_financing_promised": D(200_000)}
    values.update(changes)
    return AccountsFacts(**values)


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_accounts_that_follow_the_budget_have_no_findings_and_their_sums():
    result = accounts_check(facts())
    assert codes(result) == []
    assert result.budget_total == result.actual_total == result.financing_total == D(1_000_000)
    assert result.unused == 0 and result.own_share == D("0.2")
    assert [line.line for line in result.lines] == list(LINES)
    assert all(line.difference == 0 and not line.beyond for line in result.lines)


def test_costs_that_are_not_their_financing_block_with_both_sums():
    result = accounts_check(facts(other_funding=D(1)))
    [finding] = result.findings
    assert finding.code == "accounts_unbalanced" and finding.severity == Severity.BLOCKS
    assert "1 000 000 kr" in plain(finding.message)
    assert "1 000 001 kr" in plain(finding.message)
    assert result.blocks


def test_more_grant_used_than_received_blocks():
    result = accounts_check(facts(grant_used=D(900_000), own_financing=D(100_000)))
    assert "accounts_grant_overspent" in codes(result)
    assert result.unused == D(-100_000)


def test_low_own_financing_and_a_line_off_budget_need_an_explanation_or_block():
    actual = {**BUDGET, "staff": D(700_000)}  # 16,7 % over the staff line
    result = accounts_check(facts(actual=actual, grant_used=D(800_000),
                                  own_financing=D(200_000), other_funding=D(100_000)))
    assert codes(result) == ["accounts_own_financing", "accounts_line_deviation",
                             "accounts_unexplained"]
    assert result.blocks
    explained = accounts_check(facts(actual=actual, own_financing=D(200_000),
                                     other_funding=D(100_000),
                                     explanation="Ny stilling fra mars."))
    assert codes(explained) == ["accounts_own_financing", "accounts_line_deviation"]
    assert not explained.blocks
    staff = explained.lines[0]
    assert staff.difference == D(100_000) and staff.beyond


def test_the_deviation_limit_is_the_dated_parameter_and_its_edge_is_allowed():
    limit = schedule_parameters().get("reporting.accounts_deviation_share", ON)
    assert limit.value == D("0.1") and "arbeidsvalg" in limit.source
    edge = {**BUDGET, "staff": D(660_000)}  # exactly 10 % over: allowed
    result = accounts_check(facts(actual=edge, own_financing=D(260_000)))
    assert codes(result) == []


def test_a_cost_on_a_line_without_budget_must_be_explained():
    actual = {**BUDGET, "other": D(0), "premises": D(150_000)}
    result = accounts_check(facts(budget={**BUDGET, "premises": D(0), "other": D(150_000)},
                                  actual=actual))
    assert "accounts_line_deviation" in codes(result)


def test_unused_grant_is_stated_with_the_amount():
    result = accounts_check(facts(grant_used=D(750_000), own_financing=D(250_000)))
    [finding] = result.findings
    assert finding.code == "accounts_unused" and finding.severity == Severity.INFORMATION
    assert "50 000 kr" in plain(finding.message) and result.unused == D(50_000)
