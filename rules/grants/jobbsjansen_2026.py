"""Jobbsjansen 2026: a fixed monthly rate per used place (seed 000 §Hvordan beregnes).

Four rates: start rates for places 1–15, base rates from place 16, each with or without
a participant entitled to 1G allowance. The amounts are in the 2026 circular, which is not
among our sources: a round supplies them (with a citation), and without them the
calculation refuses with a clear message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..calendar_util import Month
from ..errors import RuleError
from ..explain import Explained, to_ore
from ..params import Parameters, ParameterValue, default_parameters
from ..text import kr, month_name, places, plural
from .places import RULE_TEXT, PlaceUser, rank_key


@dataclass(frozen=True)
class MonthlyRates:
    """The round's four rates, NOK per place per month, with their citation."""

    start_with_g: Decimal
    start_without_g: Decimal
    base_with_g: Decimal
    base_without_g: Decimal
    source: str
    example: bool = False  # example amounts (demo), not the circular's

    def __post_init__(self):
        for name in ("start_with_g", "start_without_g", "base_with_g", "base_without_g"):
            value = getattr(self, name)
            if value is None:
                raise RuleError("Utlysningens månedssatser er ikke satt. En administrator i "
                                "direktoratet må legge inn alle fire satsene, med rundskrivet "
                                "de kommer fra, før et tilskudd for 2026 kan beregnes.",
                                field=f"rates.{name}")
            if value < 0:
                raise RuleError("En sats kan ikke være negativ.", field=f"rates.{name}")
        if not self.source:
            raise RuleError("Satsene må ha en kilde (rundskrivet og punktet).",
                            field="rates.source")

    def rate(self, start: bool, with_g: bool) -> Decimal:
        return getattr(self, _rate_name(start, with_g))

    def parameter(self, start: bool, with_g: bool, valid_from) -> ParameterValue:
        """The rate as a cited parameter value: the amount used, with the round's source."""
        value = self.rate(start, with_g)
        source = ("EKSEMPELSATSER – ikke rundskrivets: " if self.example else "") + self.source
        return ParameterValue(f"round.rate_{_rate_name(start, with_g)}", value, valid_from,
                              None, source, "NOK per place per month",
                              display=kr(value))


def _rate_name(start: bool, with_g: bool) -> str:
    return f"{'start' if start else 'base'}_{'with' if with_g else 'without'}_g"


@dataclass
class GrantResult:
    explained: Explained
    by_month: dict[Month, Decimal]
    start_part: Decimal
    base_part: Decimal

    @property
    def total(self) -> Decimal:
        return self.explained.total


def _label(start: bool, with_g: bool) -> str:
    return f"{'startsats' if start else 'grunnsats'} {'med' if with_g else 'uten'} 1G"


def grant_2026(
    users: list[PlaceUser], rates: MonthlyRates, *, params: Parameters | None = None
) -> GrantResult:
    params = params or default_parameters()
    months = sorted({m for u in users for m in u.months})
    if not months:
        raise RuleError("Ingen benyttede plasser: oppgi månedene hver deltaker brukte en "
                        "plass.", field="participants")
    explained = Explained("Tilskudd Jobbsjansen 2026 (sats per benyttet plass per måned)")
    explained.notes.append(RULE_TEXT)
    by_month: dict[Month, Decimal] = defaultdict(Decimal)
    parts = {True: Decimal(0), False: Decimal(0)}
    # rank_in_month for every month at once: the users sorted once by its key, each month
    # taking those in the programme that month in that order (the same ranks; tested).
    active: dict[Month, list[PlaceUser]] = defaultdict(list)
    for user in sorted(users, key=rank_key):
        for month in user.months:
            active[month].append(user)
    rate_of: dict[tuple[bool, bool], ParameterValue] = {}
    for month in months:
        limit: ParameterValue = params.get("jobbsjansen.start_places", month.first_day)
        groups: dict[tuple[bool, bool], list[int]] = defaultdict(list)
        for place, user in enumerate(active[month], start=1):
            groups[(place <= limit.value, user.with_g)].append(place)
        for (start, with_g), numbers in sorted(groups.items(), key=lambda kv: kv[1][0]):
            rate = rate_of.get((start, with_g))
            if rate is None:
                rate = rate_of[(start, with_g)] = rates.parameter(start, with_g,
                                                                  months[0].first_day)
            band = (f"startsats: plass 1 til og med {limit.value}" if start
                    else f"grunnsats: fra plass {limit.value + 1}")
            line = explained.add(
                f"{month_name(month.year, month.month)}: {_label(start, with_g)}",
                rate.value * len(numbers),
                f"{plural(len(numbers), 'plass', 'plasser')} ({places(numbers)}) × "
                f"{kr(rate.value)} ({band})",
                (rate, limit),
            )
            by_month[month] += line.amount
            parts[start] += line.amount
    return GrantResult(explained, dict(by_month), parts[True], parts[False])


@dataclass(frozen=True)
class Payments:
    advance: Explained
    settlement: Explained


def payments_2026(
    *, granted: Decimal, actual: GrantResult, params: Parameters | None = None,
    on: Month | None = None,
) -> Payments:
    """50 % of the granted amount in advance after acceptance; the rest from the used places
    reported per 31 October. A negative settlement is money to pay back."""
    params = params or default_parameters()
    if granted < 0:
        raise RuleError("Tildelt beløp kan ikke være negativt.", field="granted")
    months = sorted(actual.by_month)
    share = params.get("jobbsjansen.advance_share", (on or months[0]).first_day)
    advance = Explained("Forskudd etter godkjent aksept")
    advance_line = advance.add("Forskudd", granted * share.value,
                               f"{kr(to_ore(granted))} × {share.display}", (share,))
    settlement = Explained("Etteroppgjør etter rapport om benyttede plasser per 31.10")
    settlement.add("Tilskudd for benyttede plasser", actual.total,
                   f"sum av {plural(len(actual.explained.lines), 'linje', 'linjer')} i "
                   "beregningen")
    settlement.add("Utbetalt forskudd", -advance_line.amount)
    if settlement.total < 0:
        settlement.notes.append("Forskuddet var større enn tilskuddet for benyttede plasser: "
                                "mellomlegget kreves tilbake.")
    return Payments(advance, settlement)
