"""``--json`` carries machine-readable verdicts (issue 10): findings with code, severity
and source; a deadline's in_time; a goal share; amounts as strings, never floats."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from rules import cli

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "rules" / "examples").glob("*.json"))


def _json(doc) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["-", "--json"], stdin=io.StringIO(json.dumps(doc)), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def _example(name: str) -> dict:
    return json.loads(next(p for p in EXAMPLES if p.stem == name).read_text("utf-8"))


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_floats_anywhere_and_every_result_has_a_verdict(example):
    results = _json(json.loads(example.read_text("utf-8")))
    assert not [v for v in _walk(results) if isinstance(v, float)]
    for result in results:
        assert result["calculation"] == example.stem
        assert result["verdict"], result
        assert isinstance(result["findings"], list)
        for line in result["lines"]:
            assert Decimal(line["amount"]) == Decimal(line["amount"]).quantize(Decimal("0.01"))


@pytest.mark.parametrize(("signed_at", "in_time"), [
    ("2026-02-25T23:59:59+01:00", True), ("2026-02-26T00:00:00+01:00", False),
    ("2026-02-25T22:59:59Z", True), ("2026-02-25T23:00:00Z", False),
])
def test_a_deadline_says_in_time(signed_at, in_time):
    [result] = _json({"calculation": "deadline", "deadline": "2026-02-25",
                      "signed_at": signed_at})
    assert result["verdict"]["in_time"] is in_time
    assert result["verdict"]["deadline_ends_at"] == "2026-02-26T00:00:00+01:00"


def test_a_goal_share_is_a_string_with_its_counts():
    [result] = _json(_example("goal_achievement"))
    verdict = result["verdict"]
    assert verdict["share"] == "0.6667"
    assert (verdict["achieved"], verdict["counted"], verdict["excluded"]) == (2, 3, 1)
    assert verdict["meets_criterion"] is False and verdict["criterion"] == "0.7000"
    [empty] = _json({"calculation": "goal_achievement", "year": 2026, "ended": []})
    assert empty["verdict"]["share"] is None and empty["verdict"]["meets_criterion"] is None


def test_findings_carry_code_severity_and_source():
    [result] = _json(_example("application"))
    assert {f["code"] for f in result["findings"]} == {"too_few_places", "own_financing",
                                                       "result_goals"}
    for finding in result["findings"]:
        assert finding["severity"] == "blocks"
        assert finding["source"] and finding["message"]
    assert result["verdict"]["blocks"] is True
    assert result["total"] is None and result["lines"] == []
    [target] = _json(_example("target_group"))
    assert {(f["code"], f["severity"]) for f in target["findings"]} == {
        ("introduction_recent", "blocks"), ("transitional_benefit", "information")}


def test_findings_are_not_repeated_as_notes():
    [result] = _json(_example("application"))
    assert not any("BLOKKERER" in note for note in result["notes"])


def test_grant_amounts_are_strings_by_month_and_part():
    grant, advance, settlement = _json(_example("jobbsjansen_2026"))
    assert grant["part"] == "grant" and grant["total"] == "90415.00"
    assert grant["verdict"]["by_month"] == {"2026-01": "20083.00", "2026-02": "35166.00",
                                            "2026-03": "35166.00"}
    assert grant["verdict"]["example_rates"] is True
    assert advance["verdict"]["amount"] == "200000.00"
    assert settlement["verdict"] == {"amount": "-109585.00", "repayment": True}
    rate = grant["lines"][0]["parameters"][0]
    assert rate["name"] == "round.rate_start_with_g" and rate["value"] == "15083"


def test_allowance_and_national_id_verdicts():
    [month] = _json(_example("allowance"))
    assert month["verdict"] == {"month": "2026-05", "gross": "11379.08",
                                "absence_reduction": "1107.15", "net": "9071.93",
                                "needs_formal_decision": False}
    [number] = _json(_example("national_id"))
    assert number["verdict"] == {"valid": True, "kind": "fodselsnummer", "synthetic": False,
                                 "masked": "******99997"}
