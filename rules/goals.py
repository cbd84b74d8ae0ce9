"""Goal achievement: the share of participants who ended in a period and went on to work,
education or both (seed 002 §4: at least 70 %)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .params import Parameters, default_parameters

# The end reasons goal achievement may leave out, in words (the register's codes).
END_REASON_LABELS = {
    "moved_away": "flyttet fra kommunen",
    "death": "død",
    "phased_out_by_scheme_change": "faset ut ved omleggingen av ordningen",
}


def end_reason_label(code: str) -> str:
    return END_REASON_LABELS.get(code, code)


class Transition(StrEnum):
    WORK = "work"
    EDUCATION = "education"
    BOTH = "both"
    NONE = "none"


@dataclass(frozen=True)
class Ended:
    end_date: datetime.date
    end_reason: str
    transition: Transition


@dataclass(frozen=True)
class GoalAchievement:
    achieved: int
    counted: int
    excluded: int
    share: Decimal | None
    meets_criterion: bool | None
    excluded_reasons: tuple[str, ...]
    criterion: Decimal


def goal_achievement(ended: list[Ended], year: int, *, params: Parameters | None = None
                     ) -> GoalAchievement:
    params = params or default_parameters()
    on = datetime.date(year, 12, 31)
    excluded_reasons = params.get("goal.excluded_end_reasons", on).value
    criterion = params.get("goal.min_share", on).value
    in_year = [e for e in ended if e.end_date.year == year]
    counted = [e for e in in_year if e.end_reason not in excluded_reasons]
    achieved = sum(1 for e in counted if e.transition != Transition.NONE)
    share = (Decimal(achieved) / Decimal(len(counted))) if counted else None
    return GoalAchievement(achieved, len(counted), len(in_year) - len(counted), share,
                           None if share is None else share >= criterion,
                           tuple(excluded_reasons), criterion)
