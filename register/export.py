"""Downloads of the participant overview, as CSV or as Excel (rustpy-xlsxwriter), each
built in memory by a background job (register.tasks) and nothing written to disk.

Both read the filtered queryset the same way (decision 0012): one streamed query for the
participants, with only the exported columns (``values_list``, fetched CHUNK rows at a
time), and one query before it for the measures of the same participants. Labels come from
dictionaries made once per file, in the user's language; no model instance is made."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from itertools import groupby
from operator import itemgetter

from django.db import connections
from django.db.models import CharField, ExpressionWrapper, F, Field, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from . import codes
from .models import Participant, ParticipantMeasure

CHUNK = 2000  # rows fetched from the database at a time

FIELDS = ["national_id", "name", "birth_date", "start_date", "financing", "status",
          "duration_extended", "family_situation", "children", "youngest_child_age",
          "education_home_country", "education_norway", "norwegian_level", "work_experience",
          "literacy", "introduction", "introduction_ended_on", "qualification_programme",
          "social_assistance", "transitional_benefit", "end_date", "end_reason",
          "interruption_reason", "transition", "position_percent", "industry", "employment",
          "education_level", "absence_percent", "check_state"]

# The query's columns: the participant's id (shown as its number, "D-000123"), the
# municipality's number, FIELDS. A row gets the measures as its last cell.
COLUMNS = ("pk", "organization__code", *FIELDS)
_AT = {name: index for index, name in enumerate(COLUMNS)}


def header() -> list[str]:
    names = [str(Participant._meta.get_field(name).verbose_name) for name in FIELDS]
    names = [name[:1].upper() + name[1:] for name in names]
    return [_("Participant number"), _("Municipality number"), *names, _("Measures")]


def _labels() -> list[dict]:
    """For each column of the query, {value: label} in the user's language: the coded
    and the yes/no columns' labels, nothing for the others. A value missing from its
    dictionary (an empty code, a code no longer listed, any other column's value) is
    shown as it is, so an empty value stays empty."""
    yes, no = _("Yes"), _("No")
    labels = []
    for name in COLUMNS:
        field = Participant._meta.get_field(name) if name in FIELDS else None
        if name == "industry":
            mapping = dict(codes.industries())
        elif field is not None and field.choices:
            mapping = {code: str(label) for code, label in field.choices}
        elif field is not None and field.get_internal_type() == "BooleanField":
            mapping = {True: yes, False: no}
        else:
            mapping = {}
        mapping.pop("", None)  # an empty code stays empty, never a label
        labels.append(mapping)
    return labels


class _Dates(dict):
    """Dates by their text, each parsed once (a register holds a few thousand distinct
    dates, each on many rows)."""

    def __missing__(self, text: str) -> datetime.date:
        value = self[text] = datetime.date.fromisoformat(text)
        return value


def _selected(vendor: str) -> tuple[list, list[int]]:
    """The query's columns, and the positions of those read as text to be made dates.

    Dates and yes/no columns are typed by the database driver already (psycopg; Python's
    sqlite3 from the declared column type, with the converters Django registers), so
    Django's own converters, which would convert each such cell a second time, are left
    out (the field wrapped with an output field that has none). On SQLite the dates are
    read as their text instead (an expression has no declared type, so sqlite3 leaves it)
    and made dates in rows() from a dictionary of those seen, far faster than sqlite3
    calling a Python function for every cell."""
    selected, as_text = [], []
    for at, name in enumerate(COLUMNS):
        kind = Participant._meta.get_field(name).get_internal_type() if name in FIELDS else ""
        if kind == "DateField" and vendor == "sqlite":
            selected.append(Cast(name, output_field=CharField()))
            as_text.append(at)
        elif kind in ("DateField", "BooleanField"):
            selected.append(ExpressionWrapper(F(name), output_field=Field()))
        else:
            selected.append(name)
    return selected, as_text


def _measures(queryset: QuerySet[Participant]) -> dict[int, str]:
    """Each participant's measures as one cell, "label; label" in the order they began,
    for the participants of the queryset (one query; a text shared by every participant
    with the same measures, so the dictionary costs little more than its keys)."""
    names = {code: str(label) for code, label in codes.Measure.choices}
    second = itemgetter(1)
    texts: dict[tuple[str, ...], str] = {}
    found = {}
    measures = (ParticipantMeasure.objects
                .filter(participant__in=queryset.order_by().values("pk"))
                .order_by("participant_id", "start_date", "id")
                .values_list("participant_id", "measure"))
    for pid, group in groupby(measures.iterator(chunk_size=CHUNK * 4), key=itemgetter(0)):
        key = tuple(map(second, group))
        text = texts.get(key)
        if text is None:
            text = texts[key] = "; ".join(names.get(code, code) for code in key)
        found[pid] = text
    return found


def rows(queryset: QuerySet[Participant], written: list[int] | None = None
         ) -> Iterator[list]:
    """The rows in the queryset's order, with labels in the user's language (never codes),
    the id number of a discharged participant masked as on the screen, dates as dates,
    numbers as numbers and None for an empty value. ``written`` receives each row's
    participant id as it is given."""
    labels = _labels()
    lookup = _measures(queryset).get
    note = written.append if written is not None else None
    status_at, id_at = _AT["status"], _AT["national_id"]
    discharged = codes.Status.DISCHARGED.value
    label = dict.get
    selected, as_text = _selected(connections[queryset.db].vendor)
    dates = _Dates()
    for row in queryset.values_list(*selected).iterator(chunk_size=CHUNK):
        pid = row[0]
        if note is not None:
            note(pid)
        cells = list(map(label, labels, row, row))  # each value by its column's labels
        cells[0] = f"D-{pid:06d}"
        if row[status_at] == discharged:
            cells[id_at] = f"{row[id_at][:6]} *****"
        for at in as_text:
            if (text := cells[at]) is not None:
                cells[at] = dates[text]
        cells.append(lookup(pid, ""))
        yield cells

PROGRESS_EVERY = 5000  # rows between two calls of a download's progress callback

Progress = Callable[[int, int], object]


def _total(queryset: QuerySet[Participant]) -> int:
    return queryset.count()


def _reported(queryset: QuerySet[Participant], items: Iterator[list],
              progress: Progress | None) -> Iterator[list]:
    """The rows, calling ``progress(done, total)`` first with 0 (``total`` counted then),
    then every PROGRESS_EVERY rows and once at the end with the rows given as both counts
    (the participants counted at the start may have changed meanwhile; the bar ends full)."""
    if progress is None:
        yield from items
        return
    total = _total(queryset)
    progress(0, total)
    done = 0
    for done, row in enumerate(items, start=1):
        yield row
        if done % PROGRESS_EVERY == 0 and done < total:
            progress(done, total)
    if done:
        progress(done, done)


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset: QuerySet[Participant], written: list[int] | None = None,
               progress: Progress | None = None) -> Iterator[str]:
    """The CSV file as pieces of text, read as they are taken: a byte order mark and the
    header, then a line a row, ``;``-separated (Excel in Norway expects semicolons), dates
    as ``yyyy-mm-dd``. ``written`` and ``progress`` as for xlsx_bytes."""
    # The header and the labels now, in the caller's language; the rows when taken.
    first = header()
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff" + writer.writerow(first)
        line = writer.writerow
        for row in _reported(queryset, rows(queryset, written), progress):
            yield line(row)

    return stream()


def csv_bytes(queryset: QuerySet[Participant], written: list[int] | None = None,
              progress: Progress | None = None) -> tuple[bytes, int]:
    """The CSV file in UTF-8, built in memory, and the number of rows in it."""
    buffer = io.BytesIO()
    put = buffer.write
    pieces = 0
    for piece in csv_stream(queryset, written, progress):
        put(piece.encode("utf-8"))
        pieces += 1
    return buffer.getvalue(), pieces - 1  # the first piece is the header


def _column_keys(names: list[str]) -> list[str]:
    """The header as the writer's record keys: each name once (a repeated label would merge
    two columns into one, so it gets a number)."""
    keys, seen = [], set()
    for name in names:
        key, n = name, 1
        while key in seen:
            n += 1
            key = f"{name} ({n})"
        seen.add(key)
        keys.append(key)
    return keys


def xlsx_bytes(queryset: QuerySet[Participant], written: list[int] | None = None,
               progress: Progress | None = None) -> tuple[bytes, int]:
    """The workbook, built in memory (never a temporary file with personal data on disk),
    and the number of rows in it.

    Written with rustpy-xlsxwriter (Rust's rust_xlsxwriter; decision 0012). Cells keep
    their types: text as text (id numbers too), whole numbers as numbers, dates as dates
    shown ``dd.mm.yyyy``; an empty value leaves the cell empty. (A Decimal would be
    written as a float: the register has none.) The sheet is built with
    ``dedupe_strings``: the labels repeat on every row, and that option also keeps the
    sheet in memory, where the writer's default, constant-memory mode spills the rows to a
    temporary file. ``written`` receives the participants the file contains, as they are
    written, for the access log; ``progress(done, total)`` is called as in _reported.
    """
    from rustpy_xlsxwriter import write_worksheet

    keys = _column_keys(header())
    count = 0

    def records():
        nonlocal count
        for row in _reported(queryset, rows(queryset, written), progress):
            count += 1
            yield dict(zip(keys, row, strict=True))
        if not count:  # the header alone: the writer takes its names from a first record
            yield dict.fromkeys(keys, "")

    buffer = io.BytesIO()
    write_worksheet(records(), buffer, sheet_name=_("Participants"), freeze_row=1,
                    bold_headers=True, autofilter=True, datetime_format="dd.mm.yyyy",
                    dedupe_strings=True)
    return buffer.getvalue(), count
