"""Rules are cited to users by their public document ("Rundskriv 23-15067 §8.3",
"imdi.no: Tilskuddsmidler til Jobbsjansen 2026, «…»"), never by internal names such as
"Seed 000", "seed 002 §12" or file names (issue 10)."""

import ast
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from rules import cli
from rules.conditions import ApplicationFacts, Eligibility, application_findings, may_apply
from rules.eligibility import (
    IntroductionStatus,
    SocialAssistance,
    TargetGroupInput,
    target_group_findings,
)
from rules.params import default_parameters
from rules.sources import INTERNAL, is_public_citation

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "rules" / "examples").glob("*.json"))
D = datetime.date


@pytest.mark.parametrize("text", ["Seed 000 §Vilkår", "seed 002 §12.1", "grunnbeløp.json",
                                  "parameters.md", "as given in issue 4", ""])
def test_internal_names_are_not_citations(text):
    assert not is_public_citation(text)


def test_every_parameter_cites_a_public_document():
    params = default_parameters()
    for name in params.names():
        for period in params.parameter(name).periods:
            assert is_public_citation(period.source), (name, period.source)
            assert INTERNAL.search(period.cite()) is None, period.cite()


def _every_finding():
    yield from target_group_findings(TargetGroupInput(
        D(2026, 3, 1), None, in_qualification_programme=True,
        introduction=IntroductionStatus.ONGOING, on_transitional_benefit=True,
        social_assistance=SocialAssistance.ACTIVITY_CONDITION))
    yield from target_group_findings(TargetGroupInput(
        D(2026, 3, 1), D(2010, 1, 1), introduction=IntroductionStatus.UNKNOWN,
        social_assistance=SocialAssistance.VOLUNTARY))
    yield from target_group_findings(TargetGroupInput(
        D(2026, 3, 1), D(1990, 1, 1), introduction=IntroductionStatus.ENDED,
        introduction_ended_on=D(2025, 1, 1)))
    for development in (False, True):
        yield from application_findings(ApplicationFacts(
            D(2026, 2, 25), 3, Decimal(1), Decimal(100), False, False, development))
        yield from application_findings(ApplicationFacts(
            D(2026, 2, 25), None, Decimal(0), Decimal(0), True, False, development))
    yield may_apply("municipality", "3301", Eligibility(frozenset({"municipality"}),
                                                        frozenset({"4202"})))
    yield may_apply("municipality", "3301", Eligibility(frozenset({"county"})))


def test_every_finding_cites_a_public_document():
    codes = set()
    for finding in _every_finding():
        codes.add(finding.code)
        assert is_public_citation(finding.source), (finding.code, finding.source)
    assert len(codes) >= 12


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_internal_name_reaches_the_output(example):
    for extra in ([], ["--json"]):
        out, err = io.StringIO(), io.StringIO()
        assert cli.main([str(example), *extra], stdout=out, stderr=err) == 0, err.getvalue()
        assert INTERNAL.search(out.getvalue()) is None, INTERNAL.search(out.getvalue())
    for result in json.loads(out.getvalue()):
        for finding in result.get("findings", []):
            assert is_public_citation(finding["source"])


def _finding_sources_in(path: Path):
    """String constants in the source argument of Finding(...) calls in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
            source = node.args[3] if len(node.args) > 3 else next(
                (k.value for k in node.keywords if k.arg == "source"), None)
            for part in ast.walk(source) if source is not None else ():
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield node.lineno, part.value


def test_findings_made_outside_the_rules_core_cite_public_documents_too():
    """The Django apps make a few findings of their own (register/checks.py,
    applications/checks.py): their sources reach the same pages."""
    checked = 0
    for path in sorted(ROOT.glob("*/**/*.py")):
        if any(part in {".venv", "node_modules", "tests", "migrations"} for part in path.parts):
            continue
        for lineno, text in _finding_sources_in(path):
            checked += 1
            assert INTERNAL.search(text) is None, f"{path.relative_to(ROOT)}:{lineno}: {text}"
    assert checked >= 10
