"""Benchmark: job throughput, 1 000 small tasks through the database backend.

The project's background work runs on Django's Tasks API with the ``django-tasks-db``
backend (docs/decisions/0013-jobs.md): a queued task is a row in the database and
``manage.py db_worker`` claims rows one at a time. This benchmark enqueues 1 000 tasks of
a trivial task defined here (``bench.jobs.probe``: it appends one line to a file, so the
runs are counted independently of the backend's own bookkeeping), then starts

* 1 worker, then
* 2 workers side by side,

as ``manage.py db_worker --batch --no-reload --no-startup-delay -v 0`` (``--batch``: exit
when the queue is empty; the worker finds ``bench.jobs.probe`` because it runs with the
project root on sys.path), and prints the wall time until every worker has exited, tasks
per second (over the wall time, and over the window from the first task started to the
last finished, which leaves out the workers' start-up), p50/p95 from enqueue to finish
(``DBTaskResult.enqueued_at`` / ``finished_at``; with a full queue at the start this is
mostly waiting in the queue), the time a task runs (started to finished), how the tasks
were shared between the workers, and the number of tasks run more than once (must be 0)
or not at all. Each worker count runs three rounds (--repeat), taken in turn; the summary
gives the median and the range, as other work on a small machine moves the figures (the
load average is printed). The number of CPU cores is printed too: the workers, the
enqueueing process and the database server share them. On SQLite every claim is an
exclusive write transaction, so two workers queue for the one write lock.

The workers and the enqueueing process use the production settings
(``tilskudd.settings.prod``: DEBUG off, as a worker runs in production) with a throwaway
secret key and the database backend. It is not a test and never fails on time.

    uv run python bench/jobs.py                 # SQLite, var/bench-jobs.sqlite3
    uv run python bench/jobs.py --tasks 5000    # more tasks

The benchmark never writes into the database you work with. By default it uses its own
SQLite file, var/bench-jobs.sqlite3. To run it on PostgreSQL, give the server in
DATABASE_URL; the benchmark keeps host, port, user, password and options but always uses
the database ``tilskudd_bench_jobs`` there, creating it when it is missing (the user needs
the right to create databases) and dropping it first with --rebuild:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tilskudd_bench_jobs uv run python bench/jobs.py

Every run starts from an empty task table (the benchmark deletes the task rows it finds;
they are the benchmark's own).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SQLITE_PATH = ROOT / "var" / "bench-jobs.sqlite3"
BENCH_DB_NAME = "tilskudd_bench_jobs"
SETTINGS = "tilskudd.settings.prod"
BACKEND = "django_tasks_db.DatabaseBackend"
WORKER = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-reload",
          "--no-startup-delay", "-v", "0"]


# -- the task the workers run -------------------------------------------------------------------
# Defined only when this file is imported as ``bench.jobs`` (by a worker, or by main() once
# Django is set up): the decorator reads the settings, and a task defined in ``__main__``
# could not be found by a worker.

if __name__ != "__main__":
    from django_tasks import task

    @task()
    def probe(n: int, runs_file: str) -> int:
        """A small task: note that task ``n`` ran (and in which process), return ``n``."""
        with open(runs_file, "a", encoding="ascii") as runs:  # one short append
            runs.write(f"{n} {os.getpid()}\n")
        return n


# -- the benchmark's own database ------------------------------------------------------------------

def configure_jobs_database() -> str:
    """Like bench.register_overview.configure_database, but in a database of its own
    (``tilskudd_bench_jobs`` on PostgreSQL), so --rebuild never drops the other
    benchmarks' data."""
    from bench.register_overview import BENCH_DB_NAME as SHARED_NAME
    from bench.register_overview import configure_database

    where = configure_database(SQLITE_PATH)
    url = os.environ["DATABASE_URL"]
    if where.startswith("PostgreSQL"):
        scheme, rest = url.split("://", 1)
        netloc, _slash, path = rest.partition("/")
        _name, question, query = path.partition("?")
        os.environ["DATABASE_URL"] = f"{scheme}://{netloc}/{BENCH_DB_NAME}{question}{query}"
        where = where.replace(f"database {SHARED_NAME} ", f"database {BENCH_DB_NAME} ")
    return where


# -- one round ----------------------------------------------------------------------------------

def run_round(workers: int, tasks: int, runs_file: Path) -> dict:
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from bench.jobs import probe

    DBTaskResult.objects.all().delete()
    runs_file.write_text("", encoding="ascii")

    # Enqueued as the app enqueues a job: one task in one transaction of its own.
    started = time.perf_counter()
    for n in range(tasks):
        with transaction.atomic():
            probe.enqueue(n, str(runs_file))
    enqueue_s = time.perf_counter() - started

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    output = []
    with contextlib.ExitStack() as stack:
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(workers)]
        started, started_at = time.perf_counter(), timezone.now()
        procs = [subprocess.Popen([*WORKER, "--worker-id", f"bench-{i + 1}-of-{workers}"],  # noqa: S603
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
                 for i, log in enumerate(logs)]
        codes = [proc.wait() for proc in procs]
        wall_s = time.perf_counter() - started
        for log in logs:
            log.seek(0)
            text = log.read().decode("utf-8", "replace").strip()
            if text:
                output.append(text)

    rows = list(DBTaskResult.objects.values_list("status", "enqueued_at", "started_at",
                                                 "finished_at", "worker_ids",
                                                 "exception_class_path"))
    done = [r for r in rows if r[0] == "SUCCESSFUL"]
    statuses = Counter(r[0] for r in rows)
    runs = Counter()
    pids = Counter()
    for line in runs_file.read_text(encoding="ascii").splitlines():
        n, pid = line.split()
        runs[int(n)] += 1
        pids[pid] += 1
    window_s = ((max(r[3] for r in done) - min(r[2] for r in done)).total_seconds()
                if done else float("nan"))
    return {
        "workers": workers, "tasks": tasks, "enqueue_s": enqueue_s, "wall_s": wall_s,
        "window_s": window_s, "exit_codes": codes, "output": output, "statuses": statuses,
        "latency_ms": [(r[3] - r[1]).total_seconds() * 1000 for r in done],
        "wait_ms": [(r[2] - r[1]).total_seconds() * 1000 for r in done],
        "run_ms": [(r[3] - r[2]).total_seconds() * 1000 for r in done],
        "first_start_s": (min(r[2] for r in done) - started_at).total_seconds()
        if done else float("nan"),
        "per_worker": Counter(w for r in rows for w in r[4]),
        "claimed_twice": sum(1 for r in rows if len(r[4]) > 1),
        "run_twice": sum(1 for count in runs.values() if count > 1),
        "not_run": tasks - len(runs),
        "processes": len(pids),
        "errors": Counter(r[5] for r in rows if r[5]),
    }


def report(r: dict) -> None:
    from bench.register_overview import percentile

    n = r["tasks"]
    print(f"\n{r['workers']} worker{'s' if r['workers'] > 1 else ''}:")
    print(f"  enqueued {n:,} tasks (one transaction each) in {r['enqueue_s']:.2f} s "
          f"({n / r['enqueue_s']:,.0f} tasks/s)")
    print(f"  wall time, workers started → all exited: {r['wall_s']:.2f} s  "
          f"= {n / r['wall_s']:,.0f} tasks/s (including start-up: the first task began "
          f"{r['first_start_s']:.2f} s after the workers were started)")
    print(f"  first task started → last finished: {r['window_s']:.2f} s  "
          f"= {n / r['window_s']:,.0f} tasks/s")
    if r["latency_ms"]:
        lat, wait, run = r["latency_ms"], r["wait_ms"], r["run_ms"]
        print(f"  enqueue → finish: p50 {percentile(lat, .5) / 1000:.2f} s, "
              f"p95 {percentile(lat, .95) / 1000:.2f} s, max {max(lat) / 1000:.2f} s "
              "(the whole queue was full at the start, so this is mostly waiting)")
        print(f"  enqueue → start:  p50 {percentile(wait, .5) / 1000:.2f} s, "
              f"p95 {percentile(wait, .95) / 1000:.2f} s")
        print(f"  start → finish (claimed, run, result saved): p50 {percentile(run, .5):.2f} "
              f"ms, p95 {percentile(run, .95):.2f} ms, mean {statistics.fmean(run):.2f} ms")
    shares = ", ".join(f"{w}: {c:,}" for w, c in sorted(r["per_worker"].items()))
    print(f"  tasks per worker: {shares} ({r['processes']} process(es) ran the task)")
    statuses = ", ".join(f"{s.lower()} {c:,}" for s, c in sorted(r["statuses"].items()))
    print(f"  results: {statuses}; worker exit codes {r['exit_codes']}")
    print(f"  run more than once: {r['run_twice']} (claimed by more than one worker: "
          f"{r['claimed_twice']}); never run: {r['not_run']}"
          f"  {'OK' if r['run_twice'] == 0 and r['not_run'] == 0 else 'WRONG'}")
    for error, count in r["errors"].items():
        print(f"  failed with {error}: {count}")
    for text in r["output"]:
        print("  worker output:\n    " + "\n    ".join(text.splitlines()[-10:]))


# -- main --------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true",
                        help="throw the benchmark database away and migrate it anew")
    parser.add_argument("--tasks", type=int, default=1000,
                        help="tasks per round (default 1 000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts to run, one round each (default 1 2)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds per worker count, taken in turn (default 3); the "
                        "summary gives the median and the range")
    args = parser.parse_args()

    where = configure_jobs_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["TILSKUDD_TASKS_BACKEND"] = BACKEND
    # The production settings want a secret key; the benchmark signs nothing.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from bench.register_overview import prepare_database

    prepare_database(args.rebuild)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    print(f"Job throughput benchmark — {where} ({connection.vendor}, settings {SETTINGS}, "
          f"backend {settings.TASKS['default']['BACKEND']})")
    cores = os.cpu_count()
    print(f"  this machine has {cores} CPU core{'s' if cores != 1 else ''}: the workers, "
          "the enqueueing process and the database server share them")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrations: {time.perf_counter() - started:.1f} s")
    print(f"  {args.tasks:,} tasks of bench.jobs.probe per round; workers: "
          f"{' '.join(WORKER[1:])} --worker-id …")

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"  load average before the rounds: {load} (other work on the machine shows in "
          "the figures; the rounds are taken in turn to spread it)")

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        for repeat in range(args.repeat):
            for workers in args.workers:
                connection.close()  # the workers get the database to themselves
                result = run_round(workers, args.tasks, Path(tmp) / f"runs-{workers}.txt")
                print(f"\n[round {repeat + 1} of {args.repeat}]", end="")
                report(result)
                results.append(result)

    from bench.register_overview import percentile

    def spread(values: list[float], fmt: str) -> str:
        return (f"{format(statistics.median(values), fmt)} "
                f"({format(min(values), fmt)}–{format(max(values), fmt)})")

    print(f"\nSummary ({connection.vendor}, {settings.DATABASES['default']['NAME']}; "
          f"{args.tasks:,} tasks, median (min–max) of {args.repeat} round(s); {cores} CPU "
          "cores shared by the workers and the database)")
    print(f"  {'workers':>7}  {'wall s':>18}  {'tasks/s':>15}  {'tasks/s*':>15}  "
          f"{'p50 s':>16}  {'p95 s':>16}  {'run twice':>9}  {'not run':>7}")
    for workers in args.workers:
        rs = [r for r in results if r["workers"] == workers]
        p50 = [percentile(r["latency_ms"], .5) / 1000 for r in rs if r["latency_ms"]]
        p95 = [percentile(r["latency_ms"], .95) / 1000 for r in rs if r["latency_ms"]]
        print(f"  {workers:>7}  {spread([r['wall_s'] for r in rs], '.2f'):>18}  "
              f"{spread([r['tasks'] / r['wall_s'] for r in rs], '.0f'):>15}  "
              f"{spread([r['tasks'] / r['window_s'] for r in rs], '.0f'):>15}  "
              f"{spread(p50 or [float('nan')], '.2f'):>16}  "
              f"{spread(p95 or [float('nan')], '.2f'):>16}  "
              f"{sum(r['run_twice'] for r in rs):>9}  {sum(r['not_run'] for r in rs):>7}")
    print("  tasks/s over the wall time (workers started → all exited, start-up included); "
          "tasks/s* from the first task started to the last finished; p50/p95 from enqueue "
          "to finish; run twice / not run summed over the rounds (must be 0)")

if __name__ == "__main__":
    main()
