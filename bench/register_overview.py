"""Benchmark: the participant register at ten times national volume.

A synthetic register of about 130 000 participants over 10 years (2017–2026) in every
municipality, skewed so that the largest (Drammen, 3301, where the demo register user
``jonas.registrering`` works) holds about 10 %. It then times

* the overview page (GET /register/deltakere/) for Drammen with a few filters,
  through the full middleware stack (Django's test client);
* the CSV download (``register.export.csv_stream``) of Drammen's rows and of all rows,
  with the peak of Python memory (tracemalloc) for both, to show it stays flat;
* the Excel download (``register.export.xlsx_bytes``) of 100 000 rows (bench/excel.py
  compares it with the previous writer, with the peak resident memory the Rust side uses).

It prints the figures against the goals (overview p95 ≤ 100 ms; 100 000-row Excel ≤ 5 s;
CSV with flat memory). It is not a test and never fails on time.

    uv run python bench/register_overview.py              # builds the register once, reuses it
    uv run python bench/register_overview.py --rebuild    # throws it away and builds it anew

The benchmark never writes into the database you work with. By default it uses its own
SQLite file, var/bench-register.sqlite3. To run it on PostgreSQL, give the server in
DATABASE_URL as usual; the benchmark keeps host, port, user, password and options but
always uses the database ``tilskudd_bench`` there, creating it (through the ``postgres``
database) when it is missing and dropping it first with --rebuild:

    DATABASE_URL=postgres://user:password@localhost:5432/tilskudd \\
        uv run python bench/register_overview.py

(A DATABASE_URL naming an SQLite file is ignored in the same way: the benchmark uses its
own file.) The user needs the right to create databases. Settings default to
``tilskudd.settings.test`` (demo mode, ``testserver`` allowed, logging at WARNING).

The synthetic participants have 11-digit numbers starting with 9 (no real identity
number does), made unique per row; they go in through bulk_create, past the forms'
validation. The audit log is append-only even here, so the register is rebuilt by
throwing the whole database away, never by deleting rows.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import random
import statistics
import sys
import time
import tracemalloc
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SQLITE_PATH = ROOT / "var" / "bench-register.sqlite3"
BENCH_DB_NAME = "tilskudd_bench"
MARKER = "9"  # first digit of every synthetic number: no fødselsnummer or D-number has it
LARGEST_CODE = "3301"  # Drammen: the demo register user's municipality
LARGEST_SHARE = 0.10
BATCH = 5000
XLSX_ROWS = 100_000
GOAL_OVERVIEW_MS = 100.0
GOAL_XLSX_S = 5.0


# -- the benchmark's own database (before Django reads its settings) ------------------------

def configure_database(sqlite_path: Path = SQLITE_PATH) -> str:
    """Point DATABASE_URL at the benchmark's own database (on PostgreSQL when DATABASE_URL
    names a PostgreSQL server, else the SQLite file ``sqlite_path``); return a description
    of it. The other benchmarks use it too."""
    import dj_database_url

    given = os.environ.get("DATABASE_URL", "")
    engine = dj_database_url.parse(given)["ENGINE"] if given else ""
    if "postgresql" in engine:
        scheme, rest = given.split("://", 1)
        netloc, _slash, path = rest.partition("/")
        _name, question, query = path.partition("?")
        os.environ["DATABASE_URL"] = f"{scheme}://{netloc}/{BENCH_DB_NAME}{question}{query}"
        server = netloc.rpartition("@")[2] or "the local socket"
        return f"PostgreSQL, database {BENCH_DB_NAME} on {server}"
    if given and "sqlite" not in engine:
        raise SystemExit(f"DATABASE_URL names a database this benchmark does not know: {engine}")
    os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    return f"SQLite, {sqlite_path.relative_to(ROOT)}"


def prepare_database(rebuild: bool) -> None:
    """Create the benchmark database if it is missing; with ``rebuild``, start from nothing."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(db["NAME"])
        if rebuild:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    params = {"dbname": "postgres", "user": db.get("USER"), "password": db.get("PASSWORD"),
              "host": db.get("HOST"), "port": db.get("PORT"),
              **(db.get("OPTIONS") or {})}
    params = {key: value for key, value in params.items() if value not in ("", None)}
    with psycopg.connect(**params, autocommit=True) as conn:
        name = sql.Identifier(db["NAME"])
        if rebuild:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


# -- the synthetic register ------------------------------------------------------------------

def plan_sizes(others: int, total: int, cap: int, rng: random.Random) -> list[int]:
    """Skewed sizes (Pareto) for the other municipalities, none above ``cap``, summing to
    ``total``."""
    weights = [rng.paretovariate(1.16) for _ in range(others)]
    sizes = [0] * others
    free, remaining = set(range(others)), total
    while True:
        free_weight = sum(weights[i] for i in free)
        over = [i for i in free if remaining * weights[i] / free_weight > cap]
        if not over:
            break
        for i in over:
            sizes[i], remaining = cap, remaining - cap
            free.discard(i)
    for i in free:
        sizes[i] = max(1, int(remaining * weights[i] / free_weight))
    adjustable = sorted(free)
    diff = total - sum(sizes)
    while diff:
        i = rng.choice(adjustable)
        if diff > 0 and sizes[i] < cap:
            sizes[i], diff = sizes[i] + 1, diff - 1
        elif diff < 0 and sizes[i] > 1:
            sizes[i], diff = sizes[i] - 1, diff + 1
    return sizes


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def generate(target: int, seed: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from organizations.models import Organization
    from register import codes
    from register.models import CheckState, Participant, ParticipantMeasure

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = timezone.localdate()
    now = timezone.now()
    municipalities = list(Organization.objects.active(today).filter(kind="municipality")
                          .order_by("code"))
    largest = next(m for m in municipalities if m.code == LARGEST_CODE)
    others = [m for m in municipalities if m.pk != largest.pk]
    largest_size = round(target * LARGEST_SHARE)
    sizes = plan_sizes(len(others), target - largest_size, int(largest_size * 0.6), rng)
    per_org = [(largest.pk, largest_size), *((m.pk, n) for m, n in zip(others, sizes, strict=True))]

    # Who, when, and whether they ended; then in order of start, as a real register fills.
    first_day = datetime.date(2017, 1, 1)
    span_all = (today - datetime.timedelta(days=60) - first_day).days
    plan = []
    for org_id, size in per_org:
        for _ in range(size):
            ended = rng.random() < 0.6
            if ended:
                start = first_day + datetime.timedelta(days=rng.randint(0, span_all))
            else:  # still in the programme: started within the last two years
                start = today - datetime.timedelta(days=rng.randint(30, 730))
            plan.append((start, org_id, ended))
    plan.sort(key=lambda row: row[0])

    financing = {codes.Financing.ALLOWANCE: 6, codes.Financing.TRANSITIONAL_BENEFIT: 2,
                 codes.Financing.OTHER: 2}
    checks = {CheckState.COMPLETE: 14, CheckState.INCOMPLETE: 4,
              CheckState.NEEDS_ASSESSMENT: 1, CheckState.BLOCKED: 1}
    end_reasons = {codes.EndReason.COMPLETED: 4, codes.EndReason.WORK: 3,
                   codes.EndReason.EDUCATION: 2, codes.EndReason.MOVED: 1,
                   codes.EndReason.ILLNESS: 1, codes.EndReason.PARENTAL_LEAVE: 1,
                   codes.EndReason.INTERRUPTED: 2, codes.EndReason.OTHER: 1}
    transitions = {codes.Transition.WORK: 4, codes.Transition.EDUCATION: 2,
                   codes.Transition.BOTH: 1, codes.Transition.NONE: 3}
    industries = [code for code, _label in codes.industries()]
    measures_all = list(codes.Measure.values)

    def participant(seq: int, start: datetime.date, org_id: int, ended: bool) -> Participant:
        fin = _weighted(rng, financing)
        p = Participant(
            organization_id=org_id, national_id=f"{MARKER}{seq:010d}",
            name=f"Bench Person {seq}", name_source=codes.NameSource.POPULATION_REGISTER,
            birth_date=start - datetime.timedelta(days=rng.randint(20 * 365, 55 * 365)),
            start_date=start, financing=fin, status=codes.Status.ACTIVE,
            duration_extended=rng.random() < 0.1, check_state=_weighted(rng, checks))
        if rng.random() < 0.9:  # background filled in
            p.family_situation = rng.choice(codes.FamilySituation.values[:3])
            p.children = rng.choice([0, 0, 1, 2, 3, 4])
            p.youngest_child_age = rng.randint(1, 14) if p.children else None
            p.education_home_country = rng.choice(codes.Education.values[:5])
            p.education_norway = rng.choice(codes.NorwegianEducation.values[:3])
            p.norwegian_level = rng.choice(codes.NorwegianLevel.values[:5])
            p.work_experience = rng.choice(codes.WorkExperience.values[:4])
            p.literacy = rng.choice(["yes"] * 5 + ["no"])
            p.introduction = rng.choice(["never", "never", "ended"])
            if p.introduction == "ended":
                p.introduction_ended_on = start - datetime.timedelta(days=rng.randint(30, 700))
            p.qualification_programme = rng.random() < 0.1
            p.social_assistance = rng.choice(codes.SocialAssistance.values)
            p.transitional_benefit = fin == codes.Financing.TRANSITIONAL_BENEFIT
        if ended:
            p.end_date = min(start + datetime.timedelta(days=rng.randint(60, 760)),
                             today - datetime.timedelta(days=1))
            p.end_reason = _weighted(rng, end_reasons)
            if p.end_reason == codes.EndReason.INTERRUPTED:
                p.interruption_reason = rng.choice(codes.InterruptionReason.values)
            p.transition = _weighted(rng, transitions)
            if p.transition in (codes.Transition.WORK, codes.Transition.BOTH):
                p.position_percent = rng.choice([20, 40, 50, 60, 80, 100, 100, 100])
                p.industry = rng.choice(industries)
                p.employment = rng.choice(codes.Employment.values)
            if p.transition in (codes.Transition.EDUCATION, codes.Transition.BOTH):
                p.education_level = rng.choice(codes.EducationLevel.values)
            if rng.random() < 0.7:
                p.absence_percent = rng.randint(0, 30)
            if (today - p.end_date).days > 365 and rng.random() < 0.5:
                p.status = codes.Status.DISCHARGED
                p.name, p.name_source = "", codes.NameSource.DELETED
                p.discharged_at = min(now, timezone.make_aware(datetime.datetime.combine(
                    p.end_date + datetime.timedelta(days=rng.randint(90, 365)),
                    datetime.time(12))))
            else:
                p.status = codes.Status.ENDED
        return p

    def measures_of(p: Participant) -> list[ParticipantMeasure]:
        rows = []
        last = p.end_date or today
        for measure in rng.sample(measures_all, rng.choice([1, 1, 2, 2, 3])):
            begin = min(p.start_date + datetime.timedelta(days=rng.randint(0, 60)), last)
            if p.end_date:
                end = min(begin + datetime.timedelta(days=rng.randint(30, 365)), p.end_date)
            else:
                end = (begin + datetime.timedelta(days=rng.randint(30, 365))
                       if rng.random() < 0.5 else None)
            rows.append(ParticipantMeasure(participant=p, measure=measure,
                                           start_date=begin, end_date=end))
        return rows

    started = time.perf_counter()
    measures_count = 0
    with transaction.atomic():
        for offset in range(0, len(plan), BATCH):
            batch = [participant(offset + i + 1, *row)
                     for i, row in enumerate(plan[offset:offset + BATCH])]
            Participant.objects.bulk_create(batch, batch_size=BATCH)
            measures = [m for p in batch for m in measures_of(p)]
            ParticipantMeasure.objects.bulk_create(measures, batch_size=BATCH)
            measures_count += len(measures)
            done = offset + len(batch)
            if done % 25_000 < BATCH or done == len(plan):
                print(f"    {done:>7,} participants … {time.perf_counter() - started:6.1f} s",
                      flush=True)
    return {"seconds": time.perf_counter() - started, "participants": len(plan),
            "measures": measures_count, "municipalities": len(per_org),
            "largest": largest_size, "second": max(sizes)}


# -- measuring ---------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def peak_memory(fn):
    """Run fn under tracemalloc: (its result, the peak of Python memory it allocated)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def timed(fn):
    gc.collect()
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def mb(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB"


def query_label(sql: str) -> str:
    s = sql.upper()
    if "DJANGO_SESSION" in s:
        return "session"
    if "AUDIT_AUDITEVENT" in s:
        return "audit event"
    if "REGISTER_PARTICIPANT" in s:
        if "COUNT(" in s and "GROUP BY" in s:
            return "status counts (GROUP BY)"
        if "COUNT(" in s:
            return "paginator count"
        if "LIMIT" in s:
            return "page rows"
    return "other (user, roles, agreement …)"


class QueryTimer:
    """An execute wrapper summing the time spent in the database per kind of query."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[query_label(sql)] += time.perf_counter() - started
            self.count += 1


def bench_overview(client, requests: int) -> tuple[dict, dict]:
    from django.db import connection
    from django.urls import reverse

    url = reverse("register:overview")
    cases = [("no filter", ""), ("status=ended", "?status=ended"), ("year=2024", "?year=2024"),
             ("measure=norwegian, sort=-end_date", "?measure=norwegian&sort=-end_date"),
             ("page 100 (side=100)", "?side=100")]
    timings, breakdown = {}, {}
    for label, query in cases:
        for _ in range(5):  # warm up: caches, compiled templates, the database's pages
            response = client.get(url + query)
            assert response.status_code == 200, (label, response.status_code)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url + query)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        timings[label] = samples
        # A separate, smaller pass to see where the time goes (the wrapper costs a little).
        timer, runs, total = QueryTimer(), 10, 0.0
        with connection.execute_wrapper(timer):
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url + query)
                total += time.perf_counter() - started
        breakdown[label] = {
            "total": total / runs * 1000, "queries": timer.count / runs,
            "sql": {k: v / runs * 1000 for k, v in sorted(timer.seconds.items(),
                                                          key=lambda kv: -kv[1])}}
    return timings, breakdown


def consume_csv(queryset) -> tuple[int, int]:
    from register import export

    rows = size = 0
    for piece in export.csv_stream(queryset):
        size += len(piece.encode("utf-8"))
        rows += 1
    return rows - 1, size


# -- main --------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true",
                        help="throw the benchmark database away and build it anew")
    parser.add_argument("--participants", type=int, default=130_000,
                        help="size of the synthetic register (default 130 000)")
    parser.add_argument("--requests", type=int, default=50,
                        help="timed overview requests per filter (default 50)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    where = configure_database()
    # Static files are served from node_modules in the test settings; var/static/ is unused.
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings.test")
    import django

    django.setup()
    prepare_database(args.rebuild)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.actor import Actor
    from accounts.roles import Role
    from organizations.models import Organization
    from register import export
    from register.models import Participant, ParticipantMeasure
    from register.selectors import Filters, participant_list
    from shell.demo import build_demo
    from tests.conftest import login_as

    print(f"Participant register benchmark — {where} "
          f"({connection.vendor}, settings {os.environ['DJANGO_SETTINGS_MODULE']})")

    (_, setup_s) = timed(lambda: (call_command("migrate", verbosity=0),
                                  build_demo()))  # build_demo loads the organisations first
    print(f"  migrations, organisations and demo users: {setup_s:.1f} s")

    existing = Participant.objects.filter(national_id__startswith=MARKER).count()
    generated = None
    if existing == 0:
        print(f"  generating {args.participants:,} participants (batches of {BATCH:,}) …")
        generated = generate(args.participants, args.seed)
        print(f"  generated {generated['participants']:,} participants and "
              f"{generated['measures']:,} measures in {generated['municipalities']} "
              f"municipalities in {generated['seconds']:.1f} s")
    elif existing != args.participants:
        raise SystemExit(f"The benchmark database holds {existing:,} synthetic participants, "
                         f"not {args.participants:,}; run with --rebuild.")
    else:
        print(f"  reusing the register already built ({existing:,} synthetic participants; "
              "--rebuild builds it anew)")

    drammen = Organization.objects.get(kind="municipality", code=LARGEST_CODE)
    total = Participant.objects.count()
    in_largest = Participant.objects.filter(organization=drammen).count()
    largest_other = (Participant.objects.exclude(organization=drammen)
                     .values("organization").order_by().annotate(n=Count("id"))
                     .order_by("-n").values_list("n", flat=True).first())
    print(f"  register: {total:,} participants, {ParticipantMeasure.objects.count():,} "
          f"measures; {drammen} has {in_largest:,} ({in_largest / total:.1%}), the next "
          f"largest {largest_other:,}")
    if connection.vendor == "postgresql":
        # What autovacuum would do soon after a bulk load; SQLite is left as the app leaves
        # it (nothing in the project runs ANALYZE there).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # -- overview ---------------------------------------------------------------------------
    client = Client()
    user = login_as(client, "jonas.registrering", organization=drammen)
    print(f"\nOverview, {drammen} as {user.username}: {args.requests} timed requests per "
          "filter after 5 warm-up requests (goal p95 ≤ 100 ms)")
    timings, breakdown = bench_overview(client, args.requests)
    print(f"  {'filter':<36} {'median':>9} {'p95':>9} {'max':>9}")
    for label, samples in timings.items():
        p95 = percentile(samples, 0.95)
        print(f"  {label:<36} {statistics.median(samples):7.1f} ms {p95:7.1f} ms "
              f"{max(samples):7.1f} ms  {'met' if p95 <= GOAL_OVERVIEW_MS else 'MISSED'}")
    every = [t for samples in timings.values() for t in samples]
    overall_p95 = percentile(every, 0.95)
    print(f"  {'all filters together':<36} {statistics.median(every):7.1f} ms "
          f"{overall_p95:7.1f} ms {max(every):7.1f} ms  "
          f"{'met' if overall_p95 <= GOAL_OVERVIEW_MS else 'MISSED'}")
    print("  where the time goes (mean of 10 more requests; SQL as seen by the driver, the rest "
          "is Python: middleware, view, template):")
    for label, info in breakdown.items():
        sql_ms = sum(info["sql"].values())
        parts = ", ".join(f"{name} {ms:.1f}" for name, ms in info["sql"].items() if ms >= 0.05)
        print(f"    {label}: {info['total']:.1f} ms = SQL {sql_ms:.1f} ms in "
              f"{info['queries']:.0f} queries [{parts}] + Python {info['total'] - sql_ms:.1f} ms")

    # -- exports ----------------------------------------------------------------------------
    actor = Actor(user=user, organization=drammen, roles=frozenset({Role.REGISTER_USER}))

    def largest_qs():
        return participant_list(actor, Filters())

    def all_qs():
        return Participant.objects.all().order_by("id")

    # The first XLSX_ROWS participants, as a filter (the export narrows the queryset it is
    # given, which a slice would forbid).
    last_id = (Participant.objects.order_by("id")
               .values_list("id", flat=True)[XLSX_ROWS - 1:XLSX_ROWS].get())

    def xlsx_qs():
        return Participant.objects.filter(pk__lte=last_id).order_by("id")

    print("\nExports (time without tracemalloc; peak Python memory in a second, traced run; "
          "the Excel writer's own memory is in Rust, see bench/excel.py)")
    (csv_l_rows, csv_l_size), csv_l_s = timed(lambda: consume_csv(largest_qs()))
    _, csv_l_peak = peak_memory(lambda: consume_csv(largest_qs()))
    print(f"  CSV, {drammen}: {csv_l_rows:,} rows, {mb(csv_l_size)} in {csv_l_s:.2f} s "
          f"({csv_l_rows / csv_l_s:,.0f} rows/s); peak memory {mb(csv_l_peak)}")
    (csv_a_rows, csv_a_size), csv_a_s = timed(lambda: consume_csv(all_qs()))
    _, csv_a_peak = peak_memory(lambda: consume_csv(all_qs()))
    print(f"  CSV, all municipalities: {csv_a_rows:,} rows, {mb(csv_a_size)} in {csv_a_s:.2f} s "
          f"({csv_a_rows / csv_a_s:,.0f} rows/s); peak memory {mb(csv_a_peak)}")
    growth = csv_a_peak / csv_l_peak if csv_l_peak else float("nan")
    print(f"  CSV memory: {csv_a_rows / csv_l_rows:.1f}× the rows, {growth:.2f}× the peak "
          f"(+{mb(csv_a_peak - csv_l_peak)}; the rest is per chunk of "
          f"{export.CHUNK:,} rows, but the list of ids export.rows reads first grows with "
          "the rows, about 45 bytes a row)")
    (content, xlsx_rows), xlsx_s = timed(lambda: export.xlsx_bytes(xlsx_qs()))
    xlsx_size = len(content)
    del content
    _, xlsx_peak = peak_memory(lambda: export.xlsx_bytes(xlsx_qs())[1])
    print(f"  Excel: {xlsx_rows:,} rows, {mb(xlsx_size)} file in {xlsx_s:.2f} s "
          f"({xlsx_rows / xlsx_s:,.0f} rows/s); peak memory {mb(xlsx_peak)}  "
          f"(goal ≤ {GOAL_XLSX_S:.0f} s: {'met' if xlsx_s <= GOAL_XLSX_S else 'MISSED'})")
    _, read_s = timed(lambda: sum(1 for _row in export.rows(xlsx_qs())))
    print(f"    of which reading the rows (export.rows: queries and Python) {read_s:.2f} s, "
          f"rustpy-xlsxwriter (writing the cells, close and zip) {xlsx_s - read_s:.2f} s")

    # -- summary ----------------------------------------------------------------------------
    worst_label = max(timings, key=lambda k: percentile(timings[k], 0.95))
    worst = percentile(timings[worst_label], 0.95)
    rows = [
        ("Register", f"{total:,} participants", "≈ 130 000", ""),
        ("Generation", f"{generated['seconds']:.1f} s" if generated else "reused", "", ""),
        (f"Overview p95, all filters ({in_largest:,} rows)", f"{overall_p95:.1f} ms",
         "≤ 100 ms", "met" if overall_p95 <= GOAL_OVERVIEW_MS else "MISSED"),
        (f"Overview p95, worst ({worst_label})", f"{worst:.1f} ms", "≤ 100 ms",
         "met" if worst <= GOAL_OVERVIEW_MS else "MISSED"),
        ("Overview median, all filters", f"{statistics.median(every):.1f} ms", "", ""),
        (f"Excel, {xlsx_rows:,} rows", f"{xlsx_s:.2f} s", "≤ 5 s",
         "met" if xlsx_s <= GOAL_XLSX_S else "MISSED"),
        ("Excel peak memory", mb(xlsx_peak), "", ""),
        (f"CSV, {csv_a_rows:,} rows", f"{csv_a_s:.2f} s", "", ""),
        (f"CSV, {csv_l_rows:,} rows", f"{csv_l_s:.2f} s", "", ""),
        (f"CSV peak memory {csv_l_rows:,} → {csv_a_rows:,} rows",
         f"{mb(csv_l_peak)} → {mb(csv_a_peak)}", "flat", f"{growth:.2f}×"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nSummary ({connection.vendor}, {settings.DATABASES['default']['NAME']})")
    print(f"  {'':<{width}}  {'figure':>22}  {'goal':>10}")
    for name, figure, goal, verdict in rows:
        print(f"  {name:<{width}}  {figure:>22}  {goal:>10}  {verdict}")


if __name__ == "__main__":
    main()
