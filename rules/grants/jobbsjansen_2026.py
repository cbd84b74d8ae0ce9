"""Jobbsjansen 2026: a fixed monthly rate per used place (seed 000 §Hvordan beregnes).

Four rates: start rates for places 1–15, base rates from place 16, each with or without
a participant entitled to 1G allowance. The amounts are in the 2026 circular, which is not
among our sources: a round supplies them (with a citation), and without them the
calculation refuses with a clear message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import compress
from operator import attrgetter, not_

from ..calendar_util import Month
from ..errors import RuleError
from ..explain import Explained, to_ore
from ..params import Parameters, ParameterValue, default_parameters
from ..text import kr, month_name, places, plural
from .places import RULE_TEXT, PlaceUser, ranked_by_month


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


_LABELS = {(start, with_g): _label(start, with_g) for start in (True, False)
           for with_g in (True, False)}
_with_g = attrgetter("with_g")


@lru_cache(maxsize=1024)
def _count(places_used: int) -> str:
    """'1 plass', '15 plasser': the start of a line's formula (few distinct counts)."""
    return plural(places_used, "plass", "plasser")


@lru_cache(maxsize=64)
def _bands(limit: str) -> tuple[str, str]:
    """The wording of the start band and of the base band for this many start places (as
    the parameter's value is written: equal Decimals may be written differently)."""
    return f"startsats: plass 1 til og med {limit}", f"grunnsats: fra plass {Decimal(limit) + 1}"


def _groups(active: list[PlaceUser], limit: Decimal) -> list[tuple[bool, bool, tuple[int, ...]]]:
    """A month's places (``active`` in rank order: place 1 first) as the explanation's
    groups: (start rate, with 1G, the place numbers), those within ``limit`` at the start
    rates, in the order of each group's first place."""
    cut = max(0, math.floor(limit))  # place <= limit, as a count of places
    groups = []
    for start, first, band in ((True, 1, active[:cut]), (False, cut + 1, active[cut:])):
        numbers = range(first, first + len(band))
        flags = list(map(_with_g, band))
        with_g = tuple(compress(numbers, flags))
        without_g = tuple(compress(numbers, map(not_, flags)))
        pair = [(start, True, with_g), (start, False, without_g)]
        if without_g and (not with_g or without_g[0] < with_g[0]):
            pair.reverse()
        groups.extend(group for group in pair if group[2])
    return groups


def grant_2026(
    users: list[PlaceUser], rates: MonthlyRates, *, params: Parameters | None = None
) -> GrantResult:
    """The grant for the places used: each month the users ranked (``ranked_by_month``), the
    first ``jobbsjansen.start_places`` at the start rates and the rest at the base rates,
    one explanation line per month, band and 1G with the place numbers it covers."""
    params = params or default_parameters()
    ranked = ranked_by_month(users)
    if not ranked:
        raise RuleError("Ingen benyttede plasser: oppgi månedene hver deltaker brukte en "
                        "plass.", field="participants")
    explained = Explained("Tilskudd Jobbsjansen 2026 (sats per benyttet plass per måned)")
    explained.notes.append(RULE_TEXT)
    by_month: dict[Month, Decimal] = {}
    parts = {True: Decimal(0), False: Decimal(0)}
    valid_from = next(iter(ranked)).first_day
    # Per (start, with 1G): the rate as a cited parameter and its amount as shown.
    rate_of: dict[tuple[bool, bool], tuple[ParameterValue, str]] = {}
    # The place numbers of a group as written ('plass 1–15'): months often repeat them.
    place_text: dict[tuple[int, ...], str] = {}
    for month, active in ranked.items():
        limit: ParameterValue = params.get("jobbsjansen.start_places", month.first_day)
        bands = _bands(str(limit.value))
        name = month_name(month.year, month.month)
        month_total = Decimal(0)
        for start, with_g, numbers in _groups(active, limit.value):
            found = rate_of.get((start, with_g))
            if found is None:
                value = rates.parameter(start, with_g, valid_from)
                found = rate_of[(start, with_g)] = (value, kr(value.value))
            rate, rate_shown = found
            shown = place_text.get(numbers)
            if shown is None:
                shown = place_text[numbers] = places(numbers)
            line = explained.add(
                f"{name}: {_LABELS[(start, with_g)]}",
                rate.value * len(numbers),
                f"{_count(len(numbers))} ({shown}) × {rate_shown} "
                f"({bands[0] if start else bands[1]})",
                (rate, limit),
            )
            month_total += line.amount
            parts[start] += line.amount
        by_month[month] = month_total
    return GrantResult(explained, by_month, parts[True], parts[False])


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
