"""The fast paths of the places rules against straightforward references: ``ranked_by_month``
against ``rank_in_month`` month by month, ``grant_2026`` against the rule written out line by
line (one ``rank_in_month`` per month, every string formatted anew), and the used-places and
per-capita reports against the same, row by row — the same ranks, amounts, explanation text
and fingerprints, also when the number of start places changes during the year."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar_util import Month
from rules.explain import Explained, to_ore
from rules.grants.jobbsjansen_2026 import MonthlyRates, grant_2026
from rules.grants.places import RULE_TEXT, PlaceUser, rank_in_month, rank_key, ranked_by_month
from rules.params import Parameter, Parameters, ParameterValue, default_parameters
from rules.text import kr, month_name, places, plural
from rules.usage import (
    MONTHS_RULE,
    MonthRows,
    ParticipantRow,
    PlaceRow,
    RegisterRow,
    months_used,
    per_capita_report,
    used_places_report,
)

D = datetime.date
RATES = MonthlyRates(Decimal("16000.50"), Decimal(8000), Decimal(14500), Decimal("6500.25"),
                     source="Eksempelsatser (test)", example=True)
START = "jobbsjansen.start_places"


def _params_with(name: str, periods: list[tuple[datetime.date, str]]) -> Parameters:
    """The default parameters, with ``name`` given these values from these dates."""
    defaults = default_parameters()
    found = {n: defaults.parameter(n) for n in defaults.names()}
    old = found[name]
    values = []
    for index, (start, value) in enumerate(periods):
        end = periods[index + 1][0] - datetime.timedelta(days=1) if index + 1 < len(
            periods) else None
        values.append(ParameterValue(name, Decimal(value), start, end, "Test", old.unit,
                                     display=value))
    found[name] = Parameter(name, old.description, old.unit, tuple(values))
    return Parameters(found)


# The number of start places: as in the data, few, fractional, more than anyone uses, and
# changing in the middle of the year (with equal values written differently).
LIMITS = [
    None,
    [(D(2020, 1, 1), "3")],
    [(D(2020, 1, 1), "0")],
    [(D(2020, 1, 1), "2.5")],
    [(D(2020, 1, 1), "400")],
    [(D(2020, 1, 1), "4"), (D(2026, 5, 1), "2"), (D(2026, 8, 1), "4.0")],
]


def _params(choice: int) -> Parameters:
    periods = LIMITS[choice]
    return default_parameters() if periods is None else _params_with(START, periods)


def reference_grant_2026(users: list[PlaceUser], rates: MonthlyRates, params: Parameters):
    """grant_2026 as the rule reads: rank_in_month for each month, the place numbers of
    each band and 1G grouped, every line formatted from scratch."""
    months = sorted({m for u in users for m in u.months})
    explained = Explained("Tilskudd Jobbsjansen 2026 (sats per benyttet plass per måned)")
    explained.notes.append(RULE_TEXT)
    by_month: dict[Month, Decimal] = defaultdict(Decimal)
    parts = {True: Decimal(0), False: Decimal(0)}
    for month in months:
        limit = params.get(START, month.first_day)
        groups: dict[tuple[bool, bool], list[int]] = defaultdict(list)
        for place, user in rank_in_month(users, month):
            groups[(place <= limit.value, user.with_g)].append(place)
        for (start, with_g), numbers in sorted(groups.items(), key=lambda kv: kv[1][0]):
            rate = rates.parameter(start, with_g, months[0].first_day)
            band = (f"startsats: plass 1 til og med {limit.value}" if start
                    else f"grunnsats: fra plass {limit.value + 1}")
            label = f"{'startsats' if start else 'grunnsats'} {'med' if with_g else 'uten'} 1G"
            line = explained.add(
                f"{month_name(month.year, month.month)}: {label}", rate.value * len(numbers),
                f"{plural(len(numbers), 'plass', 'plasser')} ({places(numbers)}) × "
                f"{kr(rate.value)} ({band})", (rate, limit))
            by_month[month] += line.amount
            parts[start] += line.amount
    return explained, dict(by_month), parts[True], parts[False]


def reference_rows(rows: list[RegisterRow], period: tuple[datetime.date, datetime.date],
                   rate_of, limit_of) -> tuple[list[MonthRows], list[ParticipantRow]]:
    """A report's month rows and participants from months_used and rank_in_month."""
    users, by_key = [], {r.key: r for r in rows}
    for row in rows:
        months = months_used(row.start_date, row.end_date, *period)
        if months:
            users.append(PlaceUser(row.key, row.start_date, row.with_g, months))
    amounts = {u.id: Decimal(0) for u in users}
    month_rows = []
    for month in sorted({m for u in users for m in u.months}):
        placed = []
        for rank, user in rank_in_month(users, month):
            start = rank <= limit_of(month)
            amount = rate_of(start, user.with_g, month)
            amounts[user.id] += amount
            placed.append(PlaceRow(rank, by_key[user.id].reference, user.with_g, start, amount))
        month_rows.append(MonthRows(month, tuple(placed)))
    participants = [
        ParticipantRow(by_key[u.id].reference, u.start_date, by_key[u.id].end_date, u.with_g,
                       tuple(sorted(u.months)), to_ore(amounts[u.id]))
        for u in sorted(users, key=rank_key)]
    return month_rows, participants


month_sets = st.lists(st.integers(1, 12), max_size=12).map(
    lambda ms: frozenset(Month(2026, m) for m in ms))
users_strategy = st.lists(st.tuples(st.booleans(), month_sets, st.integers(0, 40)),
                          min_size=1, max_size=60)


def _users(spec, *, shared: bool) -> list[PlaceUser]:
    """Users from (1G, months, start day); ``shared``: equal month sets as one object, as the
    register's reports give them."""
    pool: dict[frozenset, frozenset] = {}
    return [PlaceUser(f"u{i:03d}", D(2025, 1, 1) + datetime.timedelta(days), with_g,
                      pool.setdefault(months, months) if shared else frozenset(months))
            for i, (with_g, months, days) in enumerate(spec)]


@settings(max_examples=80)
@given(users_strategy, st.booleans())
def test_ranked_by_month_is_rank_in_month_for_every_month(spec, shared):
    users = _users(spec, shared=shared)
    ranked = ranked_by_month(users)
    assert list(ranked) == sorted({m for u in users for m in u.months})
    for month, active in ranked.items():
        assert list(enumerate(active, start=1)) == rank_in_month(users, month)


@settings(max_examples=80)
@given(users_strategy, st.booleans(), st.integers(0, len(LIMITS) - 1))
def test_grant_2026_is_the_rule_written_out(spec, shared, limits):
    users = _users(spec, shared=shared)
    if not any(u.months for u in users):
        return
    params = _params(limits)
    result = grant_2026(users, RATES, params=params)
    explained, by_month, start_part, base_part = reference_grant_2026(users, RATES, params)
    assert result.explained.as_dict() == explained.as_dict()
    assert result.explained.as_text() == explained.as_text()
    assert result.by_month == by_month and list(result.by_month) == list(by_month)
    assert (result.start_part, result.base_part) == (start_part, base_part)


register_strategy = st.lists(
    st.tuples(st.integers(1, 10**6), st.integers(0, 700), st.none() | st.integers(0, 400),
              st.booleans()), min_size=1, max_size=60, unique_by=lambda t: t[0])


def _register(spec) -> list[RegisterRow]:
    return [RegisterRow(pk, D(2025, 1, 1) + datetime.timedelta(days=start),
                        None if length is None else D(2025, 1, 1) + datetime.timedelta(
                            days=start + length), with_g)
            for pk, start, length, with_g in spec]


@settings(max_examples=80)
@given(register_strategy, st.integers(0, len(LIMITS) - 1),
       st.sampled_from([(D(2026, 1, 1), D(2026, 12, 31)), (D(2026, 3, 15), D(2026, 10, 31))]))
def test_the_used_places_report_is_the_rule_written_out(spec, limits, period):
    rows, params = _register(spec), _params(limits)
    report = used_places_report(rows, *period, RATES, params=params)
    months, participants = reference_rows(
        rows, period, lambda start, with_g, month: RATES.rate(start, with_g),
        lambda month: params.get(START, month.first_day).value)
    assert report.months == months and report.participants == participants
    if not participants:
        assert not report.has_data and report.explained is None
        return
    users = [PlaceUser(r.key, r.start_date, r.with_g, months_used(r.start_date, r.end_date,
                                                                  *period)) for r in rows]
    explained = reference_grant_2026([u for u in users if u.months], RATES, params)[0]
    explained.notes.append(MONTHS_RULE)
    assert report.explained.as_dict() == explained.as_dict()
    expected = dataclasses.replace(report, months=months, participants=participants,
                                   explained=explained)
    assert report.as_dict() == expected.as_dict()
    assert report.fingerprint() == expected.fingerprint()


@settings(max_examples=40)
@given(register_strategy)
def test_the_per_capita_report_is_the_rule_written_out(spec):
    rows, period, params = _register(spec), (D(2024, 1, 1), D(2024, 12, 31)), None
    rows = [r._replace(start_date=r.start_date.replace(year=r.start_date.year - 2),
                       end_date=r.end_date and r.end_date.replace(year=r.end_date.year - 2))
            for r in rows]
    params = default_parameters()

    def rate_of(start, with_g, month):
        name = (f"percapita.{'start' if start else 'base'}_rate_"
                f"{'with' if with_g else 'without'}_g")
        return params.get(name, D(2024, 1, 1)).value / 12

    report = per_capita_report(rows, *period)
    months, participants = reference_rows(
        rows, period, rate_of, lambda month: params.get("percapita.start_places",
                                                        month.first_day).value)
    assert report.months == months and report.participants == participants
    assert [m.amount for m in report.months] == [m.amount for m in months]
