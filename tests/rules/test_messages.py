"""The rules core's findings read in bokmål, nynorsk and English (issue 10): every code has
all three texts in rules/messages.py, each renders with the values the finding carries,
nynorsk is real nynorsk, English is English, and ``message`` stays the bokmål text."""

import ast
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from rules import cli
from rules.accounts import AccountsFacts, accounts_check
from rules.conditions import ApplicationFacts, Eligibility, application_findings, may_apply
from rules.eligibility import (
    IntroductionStatus,
    SocialAssistance,
    TargetGroupInput,
    target_group_findings,
)
from rules.findings import Finding, Severity
from rules.messages import EXAMPLE_PARAMS, LANGUAGES, MESSAGES, language, render
from rules.text import NBSP

RULES = Path(__file__).resolve().parents[2] / "rules"
EXAMPLES = sorted((RULES / "examples").glob("*.json"))
D = datetime.date

# Bokmål words that have a different nynorsk form: none may be left in a nynorsk text.
BOKMAL_ONLY = re.compile(
    r"\b(ikke|ble|blitt|være|siden|fra|hentes|bare|nevnt|mangler|tidligste|kommunene|hun|"
    r"deltakeren|deltakere|plasser|mottar|deltar|tillatt|ukjent|samlede|egenfinansieringen|"
    r"et|utlysningen|søke|hva|målgruppen|avsluttet|vurderes)\b", re.IGNORECASE)
NORWEGIAN_ONLY = re.compile(r"\b(ikke|ikkje|og|er|må|har|år|søknaden|deltakeren|deltakaren)\b",
                            re.IGNORECASE)


def _codes_in_the_rules_core() -> set[str]:
    """The first argument of every Finding(...) call in rules/: the codes it can produce."""
    codes = set()
    for path in RULES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path}:{node.lineno}: code not a literal"
                codes.add(first.value)
    return codes


def _every_finding():
    for birth in (None, D(2010, 1, 1), D(1990, 1, 1), D(1960, 5, 5)):
        for intro in IntroductionStatus:
            for ended in (None, D(2025, 1, 1), D(2020, 1, 1)):
                for assistance in SocialAssistance:
                    for flag in (False, True):
                        yield from target_group_findings(TargetGroupInput(
                            D(2026, 3, 1), birth, flag, intro, ended, flag, assistance))
    for development in (False, True):
        for places in (None, 1, 3, 12):
            for own, total in ((1, 100), (0, 0), (150000, 1234567), (500, 1000)):
                for quantitative in (False, True):
                    for qualitative in (False, True):
                        yield from application_findings(ApplicationFacts(
                            D(2026, 2, 25), places, Decimal(own), Decimal(total), quantitative,
                            qualitative, development))
    for used, own, explanation in ((1000, 0, ""), (1200, 300, "Forklart."), (800, 250, "")):
        yield from accounts_check(AccountsFacts(
            D(2026, 12, 31), {"staff": Decimal(1000), "measures": Decimal(250)},
            {"staff": Decimal(used), "measures": Decimal(250)}, Decimal(1100), Decimal(used),
            Decimal(own), Decimal(0), explanation=explanation)).findings
    yield may_apply("municipality", "3301", Eligibility(frozenset({"municipality"}),
                                                        frozenset({"4202"})))
    yield may_apply("municipality", "3301", Eligibility(frozenset({"county"})))


def test_every_code_the_rules_core_makes_is_in_the_catalogue_and_no_other():
    made = _codes_in_the_rules_core()
    assert made == set(MESSAGES), (made ^ set(MESSAGES))
    assert {f.code for f in _every_finding()} == made  # and each is reached here


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_code_has_three_texts_that_render_with_its_values(code):
    assert set(MESSAGES[code]) == set(LANGUAGES)
    texts = {lang: render(code, lang, EXAMPLE_PARAMS.get(code, {})) for lang in LANGUAGES}
    for lang, text in texts.items():
        assert text.strip() and text == text.strip(), (lang, text)
        assert not re.search(r"[{}#]|None", text), (lang, text)
        assert text.endswith("."), (lang, text)
        assert "  " not in text, (lang, text)
    assert texts["nn"] != texts["nb"]
    assert texts["en"] != texts["nb"] and texts["en"] != texts["nn"]
    assert BOKMAL_ONLY.search(texts["nn"]) is None, (BOKMAL_ONLY.search(texts["nn"]), texts["nn"])
    assert NORWEGIAN_ONLY.search(texts["en"]) is None, texts["en"]
    assert not re.search("[æøå]", texts["en"].replace("Jobbsjansen", "")), texts["en"]


def test_a_missing_value_is_a_key_error():
    with pytest.raises(KeyError):
        render("age", "nn", {"age": 17})


def test_every_finding_made_reads_in_each_language_and_its_message_is_the_bokmal_text():
    seen = set()
    for finding in _every_finding():
        assert finding.message == finding.text("nb") == render(finding.code, "nb",
                                                               finding.params)
        texts = {lang: finding.text(lang) for lang in LANGUAGES}
        assert not any(re.search(r"[{}#]|None", t) for t in texts.values()), texts
        assert texts["nn"] != texts["nb"] and texts["en"] != texts["nb"]
        assert BOKMAL_ONLY.search(texts["nn"]) is None, texts["nn"]
        assert NORWEGIAN_ONLY.search(texts["en"]) is None, texts["en"]
        seen.add(finding.code)
    assert seen == set(MESSAGES)


def test_real_nynorsk():
    [kvp] = [f for f in target_group_findings(TargetGroupInput(
        D(2026, 3, 1), D(1990, 1, 1), in_qualification_programme=True)) if f.code == "kvp"]
    assert kvp.text("nn") == "Deltakarar i kvalifiseringsprogrammet (KVP) er ikkje i målgruppa."
    [age] = target_group_findings(TargetGroupInput(D(2026, 3, 1), D(2010, 1, 1)))
    assert age.text("nn") == "Deltakaren er 16 år ved oppstart. Målgruppa er 18–55 år."
    assert age.text("en") == ("The participant is 16 at the start. The target group is aged "
                              "18–55.")
    goals = next(f for f in application_findings(ApplicationFacts(
        D(2026, 2, 25), 12, Decimal(0), Decimal(0), True, False)) if f.code == "result_goals")
    assert goals.text("nn").startswith("Søknaden må ha både kvantitative og kvalitative")
    assert goals.text("nn").endswith("Det manglar kvalitative resultatmål.")
    assert goals.text("en").endswith("The qualitative ones are missing.")


def test_amounts_shares_and_dates_the_norwegian_way_in_every_language():
    [own] = [f for f in application_findings(ApplicationFacts(
        D(2026, 2, 25), 12, Decimal(150000), Decimal(1234567), True, True))]
    assert own.code == "own_financing"
    assert own.message == (f"Egenfinansieringen er 12,2{NBSP}% av budsjettet. Den må være "
                           f"minst 20{NBSP}% (246{NBSP}913{NBSP}kr).")
    assert own.text("nn") == (f"Eigenfinansieringa er 12,2{NBSP}% av budsjettet, men må vere "
                              f"minst 20{NBSP}% (246{NBSP}913{NBSP}kr).")
    assert own.text("en") == (f"Own financing is 12,2{NBSP}% of the budget. It must be at "
                              f"least 20{NBSP}% (246{NBSP}913{NBSP}kr).")
    [recent] = target_group_findings(TargetGroupInput(
        D(2026, 3, 1), D(1990, 1, 1), introduction=IntroductionStatus.ENDED,
        introduction_ended_on=D(2025, 1, 1)))
    assert recent.text("nn") == ("Introduksjonsprogrammet vart avslutta 01.01.2025. "
                                 "Tidlegaste oppstart er 01.01.2027 (2 år etter).")
    assert recent.text("en") == ("The introduction programme ended on 01.01.2025. The "
                                 "earliest start is 01.01.2027 (2 years later).")


def test_one_year_is_singular_in_english():
    text = render("introduction_ongoing", "en", {"years": Decimal(1)})
    assert "At least 1 year must" in text


@pytest.mark.parametrize(("places", "nb", "nn", "en"), [
    (3, "Prosjektet må ha minst 10 plasser (søknaden har 3).",
     "Prosjektet må ha minst 10 plassar (søknaden har 3).",
     "The project must have at least 10 places (the application has 3)."),
    (None, "Prosjektet må ha minst 10 plasser.", "Prosjektet må ha minst 10 plassar.",
     "The project must have at least 10 places."),
])
def test_too_few_places_with_and_without_a_count(places, nb, nn, en):
    [finding] = [f for f in application_findings(ApplicationFacts(
        D(2026, 2, 25), places, Decimal(1), Decimal(1), True, True))]
    assert (finding.message, finding.text("nn"), finding.text("en")) == (nb, nn, en)
    [development] = [f for f in application_findings(ApplicationFacts(
        D(2026, 2, 25), places, Decimal(1), Decimal(1), True, True, True))]
    assert "deltakarar" in development.text("nn") and "participants" in development.text("en")


@pytest.mark.parametrize(("given", "expected"), [
    ("nb", "nb"), ("nn", "nn"), ("en", "en"), ("nn-NO", "nn"), ("en_GB", "en"), ("EN", "en"),
    ("no", "nb"), ("de", "nb"), ("", "nb"), (None, "nb"),
])
def test_language_codes(given, expected):
    assert language(given) == expected


def test_an_unknown_language_reads_in_bokmal():
    [finding] = target_group_findings(TargetGroupInput(D(2026, 3, 1), D(2010, 1, 1)))
    assert finding.text("de") == finding.text(None) == finding.message


def test_a_finding_made_outside_the_catalogue_is_shown_as_its_message():
    other = Finding("measure_after_end", Severity.BLOCKS, "Tiltaket varer for lenge.", "Kilde")
    assert other.text("nn") == other.text("en") == "Tiltaket varer for lenge."
    # A catalogue code with a message of its own (not the catalogue's) keeps that message.
    own = Finding("age", Severity.BLOCKS, "Egen tekst.", "Kilde")
    assert own.text("en") == "Egen tekst." and not own.from_catalogue
    assert Finding("rates", Severity.BLOCKS, "", "Kilde").text("nn") == ""


def test_a_rewrapped_finding_keeps_its_code_and_values_and_so_its_translations():
    [finding] = target_group_findings(TargetGroupInput(D(2026, 3, 1), D(2010, 1, 1)))
    again = Finding(finding.code, Severity.NEEDS_ASSESSMENT, finding.message, finding.source,
                    finding.params)
    assert again.text("nn") == finding.text("nn") and again.text("en") == finding.text("en")


def test_findings_stay_hashable_and_compare_without_their_values():
    one = Finding("age", Severity.BLOCKS, source="S", params={"age": 16, "min_age": 18,
                                                               "max_age": 55})
    same = Finding("age", Severity.BLOCKS, one.message, "S", dict(one.params))
    assert one == same and hash(one) == hash(same) and len({one, same}) == 1
    values = {"age": 16, "min_age": 18, "max_age": 55}
    kept = Finding("age", Severity.BLOCKS, source="S", params=values)
    values["age"] = 99  # the finding keeps its own copy
    assert "16 år" in kept.message and kept.params["age"] == 16


def test_as_dict_adds_the_values_and_the_three_texts_without_floats():
    [finding] = [f for f in application_findings(ApplicationFacts(
        D(2026, 2, 25), 12, Decimal(150000), Decimal(1234567), True, True))]
    data = finding.as_dict()
    assert data["message"] == finding.message and data["code"] == "own_financing"
    assert data["messages"] == {lang: finding.text(lang) for lang in LANGUAGES}
    assert (data["params"]["share"], data["params"]["need"]) == ("0.2", "246913")
    assert Decimal(data["params"]["have"]) == Decimal(150000) / Decimal(1234567)
    json.dumps(data)
    plain = Finding("rates", Severity.BLOCKS, "Satsene mangler.", "Kilde").as_dict()
    assert plain == {"code": "rates", "severity": "blocks", "message": "Satsene mangler.",
                     "source": "Kilde"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_cli_json_carries_the_texts_in_each_language(example):
    out, err = io.StringIO(), io.StringIO()
    assert cli.main([str(example), "--json"], stdout=out, stderr=err) == 0, err.getvalue()
    for result in json.loads(out.getvalue()):
        for finding in result.get("findings", []):
            assert finding["messages"]["nb"] == finding["message"]
            assert set(finding["messages"]) == set(LANGUAGES)


def test_duration_reasons_read_in_each_language():
    import datetime as _dt

    from rules.eligibility import latest_end_date

    result = latest_end_date(_dt.date(2025, 1, 6), extended=True, lacks_literacy=True)
    nb, nn, en = (result.reason_texts(lang) for lang in ("nb", "nn", "en"))
    assert nb == result.reasons and len(nb) == len(nn) == len(en) >= 3
    assert "forlengelse" in nb[1] and "forlenging" in nn[1] and "extension" in en[1]
    assert "manglande" in nn[2] and "lacking" in en[2]


def test_every_finding_has_a_name_in_each_language():
    from rules.messages import MESSAGES, TITLES, title

    assert set(TITLES) == set(MESSAGES)
    for code in TITLES:
        assert all(title(code, lang) for lang in ("nb", "nn", "en"))
    assert title("unknown_code", "nb") is None
