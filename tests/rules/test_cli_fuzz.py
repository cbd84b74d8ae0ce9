"""The command line never shows a traceback (issue 10): random and hostile JSON — wrong
types, missing fields, NaN and Infinity, huge and negative numbers, nested junk, documents
that are not objects, text that is not JSON or not UTF-8 — fed to every calculation gives
exit code 2 and exactly one line on standard error that names the field at fault.

The property tests call ``rules.cli.main`` in-process (fast); a few cases run the real
``python -m rules`` in a subprocess, from a file and from standard input."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {p.stem: json.loads(p.read_text("utf-8"))
            for p in sorted((ROOT / "rules" / "examples").glob("*.json"))}
# RULES_FUZZ_EXAMPLES=5000 for a longer run.
FUZZ = settings(max_examples=int(os.environ.get("RULES_FUZZ_EXAMPLES", "300")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def run_text(text: str | bytes, *args: str) -> tuple[int, str, str]:
    """main() on a document given on standard input."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["-", *args], stdin=stdin, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def run_doc(doc, *args: str) -> tuple[int, str, str]:
    return run_text(json.dumps(doc, allow_nan=True), *args)


def assert_refused(code: int, err: str, field: str | None = None) -> str:
    """Exit 2, one line, no traceback; the line names ``field`` (or a field inside it)."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert code == 2, (code, err)
    assert len(lines) == 1 and err.endswith("\n"), err
    line = lines[0]
    assert line.startswith("Feil"), line
    if field is not None:
        assert line.startswith(f"Feil i {field}") and line[len(f"Feil i {field}")] in ":.[", \
            (field, line)
    return line


# -- every example has every field refused in turn ------------------------------------------

def _leaves(value, path=""):
    """(path, value) of every value in a document, containers included, as the CLI names
    them: participants[0].months[1], rates.start_with_g, absence_hours.2018-06."""
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")


def _replace(doc, path: str, new, *, delete: bool = False):
    doc = copy.deepcopy(doc)
    target, steps = doc, []
    for part in path.replace("[", ".[").split("."):
        steps.append(int(part[1:-1]) if part.startswith("[") else part)
    for step in steps[:-1]:
        target = target[step]
    if delete:
        del target[steps[-1]]
    else:
        target[steps[-1]] = new
    return doc


NOT_A_NUMBER = [float("nan"), float("inf"), float("-inf"), 10**30, -(10**30), -1, -0.5, 1e-9,
                1e300]
WRONG = {
    str: [None, 0, 1.5, True, [], {}, ["x"], {"a": 1}, ""],
    bool: [None, 0, 1, "true", "", [], {}, [True]],
    int: [None, "x", "1,5", "١", "NaN", True, [], {}, [1], *NOT_A_NUMBER],
    float: [None, "x", "1,5", "١", "NaN", True, [], {}, [1], *NOT_A_NUMBER],
    list: [None, 0, "x", True, {}, {"a": []}, [[["deep"]]], [None], [0], ["x"]],
    dict: [None, 0, "x", True, [], [{}], {"a": {"b": [1, None]}}],
}
MUTATIONS = [(name, path, new) for name, doc in EXAMPLES.items()
             for path, value in _leaves(doc) for new in WRONG[type(value)]]


@pytest.mark.parametrize(("name", "path", "new"), MUTATIONS,
                         ids=[f"{n}:{p}={json.dumps(v, allow_nan=True)[:20]}"
                              for n, p, v in MUTATIONS])
def test_every_field_of_every_example_refuses_wrong_values(name, path, new):
    code, _out, err = run_doc(_replace(EXAMPLES[name], path, new))
    assert_refused(code, err, path)


@pytest.mark.parametrize(("name", "path"), [(n, p) for n, doc in EXAMPLES.items()
                                            for p, _v in _leaves(doc)])
def test_a_missing_field_is_named_or_not_needed(name, path):
    """Refused, the line names the missing field — or, where the field had a default that
    changes the case (the allowance model), the field the default cannot be used with."""
    doc = _replace(EXAMPLES[name], path, None, delete=True)
    code, _out, err = run_doc(doc)
    if code == 0:
        assert not err
    else:
        line = assert_refused(code, err)
        named = line.removeprefix("Feil i ").split(":")[0]
        assert named == path or named in {p for p, _v in _leaves(doc)}, line


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_unknown_field_is_named(name):
    code, _out, err = run_doc({**EXAMPLES[name], "granetd": 1})
    assert_refused(code, err, "granetd")


@pytest.mark.parametrize("doc", [[], [{}], 1, "x", None, True, float("nan"), {}])
def test_a_document_that_is_not_an_object_with_a_calculation(doc):
    code, _out, err = run_doc(doc)
    line = assert_refused(code, err)
    assert "calculation" in line or "objekt" in line


@pytest.mark.parametrize("text", [
    "", "{oops", "{'a': 1}", "[" * 100_000, "1" * 5000, '{"calculation": "deadline"',
    "\ufeff{}", '{"a": "\\ud800"}', "NaN", '{"calculation": "national_id", "number": "١٢"}',
])
def test_text_that_is_not_a_usable_json_document(text):
    code, _out, err = run_text(text)
    assert_refused(code, err)


def test_bytes_that_are_not_utf8():
    code, _out, err = run_text(b'{"calculation": "\xff"}')
    assert "UTF-8" in assert_refused(code, err)


# -- random documents ------------------------------------------------------------------------

KEYS = sorted({path.split(".")[-1].split("[")[0] for doc in EXAMPLES.values()
               for path, _v in _leaves(doc)} | {"allow_synthetic", "applied_for", "pilot_transfer",
                                                 "development_grant", "social_assistance",
                                                 "in_qualification_programme", "end_date"}
              - {"calculation"})
DATES = st.sampled_from(["2026-01-01", "2026-02-30", "0001-01-01", "9999-12-31", "2026-13-01",
                         "٢٠٢٦-٠١-٠١", "2026-01-01T00:00", "2026-02-25T23:30:00+01:00", "2026-05",
                         "2018-06", "1899-12", "2026-W01-1", "20260101"])
scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | DATES | st.sampled_from([10**30, -(10**30), 10**400, -1, 0, 1e308, "NaN", "1e999"]))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | DATES | st.text(max_size=5), inner, max_size=4),
    max_leaves=12)
documents = st.sampled_from(cli.CALCULATIONS).flatmap(lambda name: st.fixed_dictionaries(
    {"calculation": st.just(name)},
    optional={key: json_values for key in cli._CALCULATIONS[name].fields}))


@FUZZ
@given(documents, st.booleans())
def test_random_documents_for_every_calculation(doc, as_json):
    code, out, err = run_doc(doc, *(["--json"] if as_json else []))
    assert "Traceback" not in err
    if code == 0:
        assert not err and out
        if as_json:
            json.loads(out)
    else:
        assert_refused(code, err)


@FUZZ
@given(st.sampled_from(sorted(EXAMPLES)), st.data())
def test_random_junk_in_one_field_of_a_valid_document(name, data):
    paths = [p for p, _v in _leaves(EXAMPLES[name])]
    path = data.draw(st.sampled_from(paths))
    new = data.draw(json_values)
    code, _out, err = run_doc(_replace(EXAMPLES[name], path, new))
    assert "Traceback" not in err
    if code != 0:
        line = assert_refused(code, err)
        assert line.startswith("Feil i "), line


@FUZZ
@given(st.text(max_size=60) | st.binary(max_size=60))
def test_any_text_or_bytes(text):
    code, _out, err = run_text(text)
    assert "Traceback" not in err
    if code != 0:
        assert_refused(code, err)


# -- the real command, in a subprocess --------------------------------------------------------

def _subprocess(*args: str, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "rules", *args], input=stdin,
                          capture_output=True, cwd=ROOT)


def test_subprocess_from_a_file_with_nan_and_a_huge_number(tmp_path):
    path = tmp_path / "case.json"
    path.write_text('{"calculation": "part_b_2018", "year": 2018, "position_cost": NaN, '
                    '"participant_months": 1' + "0" * 40 + "}", "utf-8")
    result = _subprocess(str(path))
    err = result.stderr.decode("utf-8")
    assert_refused(result.returncode, err, "position_cost")


@pytest.mark.parametrize(("stdin", "field"), [
    (b'{"calculation": "allowance", "month": "2026-05", "absence_hours": -3}', "absence_hours"),
    (b'{"calculation": "jobbsjansen_2026", "rates": [], "participants": []}', "rates"),
    (b"[" * 50_000, None),
    (b"\xff\xfe", None),
])
def test_subprocess_from_standard_input(stdin, field):
    result = _subprocess("-", "--json", stdin=stdin)
    err = result.stderr.decode("utf-8")
    assert_refused(result.returncode, err, field)
    assert not result.stdout
