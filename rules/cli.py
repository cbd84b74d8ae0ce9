"""Command line: read a JSON case, print the result with its explanation.

    uv run python -m rules case.json            # text
    uv run python -m rules case.json --json     # JSON
    cat case.json | uv run python -m rules -

The document's "calculation" says what to compute; examples are in the README and in
rules/examples/. Exit codes: 0 with the result on standard output; 2 when the input cannot
be used, with one line on standard error naming the field at fault ("Feil i
participants[0].start_date: …") — never a traceback. Every field is checked before any
rule runs: its type, that numbers are finite and within bounds (no negative amounts,
at most two decimals), dates within 1900–2100, and that no unknown field is given.

``--json`` prints a list with one object per result: the explanation (amounts as strings
in kroner with two decimals, never floats), the findings with code, severity and source,
and a ``verdict`` with the machine-readable answer (a deadline's ``in_time``, a goal
share, the totals by month).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
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
from .conditions import (
    OSLO,
    ApplicationFacts,
    application_findings,
    deadline_ends_at,
    signed_in_time,
)
from .eligibility import (
    IntroductionStatus,
    SocialAssistance,
    TargetGroupInput,
    latest_end_date,
    target_group_findings,
)
from .errors import RuleError
from .explain import Explained
from .findings import Finding, Severity
from .goals import Ended, Transition, end_reason_label, goal_achievement
from .grants.jobbsjansen_2026 import MonthlyRates, grant_2026, payments_2026
from .grants.part_b_2018 import PartBInput, grant_part_b_2018
from .grants.per_capita_2024 import PERIODS, grant_per_capita_2024
from .grants.places import PlaceUser
from .identifiers import IdKind, InvalidIdNumber, validate_national_id
from .params import MissingValue
from .settlement import per_capita_period, settlement_2026
from .text import join, kr, month_name, number, percent, plural

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MAX_AMOUNT = Decimal(10_000_000_000)  # kroner: far above any grant, far below overflow
MAX_HOURS = Decimal(744)  # the hours of the longest month
MAX_COUNT = 1_000_000
MAX_TEXT = 200
DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
MONTH_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})")
PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")
_MISSING = object()


def _show(value) -> str:
    """A value as JSON on one line, shortened: 'x', null, NaN, [1, 2]."""
    try:
        text = json.dumps(value, ensure_ascii=True, allow_nan=True)
    except (TypeError, ValueError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _key(key: str) -> str:
    return key if PLAIN_KEY.fullmatch(key) else _show(key)


class Doc:
    """One JSON object of the document, read field by field; every refusal names the field
    by its path in the document (``participants[0].start_date``)."""

    def __init__(self, value, path: str, allowed: tuple[str, ...]):
        if not isinstance(value, dict):
            raise RuleError(f"må være et objekt ({{…}}), ikke {_show(value)}.",
                            field=path or None)
        self.data, self.path = value, path
        for key in value:
            if key not in allowed:
                raise RuleError(f"er ikke et felt i denne beregningen (gyldige felt: "
                                f"{', '.join(allowed)}).", field=self.name(key))

    def name(self, key: str) -> str:
        key = _key(key)
        return f"{self.path}.{key}" if self.path else key

    def _raw(self, key: str, default):
        if key not in self.data:
            if default is _MISSING:
                raise RuleError("mangler.", field=self.name(key))
            return _MISSING
        return self.data[key]

    def _refuse(self, key: str, expected: str):
        raise RuleError(f"må være {expected}, ikke {_show(self.data[key])}.",
                        field=self.name(key))

    def text(self, key: str, default=_MISSING) -> str:
        value = self._raw(key, default)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            self._refuse(key, f"en tekst (1–{MAX_TEXT} tegn)")
        return value

    def boolean(self, key: str, default=_MISSING) -> bool:
        value = self._raw(key, default)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self._refuse(key, "true eller false")
        return value

    def integer(self, key: str, default=_MISSING, *, low: int = 0, high: int = MAX_COUNT
                ) -> int:
        value = self._raw(key, default)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self._refuse(key, f"et heltall fra {low} til {high}")
        return value

    def year(self, key: str) -> int:
        return self.integer(key, low=EARLIEST.year, high=LATEST.year)

    def number(self, key: str, default=_MISSING, *, high: Decimal = MAX_AMOUNT,
               what: str = "et beløp i kroner") -> Decimal:
        value = self._raw(key, default)
        if value is _MISSING:
            return default
        return _number(value, self.name(key), high=high, what=what)

    def date(self, key: str, default=_MISSING) -> datetime.date:
        value = self._raw(key, default)
        if value is _MISSING:
            return default
        return _date(value, self.name(key))

    def month(self, key: str) -> Month:
        return _month(self._raw(key, _MISSING), self.name(key))

    def choice(self, enum: type[StrEnum], key: str, default=_MISSING):
        value = self._raw(key, default)
        if value is _MISSING:
            return enum(default)
        if isinstance(value, str):
            try:
                return enum(value)
            except ValueError:
                pass
        raise RuleError(f"må være en av {', '.join(enum)}, ikke {_show(value)}.",
                        field=self.name(key))

    def items(self, key: str, default=_MISSING) -> list[tuple[str, object]]:
        """A list's items with their paths (``participants[0]``)."""
        value = self._raw(key, default)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self._refuse(key, "en liste ([…])")
        return [(f"{self.name(key)}[{index}]", item) for index, item in enumerate(value)]

    def objects(self, key: str, allowed: tuple[str, ...], default=_MISSING) -> list[Doc]:
        return [Doc(item, path, allowed) for path, item in self.items(key, default)]

    def mapping(self, key: str, default=_MISSING) -> list[tuple[str, str, object]]:
        """An object's entries as (path, key, value), for objects keyed by data (months)."""
        value = self._raw(key, default)
        if value is _MISSING:
            return []
        if not isinstance(value, dict):
            self._refuse(key, "et objekt ({…})")
        return [(f"{self.name(key)}.{_key(k)}", k, v) for k, v in value.items()]


def _number(value, name: str, *, high: Decimal, what: str) -> Decimal:
    top = kr(high) if "kroner" in what else number(high)
    expected = f"{what} fra 0 til {top}, med høyst to desimaler"
    parsed = None
    if isinstance(value, int) and not isinstance(value, bool):
        parsed = Decimal(value) if abs(value) <= high else None
    elif isinstance(value, float) or (isinstance(value, str) and DECIMAL_TEXT.fullmatch(value)):
        try:
            parsed = Decimal(str(value))
        except (InvalidOperation, ValueError):
            parsed = None
    if parsed is None or not parsed.is_finite() or not 0 <= parsed <= high or \
            parsed != parsed.quantize(Decimal("0.01")):
        raise RuleError(f"må være {expected}, ikke {_show(value)}.", field=name)
    return parsed


def _date(value, name: str) -> datetime.date:
    day = None
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None or not EARLIEST <= day <= LATEST:
        raise RuleError(f"må være en dato (ÅÅÅÅ-MM-DD) fra {EARLIEST.year} til {LATEST.year}, "
                        f"ikke {_show(value)}.", field=name)
    return day


def _month(value, name: str) -> Month:
    match = MONTH_TEXT.fullmatch(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match[2]) <= 12 or \
            not EARLIEST.year <= int(match[1]) <= LATEST.year:
        raise RuleError(f"må være en måned (ÅÅÅÅ-MM) fra {EARLIEST.year} til {LATEST.year}, "
                        f"ikke {_show(value)}.", field=name)
    return Month(int(match[1]), int(match[2]))


# -- results ---------------------------------------------------------------------------------

SEVERITY_TEXT = {"blocks": "BLOKKERER", "needs_assessment": "MÅ VURDERES",
                 "information": "INFORMASJON"}


@dataclass
class Report:
    """One result: the explanation, its findings and the machine-readable verdict (only
    strings, integers, booleans, None, lists and objects — never floats)."""

    calculation: str
    part: str
    explained: Explained
    verdict: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        explained = self.explained.as_dict()
        if not self.explained.lines:  # a check, not an amount
            explained["total"] = None
        return {"calculation": self.calculation, "part": self.part, **explained,
                "findings": [f.as_dict() for f in self.findings], "verdict": self.verdict}

    def as_text(self) -> str:
        rows = [self.explained.as_text()]
        rows += [f"[{SEVERITY_TEXT[f.severity]}] {f.message} (kilde: {f.source})"
                 for f in self.findings]
        return "\n".join(rows)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _share(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.0001')):f}"


def _findings_verdict(findings: list[Finding]) -> dict:
    return {"blocks": any(f.severity == Severity.BLOCKS for f in findings),
            "needs_assessment": any(f.severity == Severity.NEEDS_ASSESSMENT for f in findings),
            "codes": [f.code for f in findings]}


# -- the calculations ------------------------------------------------------------------------

USER_FIELDS = ("id", "start_date", "with_g", "months")


def _users(doc: Doc) -> list[PlaceUser]:
    users = []
    for item in doc.objects("participants", USER_FIELDS):
        months = frozenset(_month(m, path) for path, m in item.items("months"))
        users.append(PlaceUser(item.text("id"), item.date("start_date"), item.boolean("with_g"),
                               months))
    return users


def _jobbsjansen_2026(doc: Doc) -> list[Report]:
    rates_doc = Doc(doc._raw("rates", _MISSING), doc.name("rates"), (
        "start_with_g", "start_without_g", "base_with_g", "base_without_g", "source", "example"))
    names = ("start_with_g", "start_without_g", "base_with_g", "base_without_g")
    values = [rates_doc.number(name, None, what="en sats i kroner") for name in names]
    source = rates_doc.text("source", "")
    example = rates_doc.boolean("example", False)
    users = _users(doc)
    granted = doc.number("granted", None)
    result = grant_2026(users, MonthlyRates(*values, source=source, example=example))
    reports = [Report("jobbsjansen_2026", "grant", result.explained, {
        "total": _amount(result.total), "start_part": _amount(result.start_part),
        "base_part": _amount(result.base_part), "example_rates": example,
        "by_month": {str(m): _amount(v) for m, v in sorted(result.by_month.items())}})]
    if granted is not None:
        payments = payments_2026(granted=granted, actual=result)
        reports += [
            Report("jobbsjansen_2026", "advance", payments.advance,
                   {"amount": _amount(payments.advance.total)}),
            Report("jobbsjansen_2026", "settlement", payments.settlement,
                   {"amount": _amount(payments.settlement.total),
                    "repayment": payments.settlement.total < 0}),
        ]
    return reports


def _per_capita_2024(doc: Doc) -> list[Report]:
    result = grant_per_capita_2024(_users(doc))
    return [Report("per_capita_2024", "grant", result.explained, {
        "total": _amount(result.total),
        "by_period": [{"label": label, "from_month": first, "to_month": last,
                       "amount": _amount(result.by_period.get(label, Decimal(0)))}
                      for label, (first, last) in PERIODS]})]


def _part_b_2018(doc: Doc) -> list[Report]:
    data = PartBInput(year=doc.year("year"), position_cost=doc.number("position_cost"),
                      participant_months=doc.integer("participant_months"),
                      applied_for=doc.number("applied_for", None))
    result = grant_part_b_2018(data)
    capped = any(line.label.startswith("Avkortet") for line in result.lines)
    return [Report("part_b_2018", "grant", result,
                   {"total": _amount(result.total), "capped": capped})]


def _participant(doc: Doc) -> Participant:
    return Participant(doc.choice(AllowanceModel, "model", "jobbsjansen"),
                       doc.date("birth_date", None),
                       doc.boolean("living_with_parent", False),
                       doc.boolean("on_transitional_benefit", False))


PARTICIPANT_FIELDS = ("model", "birth_date", "living_with_parent", "on_transitional_benefit")


def _deductions(items: list[tuple[str, object]]) -> tuple[Deduction, ...]:
    result = []
    for path, item in items:
        entry = Doc(item, path, ("kind", "amount"))
        result.append(Deduction(entry.choice(DeductionKind, "kind"), entry.number("amount")))
    return tuple(result)


def _allowance(doc: Doc) -> list[Report]:
    participant = _participant(doc)
    month = doc.month("month")
    hours = doc.number("absence_hours", Decimal(0), high=MAX_HOURS, what="et antall timer")
    deductions = _deductions(doc.items("deductions", []))
    result = monthly_allowance(participant, month, absence_hours=hours, deductions=deductions)
    return [Report("allowance", "month", result.explained, {
        "month": str(month), "gross": _amount(result.gross),
        "absence_reduction": _amount(result.absence_reduction), "net": _amount(result.net),
        "needs_formal_decision": result.needs_formal_decision})]


def _allowance_plan(doc: Doc) -> list[Report]:
    participant = _participant(doc)
    start, end = doc.date("start_date"), doc.date("end_date")
    if end < start:
        raise RuleError("er før startdatoen.", field=doc.name("end_date"))
    first, last = Month.of(start), Month.of(end)

    def in_plan(path: str, key: str) -> Month:
        month = _month(key, path)
        if not first <= month <= last:
            raise RuleError(f"{month} er utenfor planen ({first}–{last}).", field=path)
        return month

    absence = {in_plan(path, key): _number(value, path, high=MAX_HOURS, what="et antall timer")
               for path, key, value in doc.mapping("absence_hours", {})}
    deductions = {}
    for path, key, value in doc.mapping("deductions", {}):
        month = in_plan(path, key)
        if not isinstance(value, list):
            raise RuleError(f"må være en liste ([…]), ikke {_show(value)}.", field=path)
        deductions[month] = _deductions([(f"{path}[{i}]", v) for i, v in enumerate(value)])
    plan = allowance_plan(participant, start, end, absence_hours=absence,
                          deductions=deductions)
    summary = Explained("Utbetalingsplan for stønad")
    for item in plan.months:
        summary.add(month_name(item.month.year, item.month.month), item.net,
                    "enkeltvedtak kreves" if item.needs_formal_decision else "")
    return [Report("allowance_plan", "plan", summary, {
        "total": _amount(plan.total),
        "months": [{"month": str(m.month), "net": _amount(m.net),
                    "needs_formal_decision": m.needs_formal_decision} for m in plan.months]})]


def _national_id(doc: Doc) -> list[Report]:
    number_text = doc._raw("number", _MISSING)
    synthetic = doc.boolean("allow_synthetic", False)
    if not isinstance(number_text, str):
        raise RuleError(f"må være en tekst med 11 sifre, ikke {_show(number_text)}.",
                        field="number")
    try:
        national = validate_national_id(number_text, allow_synthetic=synthetic)
    except InvalidIdNumber as exc:
        raise RuleError(exc.message, field="number") from None
    kind = "D-nummer" if national.kind == IdKind.D_NUMBER else "fødselsnummer"
    result = Explained(f"{national.masked()}: gyldig {kind}"
                       + (" (syntetisk testnummer)" if national.synthetic else ""))
    return [Report("national_id", "check", result, {
        "valid": True, "kind": national.kind.value, "synthetic": national.synthetic,
        "masked": national.masked()})]


def _target_group(doc: Doc) -> list[Report]:
    data = TargetGroupInput(
        start_date=doc.date("start_date"),
        birth_date=doc.date("birth_date", None),
        in_qualification_programme=doc.boolean("in_qualification_programme", False),
        introduction=doc.choice(IntroductionStatus, "introduction", "never"),
        introduction_ended_on=doc.date("introduction_ended_on", None),
        on_transitional_benefit=doc.boolean("on_transitional_benefit", False),
        social_assistance=doc.choice(SocialAssistance, "social_assistance", "none"),
    )
    findings = target_group_findings(data)
    return [_findings_report("target_group", "Målgruppe ved oppstart", findings)]


def _findings_report(calculation: str, title: str, findings: list[Finding]) -> Report:
    report = Explained(title)
    if not findings:
        report.notes.append("Ingen funn.")
    return Report(calculation, "findings", report, _findings_verdict(findings), findings)


def _duration(doc: Doc) -> list[Report]:
    result = latest_end_date(
        doc.date("start_date"), extended=doc.boolean("extended", False),
        lacks_literacy=doc.boolean("lacks_literacy", False),
        pilot_transfer=doc.boolean("pilot_transfer", False))
    report = Explained(f"Seneste sluttdato: {result.latest_end:%d.%m.%Y}")
    report.notes.extend(result.reasons)
    return [Report("duration", "latest_end", report, {
        "latest_end": result.latest_end.isoformat(), "years": result.years})]


def _application(doc: Doc) -> list[Report]:
    facts = ApplicationFacts(
        on=doc.date("round_date"),
        places=doc.integer("places", None),
        own_financing=doc.number("own_financing"),
        total_budget=doc.number("total_budget"),
        has_quantitative_goals=doc.boolean("has_quantitative_goals"),
        has_qualitative_goals=doc.boolean("has_qualitative_goals"),
        development_grant=doc.boolean("development_grant", False))
    return [_findings_report("application", "Vilkår for søknaden",
                             application_findings(facts))]


def _deadline(doc: Doc) -> list[Report]:
    raw = doc._raw("signed_at", _MISSING)
    signed = None
    if isinstance(raw, str) and re.fullmatch(r"[0-9T:.+\-Z ]{10,40}", raw):
        try:
            signed = datetime.datetime.fromisoformat(raw)
        except ValueError:
            signed = None
    if signed is None or not EARLIEST.year <= signed.year <= LATEST.year:
        raise RuleError(f"må være et tidspunkt med tidssone, f.eks. 2026-02-25T23:59:00+01:00, "
                        f"ikke {_show(raw)}.", field="signed_at")
    if signed.tzinfo is None:
        raise RuleError("mangler tidssone, f.eks. 2026-02-25T23:59:00+01:00.",
                        field="signed_at")
    day = doc.date("deadline")
    ok = signed_in_time(signed, day)
    local = signed.astimezone(OSLO)
    report = Explained(f"Signert {local:%d.%m.%Y kl. %H.%M} norsk tid: "
                       f"{'innen' if ok else 'etter'} fristen {day:%d.%m.%Y} kl. 24.00")
    return [Report("deadline", "check", report, {
        "in_time": ok, "signed_at": signed.isoformat(), "deadline": day.isoformat(),
        "deadline_ends_at": deadline_ends_at(day).isoformat()})]


def _goal(doc: Doc) -> list[Report]:
    ended = [Ended(item.date("end_date"), item.text("end_reason"),
                   item.choice(Transition, "transition"))
             for item in doc.objects("ended", ("end_date", "end_reason", "transition"))]
    year = doc.year("year")
    result = goal_achievement(ended, year)
    share = "–" if result.share is None else percent(result.share)
    report = Explained(f"Måloppnåelse: {share} ({result.achieved} av {result.counted})")
    reasons = join((end_reason_label(code) for code in result.excluded_reasons), "eller")
    report.notes.append(f"Kriterium: minst {percent(result.criterion, 0)}. Holdt utenfor: "
                        f"{plural(result.excluded, 'deltaker', 'deltakere')} som avsluttet "
                        f"av en årsak som ikke telles med ({reasons}).")
    return [Report("goal_achievement", "share", report, {
        "year": year, "achieved": result.achieved, "counted": result.counted,
        "excluded": result.excluded, "share": _share(result.share),
        "criterion": _share(result.criterion), "meets_criterion": result.meets_criterion,
        "excluded_end_reasons": list(result.excluded_reasons)})]


def _settlement_2026(doc: Doc) -> list[Report]:
    result = settlement_2026(doc.number("granted"), doc.number("advance_paid"),
                             doc.number("triggered"), doc.date("on"))
    return [Report("settlement_2026", "settlement", result.explained, {
        "triggered": _amount(result.triggered), "capped": _amount(result.capped),
        "paid": _amount(result.paid), "settlement": _amount(result.settlement),
        "claw_back": _amount(result.claw_back), "repayment": result.claw_back > 0})]


def _per_capita_period(doc: Doc) -> list[Report]:
    result = per_capita_period(doc.number("triggered"), doc.number("granted"),
                               doc.number("paid_before"), doc.date("on"))
    return [Report("per_capita_period", "payment", result.explained, {
        "triggered": _amount(result.triggered), "remaining": _amount(result.remaining),
        "payment": _amount(result.payment), "capped": result.capped})]


@dataclass(frozen=True)
class Calculation:
    run: Callable[[Doc], list[Report]]
    fields: tuple[str, ...]
    dated_by: str | None  # the field whose date selects the parameters


_CALCULATIONS = {
    "jobbsjansen_2026": Calculation(_jobbsjansen_2026, ("rates", "granted", "participants"),
                                    "participants"),
    "per_capita_2024": Calculation(_per_capita_2024, ("participants",), "participants"),
    "part_b_2018": Calculation(_part_b_2018, ("year", "position_cost", "participant_months",
                                              "applied_for"), "year"),
    "allowance": Calculation(_allowance, (*PARTICIPANT_FIELDS, "month", "absence_hours",
                                          "deductions"), "month"),
    "allowance_plan": Calculation(_allowance_plan, (*PARTICIPANT_FIELDS, "start_date",
                                                    "end_date", "absence_hours", "deductions"),
                                  "start_date"),
    "national_id": Calculation(_national_id, ("number", "allow_synthetic"), None),
    "target_group": Calculation(_target_group, (
        "start_date", "birth_date", "in_qualification_programme", "introduction",
        "introduction_ended_on", "on_transitional_benefit", "social_assistance"), "start_date"),
    "duration": Calculation(_duration, ("start_date", "extended", "lacks_literacy",
                                        "pilot_transfer"), "start_date"),
    "application": Calculation(_application, (
        "round_date", "places", "own_financing", "total_budget", "has_quantitative_goals",
        "has_qualitative_goals", "development_grant"), "round_date"),
    "deadline": Calculation(_deadline, ("deadline", "signed_at"), None),
    "goal_achievement": Calculation(_goal, ("year", "ended"), "year"),
    "settlement_2026": Calculation(_settlement_2026, ("granted", "advance_paid", "triggered",
                                                      "on"), "on"),
    "per_capita_period": Calculation(_per_capita_period, ("triggered", "granted",
                                                          "paid_before", "on"), None),
}
CALCULATIONS = tuple(_CALCULATIONS)


def run(document) -> list[Report]:
    """The results of one JSON document (already parsed); RuleError names the bad field."""
    if not isinstance(document, dict):
        raise RuleError(f"Dokumentet må være et JSON-objekt ({{…}}) med feltet calculation, "
                        f"ikke {_show(document)}.")
    name = document.get("calculation", _MISSING)
    if name is _MISSING:
        raise RuleError(f"mangler (en av {', '.join(CALCULATIONS)}).", field="calculation")
    if not isinstance(name, str) or name not in _CALCULATIONS:
        raise RuleError(f"må være en av {', '.join(CALCULATIONS)}, ikke {_show(name)}.",
                        field="calculation")
    calculation = _CALCULATIONS[name]
    doc = Doc(document, "", ("calculation", *calculation.fields))
    try:
        return calculation.run(doc)
    except MissingValue as exc:
        # A date before (or after) what the rules' dated parameters cover.
        since = f"; den første gjelder fra {exc.first:%d.%m.%Y}" if exc.first else ""
        raise RuleError(f"reglene har ingen verdi for {exc.parameter} på {exc.on:%d.%m.%Y} "
                        f"(datoen er utenfor det reglene dekker{since}).",
                        field=calculation.dated_by) from None


# -- the command -----------------------------------------------------------------------------

def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _read(name: str, stdin) -> str:
    if name == "-":
        buffer = getattr(stdin, "buffer", None)
        data = buffer.read() if buffer is not None else stdin.read()
    else:
        data = Path(name).read_bytes()
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(f"Dokumentet er ikke UTF-8 (ugyldig byte nr. {exc.start + 1}).") from None


def main(argv: list[str] | None = None, *, stdin=None, stdout=None, stderr=None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m rules", description=__doc__.split("\n")[0])
    parser.add_argument("file", help="JSON document, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)

    def fail(message: str) -> int:
        print(_one_line(message), file=stderr)
        return 2

    try:
        text = _read(args.file, stdin)
    except OSError as exc:
        return fail(f"Feil: kan ikke lese {_show(args.file)}: {exc.strerror or exc}")
    except RuleError as exc:
        return fail(f"Feil: {exc.message}")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return fail(f"Feil: ugyldig JSON på linje {exc.lineno}, kolonne {exc.colno}: {exc.msg}")
    except RecursionError:
        return fail("Feil: ugyldig JSON: dokumentet er nøstet for dypt.")
    except ValueError as exc:  # an integer with more than 4 300 digits
        return fail(f"Feil: ugyldig JSON: {exc}")
    try:
        results = run(document)
    except RuleError as exc:
        return fail(f"Feil i {exc.field}: {exc.message}" if exc.field else f"Feil: {exc.message}")
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2),
              file=stdout)
    else:
        print("\n\n".join(r.as_text() for r in results), file=stdout)
    return 0
