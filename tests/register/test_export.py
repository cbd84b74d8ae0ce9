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
from register.models import Participant, ParticipantMeasure


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


def test_excel_is_a_plain_workbook_openpyxl_reads_cell_by_cell(drammen_rows, known):
    """The module's own writer (decision 0012): every cell read back with openpyxl has the
    value and the type of the row it came from (text as text, whole numbers as int, dates
    as dates shown dd.mm.yyyy, an empty value as an empty cell), also in read-only mode,
    and text that XML must escape or cannot hold comes back escaped or without it."""
    Participant.objects.filter(pk=known.pk).update(name="Å & <Ø> \x01\x0bx ")
    with translation.override("nb"):
        content, count = export.xlsx_bytes(drammen_rows)
        expected = list(export.rows(drammen_rows))
    assert content[:2] == b"PK" and count == len(expected)
    for read_only in (False, True):
        book = load_workbook(io.BytesIO(content), read_only=read_only)
        assert book.sheetnames == ["Deltakere"]
        got = list(book.active.iter_rows(min_row=2))
        assert len(got) == len(expected)
        for cells, row in zip(got, expected, strict=True):
            values = [cell.value for cell in cells]
            values += [None] * (len(row) - len(values))  # read-only ends a row at its last cell
            for cell, value, want in zip(cells, values, row, strict=False):
                if isinstance(want, datetime.date):
                    assert cell.is_date and cell.number_format == "dd.mm.yyyy"
                    assert value == datetime.datetime.combine(want, datetime.time())
                elif isinstance(want, int):
                    assert cell.data_type == "n" and type(value) is int and value == want
                elif want in (None, ""):
                    assert value is None
                else:
                    assert cell.data_type == "s" and value == want.replace("\x01", "").replace(
                        "\x0b", "")
            assert values[len(row):] == []
    row = _row_of(_sheet(content), known)
    assert row[_column("name")].value == "Å & <Ø> x "
    assert row[_column("birth_date")].value == datetime.datetime(1988, 3, 9)


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
    """A participant counted at the start but gone before its row is read is left out;
    the last call then gives the rows written as both counts, so a progress bar ends full."""
    monkeypatch.setattr(export, "PROGRESS_EVERY", 2)
    total = drammen_rows.count()
    monkeypatch.setattr(export, "_total", lambda queryset: total)
    calls: list[tuple[int, int]] = []
    written: list[int] = []
    gone = drammen_rows.values_list("pk", flat=True)[1]
    queryset = drammen_rows.exclude(pk=gone)  # as if deleted after the count
    _content, count = export.xlsx_bytes(queryset, written,
                                        progress=lambda d, t: calls.append((d, t)))
    assert count == total - 1 == len(written) and gone not in written
    assert calls[0] == (0, total) and calls[-1] == (count, count)
    assert all(d < t for d, t in calls[1:-1])  # never past the count while it runs


# -- the rows: one query for the participants, one for their measures -------------------

def test_the_rows_are_read_in_two_queries_whatever_their_number(drammen_rows, monkeypatch,
                                                                django_assert_num_queries):
    monkeypatch.setattr(export, "CHUNK", 2)  # many chunks: still one query each
    total = drammen_rows.count()
    assert total > 10
    with django_assert_num_queries(2):
        assert len(list(export.rows(drammen_rows))) == total
    with django_assert_num_queries(3):  # with progress: the count first
        _content, count = export.xlsx_bytes(drammen_rows, progress=lambda d, t: None)
    assert count == total


def test_measures_are_labels_in_the_order_they_began(drammen_rows, known):
    known.measures.all().delete()
    for measure, start in [(codes.Measure.WORK_TRIAL, datetime.date(2024, 6, 1)),
                           (codes.Measure.NORWEGIAN, datetime.date(2024, 1, 20)),
                           (codes.Measure.MENTOR, datetime.date(2024, 3, 1))]:
        ParticipantMeasure.objects.create(participant=known, measure=measure,
                                          start_date=start)
    with translation.override("en"):
        row = next(r for r in export.rows(drammen_rows) if r[0] == f"D-{known.pk:06d}")
    assert row[-1] == ("Norwegian language training; Mentor or job coach; "
                       "Work trial with wage subsidy")
    without = drammen_rows.exclude(pk=known.pk).filter(measures__isnull=True).first()
    if without is not None:
        row = next(r for r in export.rows(drammen_rows) if r[0] == f"D-{without.pk:06d}")
        assert row[-1] == ""


def test_the_rows_follow_the_querysets_order_and_scope(drammen_rows, drammen):
    queryset = drammen_rows.order_by("-start_date", "-id")
    written: list[int] = []
    numbers = [row[0] for row in export.rows(queryset, written)]
    assert written == list(queryset.values_list("pk", flat=True))
    assert numbers == [f"D-{pk:06d}" for pk in written]
    assert set(written) == set(Participant.objects.filter(organization=drammen)
                               .values_list("pk", flat=True))


# -- CSV -------------------------------------------------------------------------------------

def test_csv_is_utf8_with_bom_semicolons_and_labels(drammen_rows, known):
    written: list[int] = []
    with translation.override("nb"):
        content, count = export.csv_bytes(drammen_rows, written)
        header = export.header()
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs
    text = content.decode("utf-8")[1:]
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == header
    assert count == len(lines) - 1 == drammen_rows.count() == len(written)
    assert text.endswith("\r\n") and text.count("\r\n") == count + 1  # Excel's line ends
    assert [line[0] for line in lines[1:]] == [f"D-{pk:06d}" for pk in written]
    row = next(line for line in lines[1:] if line[0] == f"D-{known.pk:06d}")
    assert len(row) == len(header)
    assert row[1] == "3301" and row[_column("national_id")] == known.national_id
    assert row[_column("birth_date")] == "1988-03-09"  # dates as ISO dates in the CSV
    assert row[_column("end_date")] == "2025-02-28"
    assert row[_column("children")] == "3" and row[_column("position_percent")] == "60"
    assert row[_column("status")] == "Avsluttet, i etteroppfølging"
    assert row[_column("duration_extended")] == "Ja"
    assert row[_column("absence_percent")] == "" and row[_column("industry")] == ""


def test_csv_bytes_are_the_stream_encoded(drammen_rows):
    with translation.override("en"):
        content, count = export.csv_bytes(drammen_rows)
        streamed = "".join(export.csv_stream(drammen_rows)).encode("utf-8")
    assert content == streamed and count == drammen_rows.count()


def test_csv_of_nothing_has_the_header_alone(drammen_rows):
    with translation.override("en"):
        content, count = export.csv_bytes(drammen_rows.none())
        header = export.header()
    assert count == 0
    assert content == ("\ufeff" + ";".join(header) + "\r\n").encode("utf-8")


def test_a_discharged_participant_is_masked_in_csv(drammen_rows):
    discharged = drammen_rows.filter(status=codes.Status.DISCHARGED).first()
    content, _count = export.csv_bytes(drammen_rows)
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    row = next(line for line in lines if line[0] == f"D-{discharged.pk:06d}")
    assert row[_column("national_id")] == f"{discharged.national_id[:6]} *****"
    assert discharged.national_id not in content.decode("utf-8-sig")
