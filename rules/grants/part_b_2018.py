"""Jobbsjansen 2018 part B (project-based, seed 001): the grant covers a project-leader /
programme-adviser position and the participants' allowance up to 1G per participant per
year; the rest of the allowance (2G model) is the municipality's own cost."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ..errors import RuleError
from ..explain import Explained, to_ore
from ..params import Parameters, default_parameters
from ..text import kr, number, plural


@dataclass(frozen=True)
class PartBInput:
    year: int
    position_cost: Decimal  # yearly cost of the position(s), as budgeted
    participant_months: int  # sum over participants of months in the offer
    applied_for: Decimal | None = None  # the budget frame the grant may not exceed


def grant_part_b_2018(data: PartBInput, *, params: Parameters | None = None) -> Explained:
    params = params or default_parameters()
    if data.position_cost < 0:
        raise RuleError("Stillingskostnaden kan ikke være negativ.", field="position_cost")
    if data.participant_months < 0:
        raise RuleError("Deltakermånedene kan ikke være negative.",
                        field="participant_months")
    on = datetime.date(data.year, 7, 1)  # the G of the grant year (in force from 1 May)
    g = params.get("g", on)
    cover = params.get("part_b.allowance_cover_g", on)
    explained = Explained(f"Tilskudd Jobbsjansen {data.year} del B (prosjektbasert)")
    explained.add("Prosjektleder/programrådgiver", data.position_cost, "budsjettert lønnskostnad")
    explained.add(
        "Stønad opp til 1G", cover.value * g.value * data.participant_months / 12,
        f"{plural(data.participant_months, 'deltakermåned', 'deltakermåneder')} × "
        f"{number(cover.value)} G × G {number(g.value)} / 12", (g, cover),
    )
    if data.applied_for is not None and explained.total > data.applied_for:
        cut = explained.total - to_ore(data.applied_for)
        explained.add("Avkortet til søknadsbeløpet", -cut,
                      f"søkt om {kr(to_ore(data.applied_for))}")
    explained.notes.append("Stønad utover 1G (2G-modellen, under 25 år 2/3) dekker kommunen selv.")
    return explained
