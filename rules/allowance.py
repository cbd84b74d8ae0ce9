"""The participant's allowance (stønad): monthly amounts, absence reductions, deductions,
and a month-by-month payment plan.

Rules chosen where the sources leave room (documented in the explanation):
- The G of a month is the G in force on the month's last day, so a month containing 1 May
  uses the new G for the whole month.
- Age-dependent shares use the participant's age on the first day of the month.
- A first or last month that is only partly in the programme is paid pro rata by
  calendar days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .calendar_util import Month, age_on, months_between
from .errors import RuleError
from .explain import Explained, to_ore
from .params import Parameters, default_parameters
from .text import kr, month_name, number, plural


class AllowanceModel(StrEnum):
    JOBBSJANSEN = "jobbsjansen"  # ≥ 1G whatever the age (2024, 2026)
    INTRODUCTION_2018 = "introduction_2018"  # 2G; under 25: 2/3 (seed 001)
    INTEGRERINGSLOVEN = "integreringsloven"  # 2G; under 25: 2/3, with a parent: 1/3


class DeductionKind(StrEnum):
    WAGES = "wages"  # arbeidsinntekt
    LANEKASSEN = "lanekassen"  # stipend og lån fra Lånekassen
    DAGPENGER = "dagpenger"
    SYKEPENGER = "sykepenger"
    FORELDREPENGER = "foreldrepenger"
    AAP = "aap"
    UFORETRYGD = "uforetrygd"
    OTHER_NAV = "other_nav"


DEDUCTION_LABELS = {
    DeductionKind.WAGES: "arbeidsinntekt",
    DeductionKind.LANEKASSEN: "stipend/lån fra Lånekassen",
    DeductionKind.DAGPENGER: "dagpenger",
    DeductionKind.SYKEPENGER: "sykepenger",
    DeductionKind.FORELDREPENGER: "foreldrepenger",
    DeductionKind.AAP: "arbeidsavklaringspenger",
    DeductionKind.UFORETRYGD: "uføretrygd",
    DeductionKind.OTHER_NAV: "annen ytelse fra NAV",
}


@dataclass(frozen=True)
class Participant:
    model: AllowanceModel
    birth_date: datetime.date | None = None
    living_with_parent: bool = False
    on_transitional_benefit: bool = False  # overgangsstønad


@dataclass(frozen=True)
class Deduction:
    kind: DeductionKind
    amount: Decimal


@dataclass
class MonthlyAllowance:
    month: Month
    explained: Explained
    gross: Decimal
    absence_reduction: Decimal
    needs_formal_decision: bool

    @property
    def net(self) -> Decimal:
        return self.explained.total


@dataclass
class AllowancePlan:
    months: list[MonthlyAllowance] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((m.net for m in self.months), Decimal("0.00"))


def _yearly_factor(participant: Participant, month: Month, params: Parameters):
    """The yearly amount as a factor of G, and the parameters and words behind it."""
    on = month.first_day
    if participant.model == AllowanceModel.JOBBSJANSEN:
        factor = params.get("allowance.jobbsjansen_yearly_g", on)
        return factor.value, (factor,), f"{number(factor.value)} G (uansett alder)"
    base = params.get("allowance.introduction_yearly_g", on)
    if participant.birth_date is None:
        raise RuleError("Fødselsdatoen trengs for denne stønadsmodellen (under 25 år får "
                        "mindre).", field="birth_date")
    limit = params.get("allowance.under_25_age", on)
    age = age_on(participant.birth_date, on)
    if age >= limit.value:
        return base.value, (base, limit), f"{number(base.value)} G ({age} år)"
    if participant.model == AllowanceModel.INTEGRERINGSLOVEN and participant.living_with_parent:
        share = params.get("allowance.under_25_with_parent_share", on)
        words = (f"{number(base.value)} G × {share.display} (under {limit.value} år og bor "
                 "med forelder)")
    else:
        share = params.get("allowance.under_25_share", on)
        words = f"{number(base.value)} G × {share.display} (under {limit.value} år)"
    return base.value * share.value, (base, share, limit), words


def monthly_allowance(
    participant: Participant,
    month: Month,
    *,
    absence_hours: Decimal = Decimal(0),
    deductions: tuple[Deduction, ...] = (),
    days_in_programme: int | None = None,
    params: Parameters | None = None,
) -> MonthlyAllowance:
    """One month's allowance, with reductions and deductions, never below zero."""
    params = params or default_parameters()
    if absence_hours < 0:
        raise RuleError("Fraværet kan ikke være negativt.", field="absence_hours")
    explained = Explained(f"Stønad {month_name(month.year, month.month)}")
    g = params.get("g", month.last_day)
    if participant.on_transitional_benefit:
        explained.add("Stønad", Decimal(0), "Deltakeren mottar overgangsstønad og har ikke rett "
                      "til Jobbsjansestønad i tillegg (Rundskriv 23-15067 §10).")
        return MonthlyAllowance(month, explained, Decimal(0), Decimal(0), False)
    factor, used, words = _yearly_factor(participant, month, params)
    yearly = factor * g.value
    full_month = yearly / 12
    formula = f"{words} × G {number(g.value)} / 12"
    gross = full_month
    if days_in_programme is not None and days_in_programme < month.days:
        gross = full_month * days_in_programme / month.days
        formula += f" × {plural(days_in_programme, 'dag', 'dager')} av {month.days} i programmet"
    gross_line = explained.add("Stønad", gross, formula, (g, *used))
    remaining = gross_line.amount

    reduction = Decimal("0.00")
    if absence_hours:
        hours_per_year = params.get("allowance.hours_per_year", month.first_day)
        wanted = to_ore(absence_hours * yearly / hours_per_year.value)
        reduction = min(wanted, remaining)
        formula = (f"{plural(absence_hours, 'time', 'timer')} × årsbeløp "
                   f"{kr(to_ore(yearly))} / {number(hours_per_year.value)}")
        if reduction < wanted:
            formula += " (begrenset til det som er igjen av stønaden)"
        explained.add("Trekk for ugyldig fravær", -reduction, formula, (hours_per_year,))
        remaining -= reduction
    for index, deduction in enumerate(deductions):
        if deduction.amount < 0:
            raise RuleError("Et fradrag kan ikke være negativt.",
                            field=f"deductions[{index}].amount")
        taken = min(to_ore(deduction.amount), remaining)
        label = DEDUCTION_LABELS[deduction.kind]
        formula = "krone for krone" + (" (begrenset til det som er igjen)"
                                       if taken < deduction.amount else "")
        explained.add(f"Fradrag: {label}", -taken, formula)
        remaining -= taken

    share = params.get("allowance.formal_decision_share_of_payment", month.first_day)
    g_fraction = params.get("allowance.formal_decision_g_fraction", month.first_day)
    needs_decision = bool(reduction) and reduction >= gross_line.amount * share.value and \
        reduction >= g.value * g_fraction.value
    if needs_decision:
        explained.notes.append(
            "Trekket er minst halvparten av utbetalingen og minst G/12: det krever et "
            "enkeltvedtak (integreringsloven § 21-mønsteret)."
        )
    return MonthlyAllowance(month, explained, gross_line.amount, reduction, needs_decision)


def allowance_plan(
    participant: Participant,
    start: datetime.date,
    end: datetime.date,
    *,
    absence_hours: dict[Month, Decimal] | None = None,
    deductions: dict[Month, tuple[Deduction, ...]] | None = None,
    params: Parameters | None = None,
) -> AllowancePlan:
    """Every month from start to end, with that month's G, age, absence and deductions."""
    absence_hours = absence_hours or {}
    deductions = deductions or {}
    plan = AllowancePlan()
    for month in months_between(start, end):
        first = max(start, month.first_day)
        last = min(end, month.last_day)
        days = (last - first).days + 1
        plan.months.append(monthly_allowance(
            participant, month, absence_hours=absence_hours.get(month, Decimal(0)),
            deductions=deductions.get(month, ()),
            days_in_programme=days if days < month.days else None, params=params,
        ))
    return plan
