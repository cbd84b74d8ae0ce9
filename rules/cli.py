"""Command line: read a JSON case, print the result with its explanation.

    uv run python -m rules case.json            # text
    uv run python -m rules case.json --json     # JSON
    cat case.json | uv run python -m rules -

The document's "calculation" says what to compute; examples are in the README and in
rules/examples/. Bad input gets one line naming the field, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .allowance import (
    AllowanceModel,
    Deduction,
    DeductionKind,
    Participant,
    allowance_plan,
    monthly_allowance,
)
from .calendar_util import Month
from .errors import RuleError
from .explain import Explained
from .grants.jobbsjansen_2026 import MonthlyRates, grant_2026, payments_2026
from .grants.part_b_2018 import PartBInput, grant_part_b_2018
from .grants.per_capita_2024 import grant_per_capita_2024
from .grants.places import PlaceUser
from .identifiers import IdKind, InvalidIdNumber, validate_national_id
from .text import join, percent, plural


def _get(doc: dict, key: str, path: str, kind=None, default=...):
    if key not in doc:
        if default is not ...:
            return default
        raise RuleError("is missing.", field=f"{path}{key}")
    value = doc[key]
    field = f"{path}{key}"
    try:
        if kind is Decimal:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise TypeError
            return Decimal(str(value))
        if kind is datetime.date:
            return datetime.date.fromisoformat(value)
        if kind is bool:
            if not isinstance(value, bool):
                raise TypeError
            return value
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if kind is list and not isinstance(value, list):
            raise TypeError
    except (TypeError, ValueError, InvalidOperation):
        expected = {Decimal: "a number", datetime.date: "a date (YYYY-MM-DD)", bool: "true or "
                    "false", int: "a whole number", list: "a list"}[kind]
        raise RuleError(f"must be {expected}, not {value!r}.", field=field) from None
    return value


def _choice(enum, doc: dict, key: str, path: str = "", default=...):
    """An enum value from the document, or a RuleError listing the allowed values."""
    value = _get(doc, key, path, default=default)
    try:
        return enum(value)
    except ValueError:
        raise RuleError(f"must be one of {', '.join(enum)}.", field=f"{path}{key}") from None


def _users(doc: dict) -> list[PlaceUser]:
    users = []
    for index, item in enumerate(_get(doc, "participants", "", list)):
        path = f"participants[{index}]."
        months = frozenset(Month.parse(m, field=f"{path}months") for m in _get(
            item, "months", path, list))
        users.append(PlaceUser(str(_get(item, "id", path)), _get(item, "start_date", path,
                               datetime.date), _get(item, "with_g", path, bool), months))
    return users


def _participant(doc: dict) -> Participant:
    model = _choice(AllowanceModel, doc, "model", default="jobbsjansen")
    birth = _get(doc, "birth_date", "", datetime.date, default=None)
    return Participant(model, birth, _get(doc, "living_with_parent", "", bool, default=False),
                       _get(doc, "on_transitional_benefit", "", bool, default=False))


def _deductions(items: list, path: str) -> tuple[Deduction, ...]:
    result = []
    for index, item in enumerate(items):
        here = f"{path}[{index}]."
        kind = _choice(DeductionKind, item, "kind", here)
        result.append(Deduction(kind, _get(item, "amount", here, Decimal)))
    return tuple(result)


def run(doc: dict) -> list[Explained]:
    if not isinstance(doc, dict):
        raise RuleError("The document must be a JSON object.")
    calculation = _get(doc, "calculation", "")
    if calculation == "jobbsjansen_2026":
        rates_doc = _get(doc, "rates", "")
        rates = MonthlyRates(*(
            _get(rates_doc, name, "rates.", Decimal, default=None)
            for name in ("start_with_g", "start_without_g", "base_with_g", "base_without_g")
        ), source=_get(rates_doc, "source", "rates.", default=""),
            example=_get(rates_doc, "example", "rates.", bool, default=False))
        result = grant_2026(_users(doc), rates)
        out = [result.explained]
        if "granted" in doc:
            payments = payments_2026(granted=_get(doc, "granted", "", Decimal), actual=result)
            out += [payments.advance, payments.settlement]
        return out
    if calculation == "per_capita_2024":
        return [grant_per_capita_2024(_users(doc)).explained]
    if calculation == "part_b_2018":
        return [grant_part_b_2018(PartBInput(
            year=_get(doc, "year", "", int),
            position_cost=_get(doc, "position_cost", "", Decimal),
            participant_months=_get(doc, "participant_months", "", int),
            applied_for=_get(doc, "applied_for", "", Decimal, default=None),
        ))]
    if calculation == "allowance":
        month = Month.parse(_get(doc, "month", ""), field="month")
        return [monthly_allowance(
            _participant(doc), month,
            absence_hours=_get(doc, "absence_hours", "", Decimal, default=Decimal(0)),
            deductions=_deductions(_get(doc, "deductions", "", list, default=[]), "deductions"),
        ).explained]
    if calculation == "allowance_plan":
        absence = {Month.parse(k, field="absence_hours"): Decimal(str(v))
                   for k, v in _get(doc, "absence_hours", "", default={}).items()}
        deductions = {Month.parse(k, field="deductions"): _deductions(v, f"deductions.{k}")
                      for k, v in _get(doc, "deductions", "", default={}).items()}
        plan = allowance_plan(_participant(doc), _get(doc, "start_date", "", datetime.date),
                              _get(doc, "end_date", "", datetime.date),
                              absence_hours=absence, deductions=deductions)
        summary = Explained("Utbetalingsplan for stønad")
        for month in plan.months:
            summary.add(str(month.month), month.net,
                        "enkeltvedtak kreves" if month.needs_formal_decision else "")
        return [summary]
    if calculation == "national_id":
        try:
            number = validate_national_id(
                _get(doc, "number", ""),
                allow_synthetic=_get(doc, "allow_synthetic", "", bool, default=False))
        except InvalidIdNumber as exc:
            raise RuleError(exc.message, field="number") from None
        kind = "D-nummer" if number.kind == IdKind.D_NUMBER else "fødselsnummer"
        result = Explained(f"{number.masked()}: gyldig {kind}"
                           + (" (syntetisk testnummer)" if number.synthetic else ""))
        return [result]
    if calculation in _CHECKS:
        return [_CHECKS[calculation](doc)]
    raise RuleError("must be one of " + ", ".join(CALCULATIONS) + ".", field="calculation")


SEVERITY_TEXT = {"blocks": "BLOKKERER", "needs_assessment": "MÅ VURDERES",
                 "information": "INFORMASJON"}


def _findings_report(title: str, findings) -> Explained:
    report = Explained(title)
    report.notes.extend(f"[{SEVERITY_TEXT[f.severity]}] {f.message} (kilde: {f.source})"
                        for f in findings)
    if not findings:
        report.notes.append("Ingen funn.")
    return report


def _target_group(doc: dict) -> Explained:
    from .eligibility import (
        IntroductionStatus,
        SocialAssistance,
        TargetGroupInput,
        target_group_findings,
    )

    data = TargetGroupInput(
        start_date=_get(doc, "start_date", "", datetime.date),
        birth_date=_get(doc, "birth_date", "", datetime.date, default=None),
        in_qualification_programme=_get(doc, "in_qualification_programme", "", bool,
                                        default=False),
        introduction=_choice(IntroductionStatus, doc, "introduction", default="never"),
        introduction_ended_on=_get(doc, "introduction_ended_on", "", datetime.date,
                                   default=None),
        on_transitional_benefit=_get(doc, "on_transitional_benefit", "", bool, default=False),
        social_assistance=_choice(SocialAssistance, doc, "social_assistance", default="none"),
    )
    return _findings_report("Målgruppe ved oppstart", target_group_findings(data))


def _duration(doc: dict) -> Explained:
    from .eligibility import latest_end_date

    result = latest_end_date(
        _get(doc, "start_date", "", datetime.date),
        extended=_get(doc, "extended", "", bool, default=False),
        lacks_literacy=_get(doc, "lacks_literacy", "", bool, default=False),
        pilot_transfer=_get(doc, "pilot_transfer", "", bool, default=False))
    report = Explained(f"Seneste sluttdato: {result.latest_end:%d.%m.%Y}")
    report.notes.extend(result.reasons)
    return report


def _application(doc: dict) -> Explained:
    from .conditions import ApplicationFacts, application_findings

    facts = ApplicationFacts(
        on=_get(doc, "round_date", "", datetime.date),
        places=_get(doc, "places", "", int, default=None),
        own_financing=_get(doc, "own_financing", "", Decimal),
        total_budget=_get(doc, "total_budget", "", Decimal),
        has_quantitative_goals=_get(doc, "has_quantitative_goals", "", bool),
        has_qualitative_goals=_get(doc, "has_qualitative_goals", "", bool),
        development_grant=_get(doc, "development_grant", "", bool, default=False))
    return _findings_report("Vilkår for søknaden", application_findings(facts))


def _deadline(doc: dict) -> Explained:
    from .conditions import signed_in_time

    raw = _get(doc, "signed_at", "")
    try:
        signed = datetime.datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        raise RuleError(f"must be a date and time with offset, not {raw!r}.",
                        field="signed_at") from None
    if signed.tzinfo is None:
        raise RuleError("needs a time-zone offset, e.g. 2026-02-25T23:59:00+01:00.",
                        field="signed_at")
    day = _get(doc, "deadline", "", datetime.date)
    ok = signed_in_time(signed, day)
    return Explained(f"Signert {signed.isoformat()}: {'innen' if ok else 'etter'} fristen "
                     f"{day:%d.%m.%Y} kl. 24.00 norsk tid")


def _goal(doc: dict) -> Explained:
    from .goals import Ended, Transition, end_reason_label, goal_achievement

    ended = []
    for index, item in enumerate(_get(doc, "ended", "", list)):
        path = f"ended[{index}]."
        transition = _choice(Transition, item, "transition", path)
        ended.append(Ended(_get(item, "end_date", path, datetime.date),
                           str(_get(item, "end_reason", path)), transition))
    result = goal_achievement(ended, _get(doc, "year", "", int))
    share = "–" if result.share is None else percent(result.share)
    report = Explained(f"Måloppnåelse: {share} ({result.achieved} av {result.counted})")
    reasons = join((end_reason_label(code) for code in result.excluded_reasons), "eller")
    report.notes.append(f"Kriterium: minst {percent(result.criterion, 0)}. Holdt utenfor: "
                        f"{plural(result.excluded, 'deltaker', 'deltakere')} som avsluttet "
                        f"av en årsak som ikke telles med ({reasons}).")
    return report


_CHECKS = {"target_group": _target_group, "duration": _duration, "application": _application,
           "deadline": _deadline, "goal_achievement": _goal}
CALCULATIONS = ("jobbsjansen_2026", "per_capita_2024", "part_b_2018", "allowance",
                "allowance_plan", "national_id", *_CHECKS)


def main(argv: list[str] | None = None, *, stdin=None, stdout=None, stderr=None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m rules", description=__doc__.split("\n")[0])
    parser.add_argument("file", help="JSON document, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    try:
        text = stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        doc = json.loads(text)
        results = run(doc)
    except OSError as exc:
        print(f"Feil: kan ikke lese {args.file}: {exc.strerror}", file=stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"Feil: ugyldig JSON på linje {exc.lineno}, kolonne {exc.colno}: {exc.msg}",
              file=stderr)
        return 2
    except RuleError as exc:
        print(f"Feil i {exc.field}: {exc.message}" if exc.field else f"Feil: {exc.message}",
              file=stderr)
        return 2
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2),
              file=stdout)
    else:
        print("\n\n".join(r.as_text() for r in results), file=stdout)
    return 0
