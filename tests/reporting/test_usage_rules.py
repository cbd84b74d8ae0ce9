"""The reports computed from the register (rules.usage), against hand-worked examples: the
rank of each place (start date, then register id), the 15 start-rate places of 2026 and the
10 start-rate participants of the 2024 pilot, with and without 1G, participants starting
and ending mid-month, and the hash over the canonical JSON."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest

from rules.calendar_util import Month
from rules.grants.jobbsjansen_2026 import MonthlyRates, grant_2026
from rules.grants.places import PlaceUser, rank_in_month
from rules.usage import (
    MONTHS_RULE,
    RegisterRow,
    fingerprint,
    months_used,
    per_capita_report,
    used_places_report,
)

D = datetime.date
RATES = MonthlyRates(Decimal(16000), Decimal(8000), Decimal(14500), Decimal(6500),
                     source="Eksempelsatser (test)", example=True)
YEAR_2026 = (D(2026, 1, 1), D(2026, 10, 31))


def test_a_part_of_a_month_counts_as_the_month_and_only_the_period_counts():
    assert months_used(D(2026, 3, 31), D(2026, 5, 1), *YEAR_2026) == {
        Month(2026, 3), Month(2026, 4), Month(2026, 5)}
    # Still in the programme: up to the reporting date, not beyond.
    assert max(months_used(D(2025, 6, 15), None, *YEAR_2026)) == Month(2026, 10)
    assert min(months_used(D(2025, 6, 15), None, *YEAR_2026)) == Month(2026, 1)
    assert months_used(D(2025, 1, 1), D(2025, 12, 31), *YEAR_2026) == frozenset()
    assert months_used(D(2026, 11, 1), None, *YEAR_2026) == frozenset()


def test_ranking_ties_go_by_register_id_as_a_number_not_as_text():
    # Same start date: register id 9 before 10 before 100 (as text "100" < "9").
    rows = [RegisterRow(100, D(2026, 2, 1), D(2026, 2, 28), True),
            RegisterRow(9, D(2026, 2, 1), D(2026, 2, 28), False),
            RegisterRow(10, D(2026, 2, 1), D(2026, 2, 28), True),
            RegisterRow(500, D(2026, 1, 20), D(2026, 2, 3), False)]  # earlier start: first
    report = used_places_report(rows, *YEAR_2026, RATES)
    february = next(m for m in report.months if m.month == Month(2026, 2))
    assert [(r.rank, r.reference) for r in february.rows] == [
        (1, "D-000500"), (2, "D-000009"), (3, "D-000010"), (4, "D-000100")]
    assert [m.month for m in report.months] == [Month(2026, 1), Month(2026, 2)]
    # January: one place without 1G; February: two with, two without, all start rates.
    assert report.total == Decimal(8000) + 2 * Decimal(16000) + 2 * Decimal(8000)
    assert february.with_g == 2 and february.without_g == 2


def test_the_first_15_places_get_start_rates_and_a_freed_place_is_taken_by_the_next():
    # 17 participants with 1G from January; number 3 ends on 10 March.
    rows = [RegisterRow(i, D(2026, 1, i), D(2026, 3, 10) if i == 3 else None, True)
            for i in range(1, 18)]
    report = used_places_report(rows, D(2026, 1, 1), D(2026, 4, 30), RATES)
    january, march, april = report.months[0], report.months[2], report.months[3]
    assert [r.start_rate for r in january.rows] == [True] * 15 + [False] * 2
    assert january.amount == 15 * Decimal(16000) + 2 * Decimal(14500)
    assert len(march.rows) == 17  # part of March counts
    assert len(april.rows) == 16
    # In April number 16 (D-000017) has moved up to place 15: a start rate.
    assert [(r.rank, r.reference, r.start_rate) for r in april.rows[-2:]] == [
        (15, "D-000016", True), (16, "D-000017", False)]
    assert april.amount == 15 * Decimal(16000) + Decimal(14500)
    # The grant is the rules core's, line by line, with its explanation.
    users = [PlaceUser(f"{i:012d}", D(2026, 1, i), True, frozenset(
        Month(2026, m) for m in range(1, 4 if i == 3 else 5))) for i in range(1, 18)]
    assert report.explained.as_dict() == {
        **grant_2026(users, RATES).explained.as_dict(),
        "notes": report.explained.notes}
    assert report.total == sum((m.amount for m in report.months), Decimal(0))
    assert report.total == Decimal(3 * 15 * 16000 + 3 * 2 * 14500 + 15 * 16000 + 14500)
    assert report.explained.title.startswith("Tilskudd Jobbsjansen 2026")
    assert MONTHS_RULE in report.explained.notes
    assert any(line.label == "april 2026: grunnsats med 1G"
               for line in report.explained.lines)
    by_ref = {p.reference: p for p in report.participants}
    assert by_ref["D-000003"].months == (Month(2026, 1), Month(2026, 2), Month(2026, 3))
    assert by_ref["D-000017"].amount == 4 * Decimal(14500)
    assert by_ref["D-000016"].amount == 3 * Decimal(14500) + Decimal(16000)


def test_with_and_without_1g_use_their_own_rates():
    rows = [RegisterRow(1, D(2026, 5, 2), D(2026, 6, 30), True),
            RegisterRow(2, D(2026, 5, 2), D(2026, 5, 31), False)]
    report = used_places_report(rows, *YEAR_2026, RATES)
    assert [(str(m.month), m.amount) for m in report.months] == [
        ("2026-05", Decimal(24000)), ("2026-06", Decimal(16000))]
    assert report.total == Decimal(40000)
    assert [p.amount for p in report.participants] == [Decimal(32000), Decimal(8000)]


def test_no_participants_in_the_period_is_no_data():
    report = used_places_report([RegisterRow(1, D(2025, 1, 1), D(2025, 12, 31), True)],
                                *YEAR_2026, RATES)
    assert not report.has_data and report.total == 0 and report.explained is None


def test_per_capita_the_first_10_participants_get_start_rates():
    # 11 participants from January, the 11th without 1G; the period is the first half.
    rows = [RegisterRow(i, D(2024, 1, 8), None, i != 11) for i in range(1, 12)]
    rows.append(RegisterRow(50, D(2024, 6, 20), None, True))  # June counts
    report = per_capita_report(rows, D(2024, 1, 1), D(2024, 6, 30))
    assert len(report.months) == 6
    june = report.months[-1]
    assert [(r.rank, r.start_rate, r.with_g) for r in june.rows][-3:] == [
        (10, True, True), (11, False, False), (12, False, True)]
    # 10 × 6 months at 181 000 / 12, 6 months at 55 000 / 12, 1 month at 163 000 / 12.
    expected = (Decimal(181000) * 60 + Decimal(55000) * 6 + Decimal(163000)) / 12
    assert report.total == expected.quantize(Decimal("0.01"))
    by_ref = {p.reference: p for p in report.participants}
    assert by_ref["D-000001"].amount == Decimal("90500.00")  # 181 000 / 2
    assert by_ref["D-000011"].amount == Decimal("27500.00")
    assert by_ref["D-000050"].months == (Month(2024, 6),)
    assert report.participant_months == 10 * 6 + 6 + 1
    assert report.explained.lines[0].label.startswith("til og med 30. juni")


def test_the_hash_is_over_canonical_json_and_changes_with_the_register():
    rows = [RegisterRow(1, D(2026, 5, 2), None, True)]
    report = used_places_report(rows, *YEAR_2026, RATES)
    data = report.as_dict()
    assert data["total_ore"] == 6 * 1_600_000 and data["participants"][0]["ref"] == "D-000001"
    assert all(isinstance(m["amount_ore"], int) for m in data["months"])
    assert report.fingerprint() == fingerprint(dict(reversed(list(data.items()))))
    changed = used_places_report([RegisterRow(1, D(2026, 5, 2), None, False)], *YEAR_2026,
                                 RATES)
    assert changed.fingerprint() != report.fingerprint()


@pytest.mark.parametrize("with_g", [True, False])
def test_rows_add_up_to_the_rules_core_grant(with_g):
    rows = [RegisterRow(i, D(2026, 1 + i % 9, 1 + i % 27), None, with_g) for i in range(40)]
    report = used_places_report(rows, *YEAR_2026, RATES)
    assert sum((p.amount for p in report.participants), Decimal(0)) == report.total


def test_the_months_of_each_row_are_months_used():
    rows = [RegisterRow(i, D(2025, 1 + i % 12, 1 + i % 28),
                        None if i % 3 else D(2026, 1 + i % 10, 1 + i % 27), i % 2 == 0)
            for i in range(1, 80)]
    report = used_places_report(rows, *YEAR_2026, RATES)
    by_ref = {p.reference: p for p in report.participants}
    for row in rows:
        months = months_used(row.start_date, row.end_date, *YEAR_2026)
        assert (tuple(sorted(months)) if months else None) == (
            by_ref[row.reference].months if row.reference in by_ref else None)


def test_the_rank_of_every_place_is_the_rules_cores_rank_in_month():
    rng = random.Random(12)
    rows = [RegisterRow(rng.randint(1, 10**7), D(2025, 12, 1) + datetime.timedelta(
        days=rng.randint(0, 60)), None if rng.random() < 0.5 else D(2026, rng.randint(1, 10),
                                                                    rng.randint(1, 28)),
        rng.random() < 0.7) for _ in range(120)]
    rows = list({r.id: r for r in rows}.values())
    report = used_places_report(rows, *YEAR_2026, RATES)
    users = [PlaceUser(r.key, r.start_date, r.with_g, months_used(
        r.start_date, r.end_date, *YEAR_2026)) for r in rows]
    users = [u for u in users if u.months]
    for month_rows in report.months:
        expected = [(rank, f"D-{int(u.id):06d}")
                    for rank, u in rank_in_month(users, month_rows.month)]
        assert [(r.rank, r.reference) for r in month_rows.rows] == expected
