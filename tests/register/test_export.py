"""The register's downloads as files: the Excel workbook opened with openpyxl (typed cells,
Norwegian date format, labels not codes, the header alone when nothing matches) and the
progress callback both writers take for a background job."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from register import codes, export
from register.export import FIELDS
from register.models import Participant


def _column(name: str) -> int:
    return 2 + FIELDS.index(name)  # participant number and municipality number come first


@pytest.fixture
def drammen_rows(drammen):
    return Participant.objects.filter(organization=drammen).order_by("id")


@pytest.fixture
def known(drammen_rows):
    """An ended participant with every kind of value filled in."""
    p = drammen_rows.exclude(status=codes.Status.DISCHARGED).first()
    Participant.objects.filter(pk=p.pk).update(
        birth_date=datetime.date(1988, 3, 9), start_date=datetime.date(2024, 1, 15),
        end_date=datetime.date(2025, 2, 28), status=codes.Status.ENDED,
        financing=codes.Financing.ALLOWANCE, children=3, position_percent=60,
        duration_extended=True, end_reason=codes.EndReason.WORK,
        transition=codes.Transition.WORK, industry="", absence_percent=None)
    p.refresh_from_db()
    return p


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active  # not read-only: formats are read


def _row_of(sheet, p: Participant) -> list:
    number = f"D-{p.pk:06d}"
    return next(row for row in sheet.iter_rows(min_row=2) if row[0].value == number)


def test_excel_cells_are_typed_with_norwegian_dates(drammen_rows, known):
    with translation.override("nb"):
        content, count = export.xlsx_bytes(drammen_rows)
        header = export.header()
    sheet = _sheet(content)
    assert count == drammen_rows.count() == sheet.max_row - 1
    assert [cell.value for cell in sheet[1]] == header
    assert all(cell.font.b for cell in sheet[1])  # the header in bold, frozen, filtered
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{count + 1}"
    assert sheet.title == "Deltakere"

    row = _row_of(sheet, known)
    for name, value in [("birth_date", datetime.date(1988, 3, 9)),
                        ("start_date", datetime.date(2024, 1, 15)),
                        ("end_date", datetime.date(2025, 2, 28))]:
        cell = row[_column(name)]
        assert cell.is_date and cell.value.date() == value, name
        assert cell.number_format == "dd.mm.yyyy", name
    for name, value in [("children", 3), ("position_percent", 60)]:
        cell = row[_column(name)]
        assert cell.data_type == "n" and cell.value == value, name
        assert not isinstance(cell.value, bool)
    number = row[_column("national_id")]
    assert number.data_type == "s" and number.value == known.national_id  # 11 digits, text
    assert row[1].data_type == "s" and row[1].value == "3301"  # leading zeros would stay
    assert row[_column("absence_percent")].value is None  # empty stays empty, not 0 or ""
    assert row[_column("industry")].value is None
    # Labels in the user's language, never the codes.
    assert row[_column("status")].value == "Avsluttet, i etteroppfølging"
    assert row[_column("financing")].value == "Jobbsjansestønad (minst 1G)"
    assert row[_column("duration_extended")].value == "Ja"
    measures = row[-1].value
    assert measures and not set(measures.split("; ")) & set(codes.Measure.values)


def test_excel_labels_follow_the_language(drammen_rows, known):
    with translation.override("en"):
        content, _count = export.xlsx_bytes(drammen_rows)
    sheet = _sheet(content)
    assert sheet.title == "Participants"
    assert sheet.cell(1, 1).value == "Participant number"
    row = _row_of(sheet, known)
    assert row[_column("financing")].value == "Jobbsjansen allowance (at least 1G)"
    assert row[_column("duration_extended")].value == "Yes"
    statuses = {r[_column("status")].value for r in sheet.iter_rows(min_row=2)}
    assert statuses and not statuses & set(codes.Status.values)


def test_a_discharged_participant_is_masked_in_excel_too(drammen_rows):
    discharged = drammen_rows.filter(status=codes.Status.DISCHARGED).first()
    assert discharged is not None
    content, _count = export.xlsx_bytes(drammen_rows)
    row = _row_of(_sheet(content), discharged)
    assert row[_column("national_id")].value == f"{discharged.national_id[:6]} *****"


def test_excel_of_nothing_has_the_header_alone(drammen_rows):
    written: list[int] = []
    with translation.override("nb"):
        content, count = export.xlsx_bytes(drammen_rows.none(), written)
        header = export.header()
    rows = list(_sheet(content).iter_rows(values_only=True))
    assert count == 0 and written == []
    assert rows == [tuple(header)]


def test_excel_records_the_participants_it_wrote(drammen_rows):
    written: list[int] = []
    content, count = export.xlsx_bytes(drammen_rows, written)
    numbers = [row[0] for row in _sheet(content).iter_rows(min_row=2, values_only=True)]
    assert written == list(drammen_rows.values_list("pk", flat=True))
    assert numbers == [f"D-{pk:06d}" for pk in written] and count == len(written)


def test_excel_header_names_are_unique_in_every_language():
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            names = export.header()
        assert len(set(names)) == len(names), language
    assert export._column_keys(["A", "B", "A", "A"]) == ["A", "B", "A (2)", "A (3)"]


def test_a_failure_while_reading_is_raised_not_a_short_file(drammen_rows, monkeypatch):
    def broken(*args, **kwargs):
        yield ["D-000001", "3301", *[""] * len(FIELDS), ""]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(export, "rows", broken)
    with pytest.raises(RuntimeError, match="went away"):
        export.xlsx_bytes(drammen_rows)


# -- progress --------------------------------------------------------------------------------

def _check_progress(calls: list[tuple[int, int]], total: int, every: int) -> None:
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    done = [d for d, _t in calls]
    assert done == sorted(set(done))  # strictly increasing
    assert all(t == total for _d, t in calls)
    assert all(b - a <= every for a, b in zip(done, done[1:], strict=False))
    assert all(d % every == 0 for d in done[1:-1])  # no more often than every `every` rows


@pytest.mark.parametrize("every", [1, 2, 5, 1000])
def test_excel_reports_progress_ending_at_the_total(drammen_rows, monkeypatch, every):
    monkeypatch.setattr(export, "PROGRESS_EVERY", every)
    calls: list[tuple[int, int]] = []
    _content, count = export.xlsx_bytes(drammen_rows, progress=lambda d, t: calls.append((d, t)))
    total = drammen_rows.count()
    assert count == total > 5
    _check_progress(calls, total, every)
    assert len(calls) <= total // every + 2


def test_csv_reports_progress_as_it_is_streamed(drammen_rows, monkeypatch):
    monkeypatch.setattr(export, "PROGRESS_EVERY", 3)
    calls: list[tuple[int, int]] = []
    stream = export.csv_stream(drammen_rows, progress=lambda d, t: calls.append((d, t)))
    assert calls == []  # nothing happens before the file is sent
    body = "".join(stream)
    total = drammen_rows.count()
    assert len(list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))) == total + 1
    _check_progress(calls, total, 3)


def test_progress_of_nothing_is_zero_of_zero(drammen_rows):
    calls: list[tuple[int, int]] = []
    export.xlsx_bytes(drammen_rows.none(), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 0)]
    calls.clear()
    "".join(export.csv_stream(drammen_rows.none(), progress=lambda d, t: calls.append((d, t))))
    assert calls == [(0, 0)]


def test_progress_counts_the_rows_written_when_some_vanish(drammen_rows, monkeypatch):
    """A participant deleted between listing the ids and writing its chunk is left out; the
    last call then gives the rows written as both counts, so a progress bar ends full."""
    monkeypatch.setattr(export, "PROGRESS_EVERY", 2)
    ids = export.participant_ids(drammen_rows)
    gone = ids[1]
    monkeypatch.setattr(export, "participant_ids", lambda qs: ids)
    calls: list[tuple[int, int]] = []
    queryset = drammen_rows.exclude(pk=gone)  # as if deleted after the ids were read
    _content, count = export.xlsx_bytes(queryset, progress=lambda d, t: calls.append((d, t)))
    assert count == len(ids) - 1
    assert calls[0] == (0, len(ids)) and calls[-1] == (count, count)
