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
import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from html import escape
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


# -- the workbook ----------------------------------------------------------------------------
# A single-sheet XLSX of our own (decision 0012): the parts Excel needs, the sheet's XML built
# row by row as text and compressed into the zip as it is made, in memory.

XLSX_LEVEL = 1  # zlib level: the fastest; level 6 makes the file ~25 % smaller, twice as slow
_ROWS_PER_WRITE = 1000  # rows joined into one piece of XML before it goes to the zip
_TEXTS_KEPT = 20_000  # escaped texts remembered (the labels repeat; names and ids do not)
_EPOCH = datetime.date(1899, 12, 30).toordinal()  # Excel's day 0 (1900 date system)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Styles: 0 normal, 1 bold (the header), 2 a date shown dd.mm.yyyy.
_BOLD, _DATE = 1, 2
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>")
_PARTS = {
    "[Content_Types].xml": (
        f'{_HEAD}<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'{_HEAD}<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        f'{_HEAD}<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": _STYLES,
}


def _column_letters(count: int) -> list[str]:
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _xml_text(value: str) -> str:
    """Text as XML character data: &, < and > escaped, characters XML cannot hold (control
    characters but tab and line breaks, lone surrogates) left out."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if _NOT_XML.search(value):
        value = _NOT_XML.sub("", value)
    return value


def _text_cell(value: str) -> str:
    """The end of a text cell after its reference: an inline string (its spaces at either
    end kept)."""
    text = _xml_text(value)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _sheet_rows(items: Iterator[list]) -> Iterator[str]:
    """Each row's XML, from the second row on: text as inline strings, whole numbers (and
    other numbers) as numbers, dates as day numbers in the date style, True/False as
    booleans; an empty value (None or "") is an empty cell.

    Cells carry no reference (``r`` is optional in SpreadsheetML: a cell is in the column
    after the one before it, a row after the row before), so a value that repeats — a
    label, a date, a small number — is the same piece of XML every time, made once."""
    date, text_type, int_type = datetime.date, str, int
    texts: dict[str, str] = {}
    dates: dict[datetime.date, str] = {}
    numbers: dict[int, str] = {}
    for row in items:
        parts = ["<row>"]
        add = parts.append
        for value in row:
            kind = type(value)
            if kind is text_type:
                cell = texts.get(value)
                if cell is None:
                    cell = f"<c{_text_cell(value)}" if value else "<c/>"
                    if len(texts) < _TEXTS_KEPT:
                        texts[value] = cell
                add(cell)
            elif value is None:
                add("<c/>")
            elif kind is int_type:
                cell = numbers.get(value)
                if cell is None:
                    cell = numbers[value] = f"<c><v>{value}</v></c>"
                add(cell)
            elif kind is date:
                cell = dates.get(value)
                if cell is None:
                    cell = dates[value] = (f'<c s="{_DATE}"><v>{value.toordinal() - _EPOCH}'
                                           "</v></c>")
                add(cell)
            elif isinstance(value, bool):
                add(f'<c t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime.datetime):
                day = value - datetime.datetime(1899, 12, 30, tzinfo=value.tzinfo)
                add(f'<c s="{_DATE}"><v>{day / datetime.timedelta(days=1)!r}</v></c>')
            elif isinstance(value, float | Decimal | int):
                add(f"<c><v>{value}</v></c>")
            else:
                add(f"<c{_text_cell(str(value))}")
        add("</row>")
        yield "".join(parts)


def _date_columns() -> list[int]:
    """The positions (from 0) of the date columns, shown dd.mm.yyyy also where empty."""
    return [2 + at for at, name in enumerate(FIELDS)
            if Participant._meta.get_field(name).get_internal_type() == "DateField"]


def xlsx_bytes(queryset: QuerySet[Participant], written: list[int] | None = None,
               progress: Progress | None = None) -> tuple[bytes, int]:
    """The workbook, built in memory (never a temporary file with personal data on disk),
    and the number of rows in it.

    One sheet, named in the user's language: the header in bold, frozen, with an
    autofilter; text as text (id numbers too), whole numbers as numbers, dates as dates
    shown ``dd.mm.yyyy``; an empty value leaves the cell empty. Written by this module
    (decision 0012): the sheet's XML is made row by row and compressed into the zip (zlib
    level XLSX_LEVEL) as it is made, so neither the sheet nor the cells are held. ``written``
    receives the participants the file contains, as they are written, for the access log;
    ``progress(done, total)`` is called as in _reported.
    """
    names = header()
    letters = _column_letters(len(names))
    last = letters[-1]
    title = _("Participants")
    count = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=XLSX_LEVEL) as book:
        for name, content in _PARTS.items():
            book.writestr(name, content)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            cols = "".join(f'<col min="{at + 1}" max="{at + 1}" width="9.140625" '
                           f'style="{_DATE}"/>' for at in _date_columns())
            first = "".join(f'<c r="{letter}1" s="{_BOLD}"{_text_cell(name)}'
                            for letter, name in zip(letters, names, strict=True))
            sheet.write((f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
                         '<sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" '
                         'topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection '
                         'pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr '
                         f'defaultRowHeight="15"/><cols>{cols}</cols><sheetData><row r="1">'
                         f"{first}</row>").encode())
            items = _reported(queryset, rows(queryset, written), progress)
            piece: list[str] = []
            for line in _sheet_rows(items):
                count += 1
                piece.append(line)
                if len(piece) == _ROWS_PER_WRITE:
                    sheet.write("".join(piece).encode())
                    piece.clear()
            sheet.write("".join(piece).encode())
            area = f"A1:{last}{count + 1}"
            sheet.write(f'</sheetData><autoFilter ref="{area}"/><pageMargins left="0.7" '
                        'right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                        "</worksheet>".encode())
        quoted = "'" + title.replace("'", "''") + "'"
        book.writestr("xl/workbook.xml", (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
            f'</bookViews><sheets><sheet name="{escape(title, quote=True)}" sheetId="1" '
            'r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" '
            f'localSheetId="0" hidden="1">{escape(quoted)}!$A$1:${last}${count + 1}'
            "</definedName></definedNames></workbook>"))
    return buffer.getvalue(), count
