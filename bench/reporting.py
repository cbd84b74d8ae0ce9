"""Benchmark: the used-places report of every grant in a round, from the register.

It builds a synthetic round (a copy of the Jobbsjansen 2026 round of the seeds, with its
example rates) with 400 accepted grants to 400 synthetic municipalities (numbers starting
with ``R``) and 13 000 register participants among them (ten times today's national
volume, skewed by a Pareto draw as in bench/grant_2026_round.py), each grant owing a
used-places report over the 12 months of 2026 (the real report runs to 31 October; the
whole year is the heavier case). Everything goes in through bulk_create, past the services.

It then times, in one run:

- ``reporting.selectors.round_usage_reports``: every grant's report as the pages and the
  money issue compute it — the obligations in one query, the register rows in one, then
  the rules core per grant (rank per month, grant_2026 with its explanation);
- the same aggregation as one hand-written SQL query: places per month per grant, with
  and without 1G — only the counts, no ranking, no amounts, no explanation;

checks that both give the same counts, and prints the seconds (goal ≤ 1 s for the whole
round on PostgreSQL) and their ratio. It is not a test and never fails on time.

    uv run python bench/reporting.py              # builds the round once, reuses it
    uv run python bench/reporting.py --rebuild    # throws the database away and builds anew

The benchmark never writes into the database you work with: by default its own SQLite
file, var/bench-reporting.sqlite3; with a PostgreSQL server in DATABASE_URL, the database
``tilskudd_bench_reporting`` there (created when missing, dropped first with --rebuild):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/reporting.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.register_overview as shared  # noqa: E402  (the same database handling)

SQLITE_PATH = ROOT / "var" / "bench-reporting.sqlite3"
DB_NAME = "tilskudd_bench_reporting"
ROUND_TITLE = "Jobbsjansen 2026 (benchmark, used places from the register)"
MARKER = "R"
PLACES, GRANTS, YEAR = 13_000, 400, 2026
GOAL_S = 1.0
OSLO = ZoneInfo("Europe/Oslo")


def build_round(seed: int) -> dict:
    from django.db import transaction

    from applications.models import Application
    from casework.models import Case, CaseStatus
    from organizations.models import Organization, OrganizationKind
    from register.codes import Financing, NameSource, Status
    from register.models import Participant
    from reporting.models import ObligationKind, ObligationStatus, ReportObligation
    from schemes.models import Round

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    started = time.perf_counter()
    with transaction.atomic():
        round_ = Round.objects.get(title="Jobbsjansen 2026", historical=True)
        round_.pk, round_.id, round_.title = None, None, ROUND_TITLE
        round_.save()
        counties = list(Organization.objects.filter(kind=OrganizationKind.COUNTY))
        orgs = Organization.objects.bulk_create([
            Organization(kind=OrganizationKind.MUNICIPALITY, code=f"{MARKER}{i:04d}",
                         name=f"Syntetisk kommune {i:04d}", parent=rng.choice(counties))
            for i in range(GRANTS)])
        orgs = list(Organization.objects.filter(code__startswith=MARKER).order_by("code"))
        Application.objects.bulk_create([
            Application(round=round_, organization=org, status="submitted",
                        content={"project_title": f"Jobbsjansen {org.name}"}, version=2,
                        submitted_at=round_.deadline) for org in orgs])
        apps = list(Application.objects.filter(round=round_).order_by("pk"))
        Case.objects.bulk_create([Case(application=a, status=CaseStatus.ACCEPTED)
                                  for a in apps])
        cases = list(Case.objects.filter(application__round=round_).select_related(
            "application"))
        ReportObligation.objects.bulk_create([ReportObligation(
            case=case, organization_id=case.application.organization_id, round=round_,
            kind=ObligationKind.USED_PLACES, grant_year=YEAR,
            period_start=datetime.date(YEAR, 1, 1), period_end=datetime.date(YEAR, 12, 31),
            opens_at=datetime.datetime(YEAR + 1, 1, 1, tzinfo=OSLO),
            deadline=datetime.datetime(YEAR + 1, 1, 14, 23, 59, 59, tzinfo=OSLO),
            status=ObligationStatus.OPEN) for case in cases])
        weights = [rng.paretovariate(1.2) for _ in orgs]
        total = sum(weights)
        sizes = [max(10, round(PLACES * w / total)) for w in weights]
        participants, number = [], 0
        for org, size in zip(orgs, sizes, strict=True):
            for _ in range(size):
                number += 1
                # Started in 2025 or 2026; a third ended in 2026.
                start = datetime.date(YEAR - 1, 1, 1) + datetime.timedelta(
                    days=rng.randint(0, 700))
                end = (start + datetime.timedelta(days=rng.randint(30, 400))
                       if rng.random() < 0.33 else None)
                participants.append(Participant(
                    organization=org, national_id=f"{number:011d}", name="",
                    name_source=NameSource.UNKNOWN, start_date=start, end_date=end,
                    status=Status.ENDED if end else Status.ACTIVE,
                    financing=Financing.ALLOWANCE if rng.random() < 0.75 else rng.choice(
                        (Financing.TRANSITIONAL_BENEFIT, Financing.OTHER))))
        Participant.objects.bulk_create(participants, batch_size=2000)
    return {"seconds": time.perf_counter() - started, "grants": len(cases),
            "participants": len(participants)}


def sql_counts(round_id: int) -> dict[tuple[int, str], tuple[int, int]]:
    """Places per month per grant with and without 1G, as one hand-written query."""
    from django.db import connection

    from rules.calendar_util import Month

    months = [Month(YEAR, m) for m in range(1, 13)]
    values = ", ".join(["(%s, %s, %s)"] * len(months))
    params: list = []
    for month in months:
        params += [str(month), month.first_day, month.last_day]
    query = f"""
        WITH months(month, first_day, last_day) AS (VALUES {values})
        SELECT o.id, months.month,
               SUM(CASE WHEN p.financing = 'allowance' THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.financing <> 'allowance' THEN 1 ELSE 0 END)
        FROM reporting_reportobligation o
        JOIN register_participant p ON p.organization_id = o.organization_id
        JOIN months ON p.start_date <= months.last_day
                   AND (p.end_date IS NULL OR p.end_date >= months.first_day)
                   AND months.first_day <= o.period_end AND months.last_day >= o.period_start
        WHERE o.round_id = %s AND o.kind = 'used_places'
        GROUP BY o.id, months.month
    """  # noqa: S608 - only placeholders are interpolated
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, round_id])
        return {(row[0], row[1]): (int(row[2]), int(row[3])) for row in cursor.fetchall()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true",
                        help="throw the benchmark database away and build it anew")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    shared.BENCH_DB_NAME = DB_NAME  # this benchmark's own database on a PostgreSQL server
    where = shared.configure_database(SQLITE_PATH)
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings.test")
    import django

    django.setup()
    shared.prepare_database(args.rebuild)

    from django.core.management import call_command
    from django.db import connection

    from register.models import Participant
    from reporting.selectors import round_usage_reports
    from schemes.models import Round
    from shell.demo import build_demo

    print(f"Used-places reports benchmark — {where} ({connection.vendor})")
    (_, setup_s) = shared.timed(lambda: (call_command("migrate", verbosity=0), build_demo()))
    print(f"  migrations, organisations and demo users: {setup_s:.1f} s")
    round_ = Round.objects.filter(title=ROUND_TITLE).first()
    if round_ is None:
        print(f"  building {GRANTS} grants and about {PLACES:,} register participants …")
        built = build_round(args.seed)
        round_ = Round.objects.get(title=ROUND_TITLE)
        print(f"  built {built['grants']} grants and {built['participants']:,} participants "
              f"in {built['seconds']:.1f} s")
    else:
        print("  reusing the round already built (--rebuild builds it anew)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would do after a bulk load
            cursor.execute("ANALYZE")
    participants = Participant.objects.filter(organization__code__startswith=MARKER).count()

    from reporting.models import ReportObligation
    from reporting.selectors import register_rows, round_rates
    from rules import usage
    from rules.grants.jobbsjansen_2026 import grant_2026
    from rules.grants.places import PlaceUser

    obligations = list(ReportObligation.objects.filter(round=round_, kind="used_places"))
    first = obligations[0]
    rows = register_rows({o.organization_id for o in obligations}, first.period_start,
                         first.period_end)
    users = [[PlaceUser(r.key, r.start_date, r.with_g, months) for r in rows[o.organization_id]
              if (months := usage.months_used(r.start_date, r.end_date, o.period_start,
                                              o.period_end))] for o in obligations]
    rates = round_rates(round_)
    reports_s, sql_s, core_s = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        for group in users:
            if group:
                grant_2026(group, rates)
        core_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        reports = round_usage_reports(round_)
        reports_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        counts = sql_counts(round_.pk)
        sql_s.append(time.perf_counter() - started)

    from_reports = {(pk, str(m.month)): (m.with_g, m.without_g)
                    for pk, report in reports.items() for m in report.months}
    same = from_reports == counts
    places = sum(len(m.rows) for r in reports.values() for m in r.months)
    total = sum(r.total for r in reports.values())
    best, best_sql = min(reports_s), min(sql_s)
    print(f"\n{len(reports)} grants, {participants:,} participants, 12 months: "
          f"{places:,} place-months, grant {total:,.2f} NOK (example rates)")
    print(f"  reports (selector + rules core, ranked, explained): best {best:.3f} s, median "
          f"{statistics.median(reports_s):.3f} s over {args.runs} runs (goal ≤ {GOAL_S:.0f} s: "
          f"{'met' if best <= GOAL_S else 'MISSED'})")
    print(f"  of which the rules core's grant_2026 alone:          best {min(core_s):.3f} s, "
          f"median {statistics.median(core_s):.3f} s")
    print(f"  one hand-written SQL query (counts only):           best {best_sql:.3f} s, median "
          f"{statistics.median(sql_s):.3f} s")
    print(f"  ratio reports / SQL: {best / best_sql:.1f}×; the counts agree: "
          f"{'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
