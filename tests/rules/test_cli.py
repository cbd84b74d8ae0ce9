import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "rules" / "examples").glob("*.json"))


def _run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "rules", *args], input=stdin,
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_as_text_and_json(example):
    text = _run(str(example))
    assert text.returncode == 0, text.stderr
    as_json = json.loads(_run(str(example), "--json").stdout)
    for result in as_json:
        if result["lines"]:
            assert sum(Decimal(line["amount"]) for line in result["lines"]) == Decimal(
                result["total"])
        else:  # a check (findings, a deadline, a share), not an amount
            assert result["total"] is None


@pytest.mark.parametrize(("document", "field"), [
    ({"calculation": "allowance", "month": "2026-13"}, "month"),
    ({"calculation": "part_b_2018", "year": 2018, "position_cost": "x",
      "participant_months": 2}, "position_cost"),
    ({"calculation": "per_capita_2024",
      "participants": [{"id": "a", "start_date": "x", "months": ["2024-01"]}]},
     "participants[0].start_date"),
    ({"calculation": "nothing"}, "calculation"),
    ({"calculation": "allowance", "model": "x", "month": "2026-05"}, "model"),
    ({"calculation": "goal_achievement", "year": 2026, "ended": [
        {"end_date": "2026-01-01", "end_reason": "a", "transition": "job"}]},
     "ended[0].transition"),
    ({"calculation": "national_id", "number": "12345678901"}, "number"),
])
def test_bad_input_names_the_field_without_a_traceback(document, field):
    result = _run("-", stdin=json.dumps(document))
    assert result.returncode == 2
    assert f"Feil i {field}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_json_is_reported_with_its_position():
    result = _run("-", stdin="{oops")
    assert result.returncode == 2 and "linje 1" in result.stderr
