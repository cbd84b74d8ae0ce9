"""Benchmark: the register's Excel download of 100 000 rows, the new writer beside the old.

Uses the synthetic register of bench/register_overview.py (its database, built there on
the first run: ``uv run python bench/register_overview.py``) and times, for the first
100 000 participants:

* ``rows``: reading the rows alone (``register.export.rows``: queries and Python), which
  every writer pays;
* ``rustpy``: the app's writer, ``register.export.xlsx_bytes`` (rustpy-xlsxwriter, the
  sheet in memory with ``dedupe_strings``);
* ``rustpy-constant-memory``: the same library in its default constant-memory mode, which
  spills the rows to a temporary file (O_TMPFILE in /tmp) and is therefore not used;
* ``xlsxwriter``: the previous writer (XlsxWriter in memory, each cell with its typed
  method), kept here only, to compare.

Each is run ``--repeat`` times (default 3; the machine is shared, so the best and the
median are shown), then once more for memory: the peak of Python memory (tracemalloc) and
the peak resident size of the process during the run (VmHWM, reset before it through
/proc/self/clear_refs; it sees the Rust side's memory, which tracemalloc cannot). It is not
a test and never fails on time.

    uv run python bench/excel.py                   # all four
    uv run python bench/excel.py rustpy xlsxwriter --repeat 5
    uv run python bench/excel.py --rows 20000
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import re
import statistics
import sys
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


def rustpy_constant_memory_bytes(queryset) -> tuple[bytes, int]:
    """rustpy-xlsxwriter as the app uses it, but in its default constant-memory mode (the
    rows go to a temporary file: not acceptable with personal data, measured to show what
    the in-memory sheet costs)."""
    from django.utils.translation import gettext as _
    from rustpy_xlsxwriter import write_worksheet

    from register import export

    keys = export._column_keys(export.header())
    count = 0

    def records():
        nonlocal count
        for row in export.rows(queryset):
            count += 1
            yield dict(zip(keys, row, strict=True))

    buffer = io.BytesIO()
    write_worksheet(records(), buffer, sheet_name=_("Participants"), freeze_row=1,
                    bold_headers=True, autofilter=True, datetime_format="dd.mm.yyyy")
    return buffer.getvalue(), count


def read_rows(queryset) -> tuple[bytes, int]:
    from register import export

    return b"", sum(1 for _row in export.rows(queryset))


def app_writer(queryset) -> tuple[bytes, int]:
    from register import export

    return export.xlsx_bytes(queryset)


WRITERS = {
    "rows": ("reading the rows only (export.rows)", read_rows),
    "rustpy": ("rustpy-xlsxwriter, in memory (the app: export.xlsx_bytes)", app_writer),
    "rustpy-constant-memory": ("rustpy-xlsxwriter, constant memory (temp file; not used)",
                               rustpy_constant_memory_bytes),
    "xlsxwriter": ("XlsxWriter, in memory (the previous writer)", xlsxwriter_bytes),
}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("writers", nargs="*", metavar="writer",
                        help=f"which to run (default all: {', '.join(WRITERS)})")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows in the file (100 000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (3)")
    args = parser.parse_args()
    chosen = args.writers or list(WRITERS)
    unknown = set(chosen) - set(WRITERS)
    if unknown:
        parser.error(f"unknown writer: {', '.join(sorted(unknown))} (known: {', '.join(WRITERS)})")

    where = configure_database()
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.utils import translation

    from register.models import Participant

    if not Participant.objects.filter(national_id__startswith=MARKER).exists():
        raise SystemExit("No synthetic register in the benchmark database: run "
                         "`uv run python bench/register_overview.py` first.")
    last_id = (Participant.objects.order_by("id")
               .values_list("id", flat=True)[args.rows - 1:args.rows].first())
    if last_id is None:
        raise SystemExit(f"The benchmark register has fewer than {args.rows:,} participants.")

    def queryset():
        # A filter, not a slice: the export narrows the queryset it is given.
        return Participant.objects.filter(pk__lte=last_id).order_by("id")

    translation.activate("nb")  # the labels as a bokmål user downloads them
    print(f"Excel benchmark — {where} ({connection.vendor}), {args.rows:,} rows × "
          f"33 columns, {args.repeat} timed runs each; {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.2f}")
    results = {}
    for key in chosen:
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
        results[key] = (label, min(seconds), statistics.median(seconds), size, count, peak_py,
                        peak_rss)
        rss = mb(peak_rss) if peak_rss is not None else "n/a"
        print(f"  {key:<23} best {min(seconds):6.2f} s, median {statistics.median(seconds):6.2f}"
              f" s; {count:,} rows, file {mb(size) if size else '—'}; peak Python "
              f"{mb(peak_py)}, peak RSS +{rss}", flush=True)

    print(f"\nSummary ({args.rows:,} rows; goal ≤ {GOAL_S:.0f} s for the app's writer)")
    print(f"  {'writer':<60} {'best':>8} {'median':>8} {'file':>9} {'Python':>9} {'RSS':>9}")
    for key, (label, best, median, size, _count, peak_py, peak_rss) in results.items():
        verdict = ""
        if key == "rustpy":
            verdict = "met" if median <= GOAL_S else "MISSED"
        rss = mb(peak_rss) if peak_rss is not None else "n/a"
        print(f"  {label:<60} {best:6.2f} s {median:6.2f} s {mb(size) if size else '—':>9} "
              f"{mb(peak_py):>9} {rss:>9}  {verdict}")
    if "rustpy" in results and "xlsxwriter" in results:
        new, old = results["rustpy"][2], results["xlsxwriter"][2]
        line = f"  XlsxWriter / rustpy (median): {old / new:.1f}×"
        if "rows" in results:
            read = results["rows"][2]
            line += (f"; writing alone (minus reading the rows, {read:.2f} s): "
                     f"{(old - read) / max(new - read, 1e-9):.1f}×")
        print(line)


if __name__ == "__main__":
    main()
