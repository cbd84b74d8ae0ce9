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
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

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


# rank_key as a key function without a Python call per user (the same tuple): for sorting
# many users.
by_rank = attrgetter("start_date", "id")


def rank_in_month(users: list[PlaceUser], month: Month) -> list[tuple[int, PlaceUser]]:
    active = sorted((u for u in users if month in u.months), key=rank_key)
    return list(enumerate(active, start=1))


def ranked_by_month(users: Iterable[PlaceUser]) -> dict[Month, list[PlaceUser]]:
    """``rank_in_month`` for every month at once: each month someone used a place, in
    calendar order, with the users of that month in rank order (place 1 first).

    The users are sorted once by ``rank_key``; each month then keeps those in the programme
    that month in that order, so the ranks are the same (tested). Users with the same months
    (the same frozenset, as the register's reports share them) look their months up once."""
    ordered = sorted(users, key=by_rank)
    in_month: dict[Month, list[PlaceUser]] = {
        month: [] for month in sorted(frozenset().union(*(u.months for u in ordered)))}
    appenders: dict[frozenset[Month], list] = {}
    for user in ordered:
        appends = appenders.get(user.months)
        if appends is None:
            appends = appenders[user.months] = [in_month[m].append for m in user.months]
        for append in appends:
            append(user)
    return in_month
