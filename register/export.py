"""Downloads of the participant overview: CSV streamed row by row (flat memory whatever the
size) and Excel with rustpy-xlsxwriter, built in memory. Both read the filtered queryset in
chunks, fetching each chunk's measures in one query, and write nothing to disk."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator

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


PROGRESS_EVERY = 1000  # rows between two calls of a download's progress callback

Progress = Callable[[int, int], object]


def _reported(items: Iterator[list], total: int, progress: Progress | None
              ) -> Iterator[list]:
    """The rows, calling ``progress(done, total)`` first with 0, then every
    PROGRESS_EVERY rows and once at the end with the rows given (fewer than ``total`` only
    if participants were deleted meanwhile, and ``total`` is then that number too)."""
    if progress is None:
        yield from items
        return
    progress(0, total)
    done = 0
    for done, row in enumerate(items, start=1):
        yield row
        if done % PROGRESS_EVERY == 0 and done != total:
            progress(done, total)
    if done:
        progress(done, done)


def csv_stream(queryset: QuerySet[Participant], ids: list[int] | None = None,
               progress: Progress | None = None) -> Iterator[str]:
    """The CSV file, streamed; ``progress(done, total)`` is called as the rows are
    (see _reported)."""
    # The header and the labels now, in the request's language; the rows when streamed.
    first, labels = header(), _labels()
    writer = csv.writer(_Echo(), delimiter=";")  # Excel in Norway expects semicolons

    def stream():
        yield "\ufeff" + writer.writerow(first)
        every = participant_ids(queryset) if ids is None else ids
        for row in _reported(rows(queryset, every, labels), len(every), progress):
            yield writer.writerow([v.isoformat() if hasattr(v, "isoformat") else v
                                   for v in row])

    return stream()


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

    Written with rustpy-xlsxwriter (Rust's rust_xlsxwriter; decision 0012), about 10× faster
    than XlsxWriter. Cells keep their types: text as text (id numbers too), whole numbers as
    numbers, dates as dates shown ``dd.mm.yyyy``; an empty value leaves the cell empty. (A
    Decimal would be written as a float: the register has none.) The sheet is built with
    ``dedupe_strings``: the labels repeat on every row, and that option also keeps the
    sheet in memory, where the writer's default, constant-memory mode spills the rows to a
    temporary file. ``written`` receives the participants the file contains, as they are
    written, for the access log; ``progress(done, total)`` is called as in _reported.
    """
    from rustpy_xlsxwriter import write_worksheet

    keys, labels = _column_keys(header()), _labels()
    ids = participant_ids(queryset)
    count = 0

    def records():
        nonlocal count
        for row in _reported(rows(queryset, ids, labels), len(ids), progress):
            count += 1
            if written is not None:  # the participants the file contains, for the log
                written.append(int(row[0][2:]))
            yield dict(zip(keys, row, strict=True))
        if not count:  # the header alone: the writer takes its names from a first record
            yield dict.fromkeys(keys, "")

    buffer = io.BytesIO()
    write_worksheet(records(), buffer, sheet_name=_("Participants"), freeze_row=1,
                    bold_headers=True, autofilter=True, datetime_format="dd.mm.yyyy",
                    dedupe_strings=True)
    return buffer.getvalue(), count
