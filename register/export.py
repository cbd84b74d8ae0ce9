"""Downloads of the participant overview: CSV streamed row by row (flat memory whatever the
size) and Excel with XlsxWriter. Both read the filtered queryset in chunks, fetching each
chunk's measures in one query, and write nothing to disk."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from . import codes
from .models import Participant, ParticipantMeasure

CHUNK = 2000

FIELDS = ["national_id", "name", "birth_date", "start_date", "financing", "status",
          "duration_extended", "family_situation", "children", "youngest_child_age",
          "education_home_country", "education_norway", "norwegian_level", "work_experience",
          "literacy", "introduction", "introduction_ended_on", "qualification_programme",
          "social_assistance", "transitional_benefit", "end_date", "end_reason",
          "interruption_reason", "transition", "position_percent", "industry", "employment",
          "education_level", "absence_percent", "check_state"]


def header() -> list[str]:
    names = [str(Participant._meta.get_field(name).verbose_name) for name in FIELDS]
    names = [name[:1].upper() + name[1:] for name in names]
    return [_("Participant number"), _("Municipality number"), *names, _("Measures")]


def _labels() -> dict[int, dict]:
    """Each coded column's labels in the user's language, by the column's position among
    FIELDS. Built once per file, before it is streamed (the language is the request's)."""
    labels = {}
    for index, name in enumerate(FIELDS):
        choices = Participant._meta.get_field(name).choices
        if choices:
            labels[index] = {code: str(label) for code, label in choices}
    labels[FIELDS.index("industry")] = dict(codes.industries())
    return labels


def participant_ids(queryset: QuerySet[Participant]) -> list[int]:
    """The participants a download of the queryset contains, in its order."""
    return list(queryset.values_list("pk", flat=True))


def rows(queryset: QuerySet[Participant], ids: list[int] | None = None,
         labels: dict[int, dict] | None = None) -> Iterator[list]:
    """The rows, with labels in the user's language (never codes), and the id number of a
    discharged participant masked as on the screen."""
    ids = participant_ids(queryset) if ids is None else ids
    labels = _labels() if labels is None else labels
    measure_labels = {code: str(label) for code, label in codes.Measure.choices}
    yes, no = _("Yes"), _("No")
    status_at = FIELDS.index("status")
    discharged = codes.Status.DISCHARGED.value
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        measures = defaultdict(list)
        for pid, measure in (ParticipantMeasure.objects.filter(participant_id__in=chunk)
                             .order_by("participant_id", "start_date", "id")
                             .values_list("participant_id", "measure")):
            measures[pid].append(measure_labels.get(measure, measure))
        # Re-read through the scoped queryset: a row moved meanwhile is not exported.
        by_id = {row[0]: row for row in queryset.filter(pk__in=chunk).order_by().values_list(
            "pk", "organization__code", *FIELDS)}
        for pid in chunk:
            row = by_id.get(pid)
            if row is None:  # deleted meanwhile
                continue
            values = list(row[2:])
            if values[status_at] == discharged:
                values[0] = f"{values[0][:6]} *****"
            cells = []
            for index, value in enumerate(values):
                if value is None:
                    cells.append("")
                elif value is True or value is False:
                    cells.append(yes if value else no)
                elif index in labels and value != "":
                    cells.append(labels[index].get(value, value))
                else:
                    cells.append(value)
            yield [f"D-{pid:06d}", row[1], *cells, "; ".join(measures[pid])]


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset: QuerySet[Participant], ids: list[int] | None = None
               ) -> Iterator[str]:
    # The header and the labels now, in the request's language; the rows when streamed.
    first, labels = header(), _labels()
    writer = csv.writer(_Echo(), delimiter=";")  # Excel in Norway expects semicolons

    def stream():
        yield "\ufeff" + writer.writerow(first)
        for row in rows(queryset, ids, labels):
            yield writer.writerow([v.isoformat() if hasattr(v, "isoformat") else v
                                   for v in row])

    return stream()


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def xlsx_bytes(queryset: QuerySet[Participant], written: list[int] | None = None
               ) -> tuple[bytes, int]:
    """The workbook, built in memory (never a temporary file with personal data on disk).

    XlsxWriter spends about 3 µs per cell; writing each cell with its typed method, skipping
    empty ones and passing dates as serial numbers roughly halves the time of
    ``write_row`` (bench/register_overview.py measures it).
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet(_("Participants"))
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, header(), bold)
    sheet.freeze_panes(1, 0)
    write_string, write_number = sheet.write_string, sheet.write_number
    count = 0
    for count, row in enumerate(rows(queryset), start=1):
        if written is not None:  # the participants the file contains, for the access log
            written.append(int(row[0][2:]))
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(count, column, value)
            elif kind is datetime.date:
                write_number(count, column, (value - EXCEL_EPOCH).days, date_format)
            elif kind is int:
                write_number(count, column, value)
    sheet.autofilter(0, 0, max(count, 1), len(header()) - 1)
    book.close()
    return buffer.getvalue(), count

