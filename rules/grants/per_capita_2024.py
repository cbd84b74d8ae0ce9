"""The per-capita pilot 2024: a yearly rate per participant, paid by participant-months
(seed 002 §8.3, §12). Participants 1–10 get start rates, 11 and up base rates; each with
or without 1G allowance. Reports per 30 June and 31 October."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..errors import RuleError
from ..explain import Explained
from ..params import Parameters, default_parameters
from ..text import kr, plural
from .places import RULE_TEXT, PlaceUser, rank_in_month

PERIODS = (
    ("til og med 30. juni", (1, 6)),
    ("1. juli – 31. oktober", (7, 10)),
    ("etter 31. oktober", (11, 12)),
)


@dataclass
class PerCapitaResult:
    explained: Explained
    by_period: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return self.explained.total


def grant_per_capita_2024(
    users: list[PlaceUser], *, params: Parameters | None = None
) -> PerCapitaResult:
    params = params or default_parameters()
    months = sorted({m for u in users for m in u.months})
    if not months:
        raise RuleError("Ingen deltakermåneder: oppgi månedene hver deltaker var i "
                        "programmet.", field="participants")
    explained = Explained("Tilskudd per capita 2024 (årssats per deltaker, per måned i program)")
    explained.notes.append(RULE_TEXT.replace("bruker plass", "er i programmet"))
    # (period, start?, with_g) → participant-months
    counts: dict[tuple[int, bool, bool], int] = defaultdict(int)
    for month in months:
        limit = params.get("percapita.start_places", month.first_day)
        period = next(i for i, (_l, (a, b)) in enumerate(PERIODS) if a <= month.month <= b)
        for number, user in rank_in_month(users, month):
            counts[(period, number <= limit.value, user.with_g)] += 1
    by_period: dict[str, Decimal] = defaultdict(Decimal)
    on = datetime.date(months[0].year, 1, 1)
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], not kv[0][1], not kv[0][2]))
    for (period, start, with_g), participant_months in ordered:
        name = f"percapita.{'start' if start else 'base'}_rate_{'with' if with_g else 'without'}_g"
        rate = params.get(name, on)
        limit = params.get("percapita.start_places", on)
        band = (f"startsats (deltaker 1–{limit.value})" if start
                else f"grunnsats (fra deltaker {limit.value + 1})")
        label = f"{PERIODS[period][0]}: {band} {'med' if with_g else 'uten'} 1G"
        line = explained.add(
            label, rate.value * participant_months / 12,
            f"{plural(participant_months, 'deltakermåned', 'deltakermåneder')} × "
            f"{kr(rate.value)} / 12", (rate, limit))
        by_period[PERIODS[period][0]] += line.amount
    return PerCapitaResult(explained, dict(by_period))
