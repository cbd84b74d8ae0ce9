"""Numbering of places and participants — the seeds do not say how, so this is the rule.

**Rule:** in each month, the participants who use a place that month are ranked by
programme start date, then by their register id. The first N get the start rates (N is
15 places in 2026, 10 participants in the 2024 pilot), the rest the base rates. Ranking
per month means a place freed by someone who ended is taken by the next participant, so
the municipality always gets start rates for its first N used places. The rank is shown
on every line of the explanation, so each krone can be checked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..calendar_util import Month

RULE_TEXT = ("Plassnummer per måned: deltakerne som bruker plass den måneden, sortert etter "
             "startdato og deretter register-id.")


@dataclass(frozen=True)
class PlaceUser:
    id: str
    start_date: datetime.date
    with_g: bool
    months: frozenset[Month]


def rank_key(user: PlaceUser) -> tuple:
    """The order of the rule: programme start date, then register id."""
    return (user.start_date, user.id)


def rank_in_month(users: list[PlaceUser], month: Month) -> list[tuple[int, PlaceUser]]:
    active = sorted((u for u in users if month in u.months), key=rank_key)
    return list(enumerate(active, start=1))
