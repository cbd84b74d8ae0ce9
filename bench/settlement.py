"""Benchmark: the settlement of a whole round and the payment file of what it makes due.

It builds the round of bench/reporting.py (a copy of the Jobbsjansen 2026 round of the
seeds, 400 accepted grants to 400 synthetic municipalities with numbers starting with
``R``, about 13 000 register participants among them, each grant owing a used-places
report over the 12 months of 2026) through that benchmark's builder, past the services,
and then takes each grant to the point where only its settlement is left:

- a grant decision per grant (bulk_create): the report's total times a factor drawn
  from 0.7 to 2.3, rounded to a thousand kroner — so about a fifth of the grants are
  capped at the granted amount and about a fifth have their advance claimed back;
  synthetic organisation and account numbers with valid check digits;
- the payment plan as the product makes it (``finance.plans.plan_create`` per grant: the
  year committed in the ledger, the advance due);
- the advances paid as the product pays them (``runs.run_create``, ``run_approve`` by a
  second finance officer, ``run_mark_sent``, the bank's pain.002 read back with
  ``runs.status_import``);
- every used-places report certified and accepted: one UsageSnapshot per grant from
  ``reporting.selectors.round_usage_reports`` (bulk_create), the obligation accepted.

It then times, in one run, each time inside a transaction that is rolled back:

- ``finance.plans.plan_refresh()`` (no actor, as the nightly job calls it): the settlement
  of the whole round — every settlement line due, or settled when the advance covers what
  the places trigger — each krone posted in the ledger;
- ``runs.run_create`` (Per) and ``runs.run_approve`` (Nina; it makes and stores the
  pain.001) of all the settlements due, and ``runs.payment_file_bytes`` of that run alone;

and, outside it, one hand-written SQL query giving per grant what the settlement needs:
the accepted report's total against the granted amount and the advance paid. It checks
that the query's settlements are exactly what plan_refresh computed, compares its
claw-backs with those plan_refresh recorded, checks that the round's ledger balances, and
prints the seconds (goal ≤ 1 s for plan_refresh on PostgreSQL), the file's size and the
ratio to the SQL; with ``--profile``, or when plan_refresh misses its goal, it profiles
one more plan_refresh (cProfile, and the queries it sends by kind). It is not a test and
never fails on time.

    uv run python bench/settlement.py              # builds the round once, reuses it
    uv run python bench/settlement.py --rebuild    # throws the database away and builds anew

The benchmark never writes into the database you work with: by default its own SQLite
file, var/bench-settlement.sqlite3; with a PostgreSQL server in DATABASE_URL, the
database ``tilskudd_bench_settlement`` there (created when missing, dropped first with
--rebuild). The payment files it makes go to var/bench-settlement-files/:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/settlement.py
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import random
import re
import shutil
import statistics
import sys
import time
import warnings
from collections import Counter
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.register_overview as shared  # noqa: E402  (the same database handling)
import bench.reporting as reporting_bench  # noqa: E402  (the same round)

SQLITE_PATH = ROOT / "var" / "bench-settlement.sqlite3"
FILES_DIR = ROOT / "var" / "bench-settlement-files"
DB_NAME = "tilskudd_bench_settlement"
ROUND_TITLE = "Jobbsjansen 2026 (benchmark, settlement of the round)"
GRANTS, YEAR = reporting_bench.GRANTS, reporting_bench.YEAR
GOAL_S = 1.0
OSLO = ZoneInfo("Europe/Oslo")
CERTIFIED_AT = datetime.datetime(YEAR, 11, 10, 12, 0, tzinfo=OSLO)
ACCEPTED_AT = datetime.datetime(YEAR, 11, 20, 12, 0, tzinfo=OSLO)


class Rollback(Exception):  # noqa: N818 - not an error: the end of a timed run
    """Leave the timed run's transaction without keeping anything."""


def actor(username: str, code: str):
    from accounts.actor import Actor
    from accounts.models import User
    from accounts.selectors import user_memberships

    user = User.objects.get(username=username)
    memberships = user_memberships(user)
    current = next(m for m in memberships if m.organization.code == code)
    return Actor(user=user, organization=current.organization, roles=current.roles,
                 memberships=memberships)


def build(seed: int) -> dict:
    """The round of bench/reporting.py, then each grant's decision, plan, paid advance and
    accepted used-places report — all in one transaction (a failed build leaves nothing)."""
    from django.db import transaction
    from django.utils import timezone

    from casework.models import Case, Decision
    from finance import runs
    from finance.iso20022 import pain002_for
    from finance.plans import plan_create
    from organizations.models import Organization
    from reporting.models import ObligationStatus, ReportObligation, UsageSnapshot
    from reporting.selectors import round_usage_reports
    from schemes.models import Round
    from shell.demo import demo_account_number, demo_org_number

    rng = random.Random(seed + 1)  # noqa: S311 - synthetic data, not security
    per, nina = actor("per.okonomi", "IMDI"), actor("nina.okonomi", "IMDI")
    ola, kari = actor("ola.saksbehandler", "IMDI-SOR"), actor("kari.saksbehandler", "IMDI-OST")
    seconds = {}
    with transaction.atomic():
        reporting_bench.ROUND_TITLE = ROUND_TITLE  # the builder names the round by this
        built = reporting_bench.build_round(seed)
        seconds["round and register (bench/reporting.py)"] = built["seconds"]
        round_ = Round.objects.get(title=ROUND_TITLE)

        started = time.perf_counter()
        orgs = list(Organization.objects.filter(code__startswith=reporting_bench.MARKER,
                                                kind="municipality").order_by("code"))
        for i, org in enumerate(orgs):
            org.org_number = demo_org_number(5_000_000 + i * 20)
            org.account_number = demo_account_number(500_000 + i * 20)
            org.account_changed_at = None
        Organization.objects.bulk_update(orgs, ["org_number", "account_number",
                                                "account_changed_at"])
        reports = round_usage_reports(round_)
        obligations = list(ReportObligation.objects.filter(round=round_, kind="used_places")
                           .select_related("case").order_by("pk"))
        now = timezone.now()
        Decision.objects.bulk_create([Decision(
            case=o.case, kind=Decision.Kind.COMMITMENT, years=1,
            amount=Decimal(max(100_000, int(round(
                float(reports[o.pk].total) * rng.uniform(0.7, 2.3), -3)))),
            reasons="Syntetisk tilsagn (benchmark).", proposed_by=ola.user, proposed_at=now,
            approved_by=kari.user, approved_at=now, accepted_at=now,
            accepted_by=ola.user) for o in obligations])
        seconds["decisions (bulk_create)"] = time.perf_counter() - started

        started = time.perf_counter()
        for o in obligations:
            case = Case.objects.select_related("application__round__scheme",
                                                       "decision").get(pk=o.case_id)
            plan_create(case=case)
        seconds["plans (plan_create per grant)"] = time.perf_counter() - started

        started = time.perf_counter()
        run = runs.run_create(actor=per)
        run = runs.run_approve(actor=nina, run=run, seen=run.fingerprint)
        runs.run_mark_sent(actor=per, run=run)
        answer = pain002_for(runs.payment_file_bytes(run), msg_id=f"BENCHBANK-{run.pk}",
                             created_at=run.approved_at)
        runs.status_import(actor=per, data=answer)
        seconds["advances paid (run, approval, pain.002 read back)"] = (
            time.perf_counter() - started)

        started = time.perf_counter()
        UsageSnapshot.objects.bulk_create([UsageSnapshot(
            obligation=o, model=reports[o.pk].model, data=reports[o.pk].as_dict(),
            sha256=reports[o.pk].fingerprint(), total=reports[o.pk].total,
            participants=len(reports[o.pk].participants),
            participant_months=reports[o.pk].participant_months, certified_by=ola.user,
            certified_role="chief_executive", certified_at=CERTIFIED_AT,
            review=UsageSnapshot.Review.ACCEPTED, reviewed_by=kari.user,
            reviewed_at=ACCEPTED_AT) for o in obligations], batch_size=100)
        ReportObligation.objects.filter(pk__in=[o.pk for o in obligations]).update(
            status=ObligationStatus.ACCEPTED)
        seconds["reports accepted (snapshots, bulk_create)"] = time.perf_counter() - started
    return {"seconds": seconds, "grants": built["grants"],
            "participants": built["participants"], "advances": run.count}


def sql_settlements(round_id: int) -> dict[int, tuple[int, int, int, int, int]]:
    """Per waiting settlement line, as one hand-written query: the granted amount, what the
    accepted report triggers, the advance paid, the settlement and the claw-back (øre)."""
    from django.db import connection

    query = """
        WITH accepted AS (
            SELECT s.obligation_id, s.total,
                   ROW_NUMBER() OVER (PARTITION BY s.obligation_id
                                      ORDER BY s.certified_at DESC, s.id DESC) AS n
            FROM reporting_usagesnapshot s
            WHERE s.review = 'accepted'),
        paid AS (
            SELECT e.case_id, e.grant_year, SUM(e.amount_ore) AS paid_ore
            FROM finance_planline e
            WHERE e.kind = 'advance' AND e.status = 'paid'
            GROUP BY e.case_id, e.grant_year),
        lines AS (
            SELECT l.id, CAST(ROUND(d.amount * 100) AS BIGINT) AS granted_ore,
                   CAST(ROUND(a.total * 100) AS BIGINT) AS triggered_ore,
                   COALESCE(p.paid_ore, 0) AS paid_ore
            FROM finance_planline l
            JOIN casework_decision d ON d.case_id = l.case_id
            JOIN accepted a ON a.obligation_id = l.obligation_id AND a.n = 1
            LEFT JOIN paid p ON p.case_id = l.case_id AND p.grant_year = l.grant_year
            WHERE l.round_id = %s AND l.kind = 'settlement' AND l.status = 'waiting'),
        capped AS (
            SELECT id, granted_ore, triggered_ore, paid_ore,
                   CASE WHEN triggered_ore < granted_ore THEN triggered_ore
                        ELSE granted_ore END - paid_ore AS result_ore
            FROM lines)
        SELECT id, granted_ore, triggered_ore, paid_ore,
               CASE WHEN result_ore > 0 THEN result_ore ELSE 0 END,
               CASE WHEN result_ore < 0 THEN -result_ore ELSE 0 END
        FROM capped
    """
    with connection.cursor() as cursor:
        cursor.execute(query, [round_id])
        return {row[0]: tuple(int(v) for v in row[1:]) for row in cursor.fetchall()}


def settled_lines(round_id: int) -> tuple[dict[int, tuple[str, int]], dict[int, int]]:
    """After plan_refresh: each settlement line of the round (status, amount in øre), and
    the claw-backs recorded for them (a receivable, or a proposed or approved claw-back
    decision where finance.models has one), by line."""
    from finance import models

    lines = {pk: (status, amount or 0) for pk, status, amount in
             models.PlanLine.objects.filter(round_id=round_id, kind=models.LineKind.SETTLEMENT)
             .values_list("pk", "status", "amount_ore")}
    claims = dict(models.Receivable.objects.filter(plan_line_id__in=lines)
                  .values_list("plan_line_id", "amount_ore"))
    reaction = getattr(models, "Reaction", None)
    if reaction is not None:
        claims.update(reaction.objects.filter(
            plan_line_id__in=lines, kind="claw_back", status__in=("proposed", "approved"))
            .values_list("plan_line_id", "amount_ore"))
    return lines, claims


# -- where plan_refresh spends its time ------------------------------------------------------

_TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_]+)"?', re.IGNORECASE)


def query_kind(sql: str) -> str:
    words = sql.lstrip().split(None, 1)
    verb = words[0].upper() if words else "?"
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return "SAVEPOINT / RELEASE"
    table = _TABLE.search(sql)
    lock = " FOR UPDATE" if "FOR UPDATE" in sql.upper() else ""
    return f"{verb} {table.group(1) if table else '?'}{lock}"


class QueryCounter:
    def __init__(self):
        self.count, self.seconds = Counter(), Counter()

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = query_kind(sql)
            self.count[kind] += 1
            self.seconds[kind] += time.perf_counter() - started


def profile_refresh(lines: int) -> None:
    from django.db import connection, transaction

    from finance.plans import plan_refresh

    counter, profiler = QueryCounter(), cProfile.Profile()
    try:
        with transaction.atomic(), connection.execute_wrapper(counter):
            started = time.perf_counter()
            profiler.enable()
            plan_refresh()
            profiler.disable()
            total = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    queries, sql_s = sum(counter.count.values()), sum(counter.seconds.values())
    print(f"\nProfile of one plan_refresh ({total:.2f} s under cProfile): {queries:,} queries "
          f"({queries / lines:.1f} per settlement line), {sql_s:.2f} s in the driver")
    print(f"  {'query':<44} {'count':>7} {'per line':>9} {'seconds':>8}")
    for kind, count in counter.count.most_common(16):
        print(f"  {kind:<44} {count:>7,} {count / lines:>9.1f} {counter.seconds[kind]:>8.3f}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"(finance|rules|audit|reporting)/.*\.py", 24)
    print("  cProfile, the project's functions by cumulative time:")
    lines_out = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines_out) if line.lstrip().startswith("ncalls")),
                 0)
    for line in lines_out[start:]:
        if line.strip():
            print(f"    {line.replace(str(ROOT) + '/', '')}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    print("  cProfile, everything by own time:")
    lines_out = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines_out) if line.lstrip().startswith("ncalls")),
                 0)
    for line in lines_out[start:]:
        if line.strip():
            print(f"    {line.replace(str(ROOT) + '/', '')}")


# -- main --------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true",
                        help="throw the benchmark database away and build it anew")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true",
                        help="profile plan_refresh even when it meets its goal")
    args = parser.parse_args()

    shared.BENCH_DB_NAME = DB_NAME  # this benchmark's own database on a PostgreSQL server
    where = shared.configure_database(SQLITE_PATH)
    if args.rebuild:
        shutil.rmtree(FILES_DIR, ignore_errors=True)
    os.environ["TILSKUDD_FILES_DIR"] = str(FILES_DIR)  # the payment files it makes
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings.test")
    import django

    django.setup()
    shared.prepare_database(args.rebuild)

    from django.core.management import call_command
    from django.db import connection, transaction

    from finance import ledger, runs
    from finance.models import JournalLine, LineStatus
    from finance.plans import plan_refresh
    from reporting.models import UsageSnapshot
    from schemes.models import Round
    from shell.demo import build_demo

    print(f"Settlement benchmark — {where} ({connection.vendor})")
    (_, setup_s) = shared.timed(lambda: (call_command("migrate", verbosity=0), build_demo()))
    print(f"  migrations, organisations and demo users: {setup_s:.1f} s")
    round_ = Round.objects.filter(title=ROUND_TITLE).first()
    if round_ is None:
        print(f"  building {GRANTS} grants, about {reporting_bench.PLACES:,} register "
              "participants, their plans, paid advances and accepted reports …")
        built = build(args.seed)
        round_ = Round.objects.get(title=ROUND_TITLE)
        print(f"  built {built['grants']} grants, {built['participants']:,} participants, "
              f"{built['advances']} advances paid:")
        for label, seconds in built["seconds"].items():
            print(f"    {label:<52} {seconds:6.1f} s")
    else:
        print("  reusing the round already built (--rebuild builds it anew)")
    accepted = UsageSnapshot.objects.filter(obligation__round=round_, review="accepted").count()
    if accepted != GRANTS:
        raise SystemExit(f"The round has {accepted} accepted reports, not {GRANTS}; run with "
                         "--rebuild.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would do after a bulk load
            cursor.execute("ANALYZE")

    per, nina = actor("per.okonomi", "IMDI"), actor("nina.okonomi", "IMDI")
    refresh_s, create_s, approve_s, file_s, sql_s = [], [], [], [], []
    after = made = size = balance = None
    for _ in range(args.runs):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                made = plan_refresh()
                refresh_s.append(time.perf_counter() - started)
                if after is None:
                    after = settled_lines(round_.pk)
                    balance = ledger.balances(JournalLine.objects.filter(
                        entry__round=round_))
                started = time.perf_counter()
                run = runs.run_create(actor=per)
                create_s.append(time.perf_counter() - started)
                started = time.perf_counter()
                run = runs.run_approve(actor=nina, run=run, seen=run.fingerprint)
                approve_s.append(time.perf_counter() - started)
                started = time.perf_counter()
                data = runs.payment_file_bytes(run)
                file_s.append(time.perf_counter() - started)
                size, paid_in_run, total_in_run = len(data), run.count, run.total_ore
                raise Rollback
        except Rollback:
            pass
        started = time.perf_counter()
        expected = sql_settlements(round_.pk)
        sql_s.append(time.perf_counter() - started)

    lines, claims = after
    due = {pk: v for pk, v in lines.items() if v[0] == LineStatus.DUE}
    settled = {pk: v for pk, v in lines.items() if v[0] == LineStatus.SETTLED}
    capped = sum(1 for g, t, _p, _s, _c in expected.values() if t > g)
    sql_claims = {pk: c for pk, (_g, _t, _p, _s, c) in expected.items() if c}
    from_sql = {pk: s for pk, (_g, _t, _p, s, _c) in expected.items()}
    from_refresh = {pk: amount for pk, (_status, amount) in lines.items()}
    mismatches = sum(1 for pk in from_refresh.keys() | from_sql.keys()
                     if from_refresh.get(pk) != from_sql.get(pk))
    same = not mismatches and len(due) + len(settled) == GRANTS and all(
        (v[0] == LineStatus.DUE) == (from_sql[pk] > 0) for pk, v in lines.items())
    claims_agree = all(sql_claims.get(pk) == amount for pk, amount in claims.items())

    def kr(ore: int) -> str:
        return f"{ore / 100:,.2f} NOK".replace(",", " ")

    best, best_sql = min(refresh_s), min(sql_s)
    print(f"\n{GRANTS} grants: plan_refresh made {made} lines due or settled — {len(due)} "
          f"settlements due ({kr(sum(v[1] for v in due.values()))}, {capped} capped at the "
          f"grant), {len(settled)} with nothing to pay")
    print(f"  claw-backs: {len(sql_claims)} by the SQL ({kr(sum(sql_claims.values()))}); "
          f"recorded by plan_refresh() with no actor, as the nightly job calls it: "
          f"{len(claims)} ({kr(sum(claims.values()))}; those recorded agree with the SQL: "
          f"{'yes' if claims_agree else 'NO'})")
    print(f"  the round's ledger balances: {'yes' if sum(balance.values()) == 0 else 'NO'} "
          f"(committed left {kr(balance['committed'])}, payable {kr(balance['payable'])})")
    print(f"  settlement, plan_refresh():        best {best:.3f} s, median "
          f"{statistics.median(refresh_s):.3f} s over {args.runs} runs (goal ≤ {GOAL_S:.0f} s: "
          f"{'met' if best <= GOAL_S else 'MISSED'}; {best / GRANTS * 1000:.1f} ms a grant)")
    print(f"  payment run, run_create (Per):     best {min(create_s):.3f} s, median "
          f"{statistics.median(create_s):.3f} s — {paid_in_run} payments, "
          f"{kr(total_in_run)}")
    print(f"  approval, run_approve (Nina; the file made and stored): best {min(approve_s):.3f} "
          f"s, median {statistics.median(approve_s):.3f} s")
    print(f"  payment file alone, payment_file_bytes: best {min(file_s):.3f} s, median "
          f"{statistics.median(file_s):.3f} s — pain.001 of {size / 1024:,.0f} KiB "
          f"({size / paid_in_run:,.0f} bytes a payment)")
    print(f"  one hand-written SQL query (settlement per grant): best {best_sql:.4f} s, median "
          f"{statistics.median(sql_s):.4f} s")
    print(f"  ratio plan_refresh / SQL: {best / best_sql:,.0f}×; the settlement amounts "
          f"agree: {'yes' if same else f'NO ({mismatches} differ)'}")
    if args.profile or best > GOAL_S:
        profile_refresh(len(lines))


if __name__ == "__main__":
    main()
