"""Reports that fill themselves from the register (issue 12): the used places of the 2026
model and the participant-months of the 2024 pilot, month by month up to the reporting
date, with the grant the rules core computes for them.

Nothing here calculates a rate of its own: the grant and its explanation are
``grant_2026`` and ``grant_per_capita_2024``; the rank of each place is ``rank_in_month``
(by start date, then register id); the band and rate shown on each row are read from the
same parameters and rates those functions use, and for the 2026 model the rows are checked
to add up to the rules core's total.

**Which months a participant uses a place** (the rule, shown in every report): every
month from the month of the programme start to the month of the end, both included — a
part of a month counts as the month, as it does for the allowance (``months_between``).
While still in the programme the participant uses a place up to the reporting date. Only
months inside the report's period count.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from .calendar_util import Month, months_between
from .explain import Explained, to_ore
from .grants.jobbsjansen_2026 import MonthlyRates, grant_2026
from .grants.per_capita_2024 import grant_per_capita_2024
from .grants.places import PlaceUser, by_rank
from .params import Parameters, default_parameters

JOBBSJANSEN_2026 = "jobbsjansen_2026"
PER_CAPITA_2024 = "per_capita_2024"
MONTHS_RULE = ("Måneder med plass: fra måneden deltakeren startet til og med måneden "
               "deltakeren sluttet (en del av en måned teller som måneden), innenfor "
               "rapportperioden.")
FORMAT = 1  # the version of the snapshot's layout (as_dict)


class RegisterRow(NamedTuple):
    """One participant as the register has it: the register id (never the national id
    number or the name), the programme start, the end if any, and 1G from the financing."""

    id: int
    start_date: datetime.date
    end_date: datetime.date | None
    with_g: bool

    @property
    def reference(self) -> str:  # as register.models.Participant.reference
        return f"D-{self.id:06d}"

    @property
    def key(self) -> str:
        # The rules core ranks equal start dates by the id as text: padded, text order is
        # number order.
        return f"{self.id:012d}"


def months_used(start: datetime.date, end: datetime.date | None,
                period_start: datetime.date, period_end: datetime.date) -> frozenset[Month]:
    first, last = max(start, period_start), min(end or period_end, period_end)
    if last < first:
        return frozenset()
    return frozenset(months_between(first, last))


class _Period:
    """The period's months, to give each participant theirs without walking the calendar
    for every row: the same months as ``months_used`` (a test holds them equal), and one
    shared frozenset per span, so the rules core compares few distinct objects."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.start, self.end = start, end
        self.months = months_between(start, end)
        self._origin = start.year * 12 + start.month - 1
        self._spans: dict[tuple[int, int], frozenset[Month]] = {}
        self._tuples: dict[tuple[int, int], tuple[Month, ...]] = {}
        self.spans_of: dict[str, tuple[int, int]] = {}

    def index(self, day: datetime.date) -> int:
        return day.year * 12 + day.month - 1 - self._origin

    def span(self, start: datetime.date, end: datetime.date | None) -> tuple[int, int] | None:
        first, last = max(start, self.start), min(end or self.end, self.end)
        if last < first:
            return None
        return self.index(first), self.index(last)

    def months_of(self, span: tuple[int, int]) -> frozenset[Month]:
        """The months of a span (first and last index, both included), one frozenset per
        span."""
        found = self._spans.get(span)
        if found is None:
            found = self._spans[span] = frozenset(self.months[span[0]:span[1] + 1])
        return found

    def month_tuple(self, span: tuple[int, int]) -> tuple[Month, ...]:
        """The months of a span in calendar order, one tuple per span."""
        found = self._tuples.get(span)
        if found is None:
            found = self._tuples[span] = tuple(self.months[span[0]:span[1] + 1])
        return found


class PlaceRow(NamedTuple):
    """A place used in one month: its number, whose it is, and what it triggers."""

    rank: int
    reference: str
    with_g: bool
    start_rate: bool
    amount: Decimal  # NOK; for the pilot a twelfth of the yearly rate, not rounded


_amount = itemgetter(4)  # PlaceRow.amount


@dataclass(frozen=True)
class MonthRows:
    month: Month
    rows: tuple[PlaceRow, ...]

    @cached_property
    def amount(self) -> Decimal:
        """The month's rows added up, to øre (computed once: the rows do not change)."""
        return to_ore(sum(map(_amount, self.rows), Decimal(0)))

    @property
    def with_g(self) -> int:
        return sum(1 for r in self.rows if r.with_g)

    @property
    def without_g(self) -> int:
        return len(self.rows) - self.with_g


@dataclass(frozen=True)
class ParticipantRow:
    reference: str
    start_date: datetime.date
    end_date: datetime.date | None
    with_g: bool
    months: tuple[Month, ...]
    amount: Decimal  # NOK, rounded to øre


@dataclass
class UsageReport:
    model: str
    period_start: datetime.date
    period_end: datetime.date
    months: list[MonthRows] = field(default_factory=list)
    participants: list[ParticipantRow] = field(default_factory=list)
    explained: Explained | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.participants)

    @property
    def total(self) -> Decimal:
        return self.explained.total if self.explained else Decimal("0.00")

    @property
    def participant_months(self) -> int:
        return sum(len(p.months) for p in self.participants)

    def as_dict(self) -> dict:
        """What is certified, in a layout that does not change: amounts in øre (integers),
        dates and months as text, participants by register id only."""
        return {
            "format": FORMAT,
            "model": self.model,
            "period": [self.period_start.isoformat(), self.period_end.isoformat()],
            "rule": MONTHS_RULE,
            "participants": [
                {"ref": p.reference, "start": p.start_date.isoformat(),
                 "end": p.end_date.isoformat() if p.end_date else None, "with_g": p.with_g,
                 "months": [str(m) for m in p.months], "amount_ore": ore(p.amount)}
                for p in self.participants],
            "months": [
                {"month": str(m.month), "amount_ore": ore(m.amount),
                 "places": [[r.rank, r.reference, r.with_g, r.start_rate] for r in m.rows]}
                for m in self.months],
            "explanation": self.explained.as_dict() if self.explained else None,
            "total_ore": ore(self.total),
        }

    def fingerprint(self) -> str:
        return fingerprint(self.as_dict())


def ore(amount: Decimal) -> int:
    return int(to_ore(amount) * 100)


def canonical_json(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                      ).encode("utf-8")


def fingerprint(data: dict) -> str:
    """SHA-256 over the canonical JSON of a report's ``as_dict``."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def _users(rows: list[RegisterRow], period: _Period
           ) -> tuple[list[PlaceUser], dict[str, RegisterRow], list[Month]]:
    """The place users for the rules core, and the months in which someone used a place."""
    users, by_key, used = [], {}, [False] * len(period.months)
    for row in rows:
        span = period.span(row.start_date, row.end_date)
        if span is not None:
            key = row.key
            users.append(PlaceUser(key, row.start_date, row.with_g, period.months_of(span)))
            by_key[key] = row
            period.spans_of[key] = span
            used[span[0]:span[1] + 1] = [True] * (span[1] - span[0] + 1)
    return users, by_key, [m for m, u in zip(period.months, used, strict=True) if u]


# A PlaceRow from its five values in order, without the Python-level __new__ of a
# NamedTuple (the same tuple): a report makes one per place and month.
_place_row = partial(tuple.__new__, PlaceRow)


def _report(model: str, rows: list[RegisterRow], period_start: datetime.date,
            period_end: datetime.date, rate_of, limit_name: str, params: Parameters,
            compute) -> UsageReport:
    """The report of either model: each month's places ranked, the first ``limit_name`` at
    the start rates, each row's amount from ``rate_of(start, with_g, month)`` (asked once per
    month and kind of place), the participants with their months and amounts, and
    ``compute(users, report)`` for the rules core's grant and explanation."""
    report = UsageReport(model, period_start, period_end)
    period = _Period(period_start, period_end)
    users, by_key, months = _users(rows, period)
    if not users:
        return report
    # The rules core's order (rank_in_month: start date, then register id; a test holds them
    # equal), sorted once; each month keeps those in the programme that month, in order,
    # as (the participant's position in that order, reference, with 1G).
    ordered = sorted(users, key=by_rank)
    references = [by_key[user.id].reference for user in ordered]
    totals = [Decimal(0)] * len(ordered)  # each participant's amount, month by month
    in_month: list[list[tuple[int, str, bool]]] = [[] for _month in period.months]
    for slot, user in enumerate(ordered):
        first, last = period.spans_of[user.id]
        entry = (slot, references[slot], user.with_g)
        for index in range(first, last + 1):
            in_month[index].append(entry)
    for month in months:
        # The month's places in rank order, as columns.
        slots, refs, with_gs = zip(*in_month[period.index(month.first_day)], strict=True)
        limit = params.get(limit_name, month.first_day).value
        cut = min(len(slots), max(0, math.floor(limit)))  # the places with rank <= limit
        placed: list[PlaceRow] = []
        for start, first, last in ((True, 0, cut), (False, cut, len(slots))):
            flags = with_gs[first:last]
            if not flags:
                continue
            # This month's rates of the band by 1G (a tuple indexed by the flag), each asked
            # only when the band has such a place.
            rate = (rate_of(start, False, month) if not all(flags) else None,
                    rate_of(start, True, month) if any(flags) else None)
            amounts = list(map(rate.__getitem__, flags))
            placed.extend(map(_place_row, zip(range(first + 1, last + 1), refs[first:last],
                                              flags, repeat(start, len(flags)), amounts,
                                              strict=True)))
            for slot, amount in zip(slots[first:last], amounts, strict=True):
                totals[slot] += amount
        report.months.append(MonthRows(month, tuple(placed)))
    spans = period.spans_of
    report.participants = [
        ParticipantRow(reference, u.start_date, by_key[u.id].end_date, u.with_g,
                       period.month_tuple(spans[u.id]), to_ore(total))
        for u, reference, total in zip(ordered, references, totals, strict=True)]
    report.explained = compute(users, report)
    report.explained.notes.append(MONTHS_RULE)
    return report


def used_places_report(rows: list[RegisterRow], period_start: datetime.date,
                       period_end: datetime.date, rates: MonthlyRates, *,
                       params: Parameters | None = None) -> UsageReport:
    """Jobbsjansen 2026: the places used each month, ranked, and ``grant_2026`` for them."""
    params = params or default_parameters()

    def compute(users: list[PlaceUser], report: UsageReport) -> Explained:
        result = grant_2026(users, rates, params=params)
        shown = {m.month: m.amount for m in report.months}
        if shown != result.by_month:  # each row is one place of the rules core's lines
            raise AssertionError("the used places do not add up to the grant month by month")
        return result.explained

    return _report(JOBBSJANSEN_2026, rows, period_start, period_end,
                   lambda start, with_g, month: rates.rate(start, with_g),
                   "jobbsjansen.start_places", params, compute)


def per_capita_report(rows: list[RegisterRow], period_start: datetime.date,
                      period_end: datetime.date, *, params: Parameters | None = None
                      ) -> UsageReport:
    """The per-capita pilot 2024: each participant's months in the period, ranked each
    month, a twelfth of the yearly rate per participant-month, and
    ``grant_per_capita_2024`` for them."""
    params = params or default_parameters()

    def rate_of(start: bool, with_g: bool, month: Month) -> Decimal:
        # grant_per_capita_2024 reads the yearly rates on 1 January of the first month's year
        name = (f"percapita.{'start' if start else 'base'}_rate_"
                f"{'with' if with_g else 'without'}_g")
        return params.get(name, datetime.date(period_start.year, 1, 1)).value / 12

    return _report(PER_CAPITA_2024, rows, period_start, period_end, rate_of,
                   "percapita.start_places", params,
                   lambda users, report: grant_per_capita_2024(users, params=params).explained)
