"""Benchmark: the register's Excel download of 100 000 rows, end to end (queryset to bytes).

Uses the synthetic register of bench/register_overview.py (its database, built there on
the first run: ``uv run python bench/register_overview.py``) and times, for the first
100 000 participants:

* ``raw-sql``: the limit for reading: the same rows (every column, the municipality's
  number and the measures, in the participants' order) read with one hand-written SQL
  query through the database cursor, nothing converted and nothing written;
* ``rows``: reading the rows as the app does (``register.export.rows``: the ORM, labels,
  masking), which every writer pays;
* ``app``: the app's download, ``register.export.xlsx_bytes`` with a progress callback
  as the job gives it (the module's own single-sheet writer, zipfile at zlib level 1);
* ``rustpy``: the writer before it (rustpy-xlsxwriter, the sheet in memory with
  ``dedupe_strings``), kept here only, to compare;
* ``rustpy-constant-memory``: the same library in its default constant-memory mode, which
  spills the rows to a temporary file (O_TMPFILE in /tmp) and was therefore never used;
* ``xlsxwriter``: the writer before rustpy (XlsxWriter in memory, each cell with its
  typed method), kept here only, to compare.

Each is run ``--repeat`` times (default 3; the machine is shared, so the best and the
median are shown), then once more for memory: the peak of Python memory (tracemalloc) and
the peak resident size of the process during the run (VmHWM, reset before it through
/proc/self/clear_refs; it sees the Rust side's memory, which tracemalloc cannot). It is not
a test and never fails on time.

It runs on SQLite (the benchmark's own file) and, when DATABASE_URL names a PostgreSQL
server, on PostgreSQL as well (its database ``tilskudd_bench``; see register_overview.py),
each in a process of its own, and ends with both summaries.

    uv run python bench/excel.py                   # raw-sql, rows, app and rustpy
    uv run python bench/excel.py all               # and the two other writers
    uv run python bench/excel.py app rustpy --repeat 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/excel.py
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from register_overview import MARKER, configure_database, mb  # noqa: E402

GOAL_S = 5.0
ROWS = 100_000
LAST_ID = 0  # the last participant of the benchmark's rows, set by run()


# -- the writers compared -------------------------------------------------------------------

def xlsxwriter_bytes(queryset) -> tuple[bytes, int]:
    """The Excel writer the app had before decision 0012 (XlsxWriter, in memory, typed
    methods, empty cells skipped, dates as serial numbers), kept only to compare."""
    import datetime

    import xlsxwriter
    from django.utils.translation import gettext as _

    from register import export

    epoch = datetime.date(1899, 12, 30)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet(_("Participants"))
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, export.header(), bold)
    sheet.freeze_panes(1, 0)
    write_string, write_number = sheet.write_string, sheet.write_number
    count = 0
    for count, row in enumerate(export.rows(queryset), start=1):
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(count, column, value)
            elif kind is datetime.date:
                write_number(count, column, (value - epoch).days, date_format)
            elif kind is int:
                write_number(count, column, value)
    sheet.autofilter(0, 0, max(count, 1), len(export.header()) - 1)
    book.close()
    return buffer.getvalue(), count


def rustpy_bytes(queryset, constant_memory: bool = False) -> tuple[bytes, int]:
    """The Excel writer the app had before (rustpy-xlsxwriter, decision 0012 as first
    taken): the sheet in memory with ``dedupe_strings``, or with ``constant_memory`` in
    the library's default mode, which spills the rows to a temporary file (not acceptable
    with personal data, measured to show what the in-memory sheet costs). Kept only to
    compare; the same progress callback and access list as the app's download."""
    from django.utils.translation import gettext as _
    from rustpy_xlsxwriter import write_worksheet

    from register import export

    keys = export._column_keys(export.header())
    count = 0

    def records():
        nonlocal count
        for row in export._reported(queryset, export.rows(queryset, []),
                                    lambda done, total: None):
            count += 1
            yield dict(zip(keys, row, strict=True))
        if not count:  # the header alone: the writer takes its names from a first record
            yield dict.fromkeys(keys, "")

    buffer = io.BytesIO()
    write_worksheet(records(), buffer, sheet_name=_("Participants"), freeze_row=1,
                    bold_headers=True, autofilter=True, datetime_format="dd.mm.yyyy",
                    dedupe_strings=not constant_memory)
    return buffer.getvalue(), count


def rustpy_constant_memory_bytes(queryset) -> tuple[bytes, int]:
    return rustpy_bytes(queryset, constant_memory=True)


def read_rows(queryset) -> tuple[bytes, int]:
    from register import export

    return b"", sum(1 for _row in export.rows(queryset))


def raw_sql_rows(queryset) -> tuple[bytes, int]:
    """The reading limit: one hand-written query for the same rows (the participants'
    columns, the municipality's number, the measures joined in the order they began),
    read through Django's cursor in chunks, with no labels and nothing written. (Python's
    sqlite3 makes the dates and the yes/no values from the declared column types, as for
    any query through Django's connection; export.rows reads SQLite's dates as text
    instead and makes each distinct date once, so it can beat this on SQLite.)"""
    from django.db import connection

    from register import export

    last_id = LAST_ID  # the queryset's bound (main() filters pk <= LAST_ID)
    columns = ", ".join(f"p.{name}" for name in export.FIELDS)
    if connection.vendor == "postgresql":
        measures = ("SELECT participant_id, string_agg(measure, ',' ORDER BY start_date, id) "
                    "AS measures FROM register_participantmeasure WHERE participant_id <= %s "
                    "GROUP BY participant_id")
    else:  # SQLite before 3.44 has no ORDER BY in an aggregate: an ordered subquery
        measures = ("SELECT participant_id, group_concat(measure, ',') AS measures FROM "
                    "(SELECT participant_id, measure FROM register_participantmeasure "
                    "WHERE participant_id <= %s ORDER BY participant_id, start_date, id) "
                    "GROUP BY participant_id")
    sql = (f"SELECT p.id, o.code, {columns}, m.measures FROM register_participant p "  # noqa: S608 – constant names
           "JOIN organizations_organization o ON o.id = p.organization_id "
           f"LEFT JOIN ({measures}) m ON m.participant_id = p.id "
           "WHERE p.id <= %s ORDER BY p.id")
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [last_id, last_id])
        while chunk := cursor.fetchmany(export.CHUNK):
            count += len(chunk)
    return b"", count


def app_writer(queryset) -> tuple[bytes, int]:
    from register import export

    # As the job calls it: with a progress callback (one count query, a call every
    # export.PROGRESS_EVERY rows) and the list of the participants written.
    return export.xlsx_bytes(queryset, [], progress=lambda done, total: None)


WRITERS = {
    "raw-sql": ("the limit: one hand-written SQL query, read only", raw_sql_rows),
    "rows": ("reading the rows only (export.rows, the ORM)", read_rows),
    "app": ("the app: export.xlsx_bytes (own writer, zlib level 1)", app_writer),
    "rustpy": ("rustpy-xlsxwriter, in memory (the writer before)", rustpy_bytes),
    "rustpy-constant-memory": ("rustpy-xlsxwriter, constant memory (temp file; not used)",
                               rustpy_constant_memory_bytes),
    "xlsxwriter": ("XlsxWriter, in memory (the previous writer)", xlsxwriter_bytes),
}
DEFAULT = ["raw-sql", "rows", "app", "rustpy"]


# -- measuring --------------------------------------------------------------------------------

def _kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(match.group(1)) * 1024 if match else 0


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure_memory(fn) -> tuple[int, int | None]:
    """Run fn once: (peak Python memory, peak resident size above the start, or None where
    the peak cannot be reset)."""
    gc.collect()
    resettable = _reset_peak_rss()
    before = _kib("VmRSS")
    tracemalloc.start()
    try:
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss = _kib("VmHWM") - before if resettable else None
    return peak, rss


def run(args) -> dict:
    """The benchmark on the database configure_database() picks; the results by writer."""
    global LAST_ID
    where = configure_database()
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.utils import translation

    from register.models import Participant

    if not Participant.objects.filter(national_id__startswith=MARKER).exists():
        raise SystemExit(f"No synthetic register in the benchmark database ({where}): run "
                         "`uv run python bench/register_overview.py` first (with the same "
                         "DATABASE_URL).")
    last_id = (Participant.objects.order_by("id")
               .values_list("id", flat=True)[args.rows - 1:args.rows].first())
    if last_id is None:
        raise SystemExit(f"The benchmark register has fewer than {args.rows:,} participants.")
    LAST_ID = last_id

    def queryset():
        # A filter, not a slice: the export narrows the queryset it is given.
        return Participant.objects.filter(pk__lte=last_id).order_by("id")

    translation.activate("nb")  # the labels as a bokmål user downloads them
    print(f"Excel benchmark — {where} ({connection.vendor}), {args.rows:,} rows × "
          f"33 columns, {args.repeat} timed runs each; {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    results = {}
    for key in args.chosen:
        label, fn = WRITERS[key]
        seconds, size, count = [], 0, 0
        for _ in range(args.repeat):
            gc.collect()
            started = time.perf_counter()
            content, count = fn(queryset())
            seconds.append(time.perf_counter() - started)
            size = len(content)
            del content
        peak_py, peak_rss = measure_memory(lambda fn=fn: fn(queryset()))
        results[key] = {"label": label, "best": min(seconds),
                        "median": statistics.median(seconds), "size": size, "rows": count,
                        "python": peak_py, "rss": peak_rss}
        rss = mb(peak_rss) if peak_rss is not None else "n/a"
        print(f"  {key:<23} best {min(seconds):6.2f} s, median {statistics.median(seconds):6.2f}"
              f" s; {count:,} rows, file {mb(size) if size else '—'}; peak Python "
              f"{mb(peak_py)}, peak RSS +{rss}", flush=True)
    return {"where": f"{where} ({connection.vendor})", "load": os.getloadavg()[0],
            "results": results}


def summary(rows: int, run_: dict) -> None:
    results = run_["results"]
    print(f"\n{run_['where']}: {rows:,} rows, load {run_['load']:.2f} at the end; goal ≤ "
          f"{GOAL_S:.0f} s for the app's download")
    print(f"  {'':<60} {'best':>8} {'median':>8} {'file':>9} {'Python':>9} {'RSS':>9}")
    for key, r in results.items():
        verdict = ("met" if r["median"] <= GOAL_S else "MISSED") if key == "app" else ""
        rss = mb(r["rss"]) if r["rss"] is not None else "n/a"
        print(f"  {r['label']:<60} {r['best']:6.2f} s {r['median']:6.2f} s "
              f"{mb(r['size']) if r['size'] else '—':>9} {mb(r['python']):>9} {rss:>9}  "
              f"{verdict}")
    if "rows" in results and "raw-sql" in results:
        orm, raw = results["rows"]["median"], results["raw-sql"]["median"]
        print(f"  reading: the ORM (export.rows) {orm:.2f} s against the raw-SQL limit "
              f"{raw:.2f} s ({orm / max(raw, 1e-9):.1f}×, +{orm - raw:.2f} s)")
    if "rows" in results:
        read = results["rows"]["median"]
        for key in ("app", "rustpy"):
            if key in results:
                total = results[key]["median"]
                print(f"  {key}: {total:.2f} s = reading {read:.2f} s + writing "
                      f"{total - read:.2f} s (the cells, the zip)")
    for key in ("rustpy", "xlsxwriter"):
        if "app" in results and key in results:
            new, old = results["app"]["median"], results[key]["median"]
            print(f"  {key} / app (median): {old / new:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("writers", nargs="*", metavar="writer",
                        help=f"which to run: {', '.join(WRITERS)} or all "
                             f"(default {' '.join(DEFAULT)})")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows in the file (100 000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (3)")
    parser.add_argument("--here", metavar="JSON", help=argparse.SUPPRESS)  # one database
    args = parser.parse_args()
    args.chosen = (list(WRITERS) if args.writers == ["all"] else args.writers or DEFAULT)
    unknown = set(args.chosen) - set(WRITERS)
    if unknown:
        parser.error(f"unknown writer: {', '.join(sorted(unknown))} (known: {', '.join(WRITERS)})")
    if args.here:  # a child of the run below: this process's database only
        Path(args.here).write_text(json.dumps(run(args)))
        return

    given = os.environ.get("DATABASE_URL", "")
    databases = [("SQLite", {k: v for k, v in os.environ.items() if k != "DATABASE_URL"})]
    if given.startswith(("postgres://", "postgresql://")):
        databases.append(("PostgreSQL", dict(os.environ)))
    runs = []
    for _name, env in databases:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [sys.executable, __file__, *args.chosen, "--rows", str(args.rows),
                       "--repeat", str(args.repeat), "--here", out.name]
            subprocess.run(command, env=env, check=True)  # noqa: S603 – this script itself
            runs.append(json.loads(Path(out.name).read_text()))
        print(flush=True)
    print(f"Summary ({args.rows:,} rows, the first of the synthetic register)")
    for run_ in runs:
        summary(args.rows, run_)


if __name__ == "__main__":
    main()
