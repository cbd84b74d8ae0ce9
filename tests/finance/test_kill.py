"""Crash safety of payment runs (issue 13): a worker making, approving, filing, sending and
reading back payment runs is killed at random SQL statements — mid-transaction, as a
SIGKILL would — at least 50 times, and resumed each time from whatever the database
holds. After every kill: no plan line has two live payments, no payment is paid twice,
every ledger entry (and the whole ledger) sums to zero, every paid payment has exactly one
'paid' entry, and each line's status agrees with its payments. At the end every line that
was due is paid exactly once: 0 duplicate, 0 lost.

PostgreSQL only: the worker is a separate process (tests/finance/kill_driver.py) that must
see the test's committed data, and the kill is a dropped connection the server rolls back.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum

from finance.models import (
    LIVE_PAYMENTS,
    EntryKind,
    JournalEntry,
    JournalLine,
    LineStatus,
    Payment,
    PaymentRun,
    PaymentStatus,
    PlanLine,
    RunStatus,
)
from organizations.models import Organization
from shell.demo import build_demo
from tests.reporting.conftest import accepted

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the kill test needs PostgreSQL: a worker subprocess must see "
                              "the test's committed data and the server must roll back the "
                              "killed worker's open transaction"),
    pytest.mark.django_db(transaction=True),
]

DRIVER = Path(__file__).with_name("kill_driver.py")
SEED = 20261301
MIN_KILLS = 50
PACE = 8  # kills per batch of grants at least, so the batches last for MIN_KILLS
# Made-up payout accounts with valid MOD11 check digits.
ACCOUNTS = {"3301": "12345678903", "4202": "15032080119", "5007": "97100411117"}
# Grants whose lines are due at acceptance (the advance) or by a past date (two terms).
BATCHES = [(round_title, code)
           for round_title in ("Jobbsjansen 2026", "Utviklingstilskudd 2025",
                               "Jobbsjansen 2018 del B")
           for code in ("5007", "4202", "3301")]

LAST_RUN: dict = {}  # what the kills hit in the last run (for a debugger; nothing is printed)


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def drive(files_dir, die_after: int | None) -> tuple[int, list[list[str]]]:
    path = [str(settings.BASE_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tilskudd.settings.test",
           "DATABASE_URL": database_url(), "PYTHONPATH": os.pathsep.join(path)}
    command = [sys.executable, str(DRIVER), "--files", str(files_dir)]
    if die_after is not None:
        command += ["--die-after", str(die_after)]
    done = subprocess.run(command, env=env, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, timeout=120, check=False)
    lines = [line.split() for line in done.stdout.splitlines() if line.strip()]
    assert done.returncode in (0, 137), (
        f"the worker failed (exit {done.returncode}) with --die-after {die_after}:\n"
        f"{done.stdout}\n{done.stderr}")
    return done.returncode, lines


def next_step() -> str:
    """What the worker will do first from the database's state (as kill_driver does)."""
    run = PaymentRun.objects.exclude(status=RunStatus.CONFIRMED).order_by("pk").first()
    if run is not None:
        return {RunStatus.DRAFT: "run_approve", RunStatus.APPROVED: "run_make_file",
                RunStatus.FILE_MADE: "run_mark_sent", RunStatus.SENT: "status_import"}[run.status]
    return "run_create" if PlanLine.objects.filter(status=LineStatus.DUE).exists() else "done"


def check_invariants(after: str) -> None:
    """What must hold in any state a kill can leave behind."""
    twice = list(PlanLine.objects.annotate(live=Count(
        "payments", filter=Q(payments__status__in=LIVE_PAYMENTS))).filter(live__gt=1)
        .values_list("pk", "live"))
    assert not twice, f"{after}: plan lines with more than one live payment: {twice}"
    paid_twice = list(PlanLine.objects.annotate(paid=Count(
        "payments", filter=Q(payments__status=PaymentStatus.PAID))).filter(paid__gt=1)
        .values_list("pk", "paid"))
    assert not paid_twice, f"{after}: plan lines paid more than once: {paid_twice}"
    unbalanced = list(JournalLine.objects.values("entry").annotate(total=Sum("amount_ore"))
                      .exclude(total=0).values_list("entry", "total"))
    assert not unbalanced, f"{after}: ledger entries that do not sum to 0: {unbalanced}"
    total = JournalLine.objects.aggregate(total=Sum("amount_ore"))["total"] or 0
    assert total == 0, f"{after}: the ledger sums to {total} øre, not 0"
    empty = list(JournalEntry.objects.filter(lines__isnull=True).values_list("pk", flat=True))
    assert not empty, f"{after}: ledger entries without lines: {empty}"
    entries = Counter(JournalEntry.objects.filter(kind=EntryKind.PAID)
                      .values_list("payment_id", flat=True))
    paid = set(Payment.objects.filter(status=PaymentStatus.PAID).values_list("pk", flat=True))
    wrong = {pk: entries.get(pk, 0) for pk in paid | set(entries)
             if entries.get(pk, 0) != (1 if pk in paid else 0)}
    assert not wrong, (f"{after}: payments whose 'paid' ledger entries are not exactly one "
                       f"per paid payment (payment → entries): {wrong}")
    for line in PlanLine.objects.filter(status__in=(LineStatus.DUE, LineStatus.IN_RUN,
                                                    LineStatus.PAID)):
        live = list(line.payments.filter(status__in=LIVE_PAYMENTS)
                    .values_list("status", flat=True))
        expected = {LineStatus.DUE: [], LineStatus.IN_RUN: [["in_run"], ["sent"]],
                    LineStatus.PAID: [["paid"]]}[line.status]
        assert live in expected or (live == expected), (
            f"{after}: plan line {line.pk} is {line.status} but its live payments are {live} "
            "(a lost or a stray payment)")
    for run in PaymentRun.objects.all():
        live = run.payments.exclude(status=PaymentStatus.REMOVED)
        assert (run.count, run.total_ore) == (
            live.count(), live.aggregate(total=Sum("amount_ore"))["total"] or 0), (
            f"{after}: run {run.pk}'s count and total disagree with its payments")
        if run.status == RunStatus.CONFIRMED:
            open_ = list(live.filter(status__in=("in_run", "sent")).values_list("pk", flat=True))
            assert not open_, f"{after}: confirmed run {run.pk} has unanswered payments {open_}"


def test_killed_payment_runs_resume_with_nothing_lost_or_paid_twice(purgeable_audit,
                                                                      tilskudd_files_dir):
    build_demo()
    for code, account in ACCOUNTS.items():
        Organization.objects.filter(kind="municipality", code=code).update(
            account_number=account, account_changed_at=None)
    rng = random.Random(SEED)
    started = time.monotonic()
    # Statements from a worker's start to its first step, and the most seen in each step
    # (from the worker's own counts): a kill is drawn within the next step or a little
    # after it, so every step is hit, and most kills leave a half-done transaction.
    lengths = {"start-up": 10, "run_create": 10, "run_approve": 10, "run_make_file": 10,
               "run_mark_sent": 10, "status_import": 10}
    due_lines: set[int] = set()
    killed_in: Counter[str] = Counter()
    resumed_from: Counter[str] = Counter()
    LAST_RUN.clear()
    LAST_RUN.update(killed_in=killed_in, resumed_from=resumed_from, lengths=lengths)
    kills = completions = iterations = batches_used = 0
    batches = iter(BATCHES)
    while kills < MIN_KILLS or next_step() != "done":
        if next_step() == "done":
            round_title, code = next(batches, (None, None))
            assert round_title, f"out of grants to pay after {kills} kills"
            accepted(round_title, code=code)
            batches_used += 1
            new = set(PlanLine.objects.filter(status=LineStatus.DUE)
                      .values_list("pk", flat=True))
            assert new, f"{round_title} ({code}): nothing became due on acceptance"
            due_lines |= new
        step = next_step()
        resumed_from[step] += 1
        iterations += 1
        if iterations % 12 == 0:  # now and then the worker finishes what it started
            die_after = None
        elif rng.random() < 0.1:  # while reading the state, before any step
            die_after = rng.randint(1, lengths["start-up"])
        else:  # behind the pace of kills per batch: die within the step, else maybe after
            behind = kills < PACE * batches_used
            reach = lengths[step] if behind else int(lengths[step] * 1.25) + 2
            die_after = lengths["start-up"] + rng.randint(1, reach)
        returncode, output = drive(tilskudd_files_dir, die_after)
        steps = [line for line in output if line[0] == "step"]
        counts = [int(line[-1]) for line in steps]
        if steps:
            lengths["start-up"] = max(lengths["start-up"], counts[0])
        if output and output[-1][0] == "done":
            counts.append(int(output[-1][1]))
        for line, start, end in zip(steps, counts, counts[1:], strict=False):
            lengths[line[1]] = max(lengths[line[1]], end - start)
        if returncode == 137:
            kills += 1
            where = steps[-1][1] if steps else "start-up"
            killed_in[where] += 1
            check_invariants(f"kill {kills} (statement {die_after}, in {where})")
        else:
            completions += 1
            assert output and output[-1][0] == "done", f"the worker did not finish: {output}"
            check_invariants(f"completion {completions}")
    returncode, output = drive(tilskudd_files_dir, None)
    assert returncode == 0 and output == [output[0]] and output[0][0] == "done", (
        f"a last resume without kills still found work: {output}")
    check_invariants("the end")

    paid = Counter(Payment.objects.filter(status=PaymentStatus.PAID)
                   .values_list("plan_line_id", flat=True))
    lost = sorted(pk for pk in due_lines if paid[pk] == 0)
    duplicate = sorted(pk for pk, n in paid.items() if n > 1)
    stray = sorted(set(paid) - due_lines)
    assert (lost, duplicate, stray) == ([], [], []), (
        f"lost (due, never paid): {lost}; paid more than once: {duplicate}; "
        f"paid but never due: {stray}")
    not_paid = list(PlanLine.objects.filter(pk__in=due_lines).exclude(status=LineStatus.PAID)
                    .values_list("pk", "status"))
    assert not not_paid, f"due lines not marked paid: {not_paid}"
    assert not PaymentRun.objects.exclude(status=RunStatus.CONFIRMED).exists()
    assert kills >= MIN_KILLS, f"only {kills} kills"
    for step in ("run_create", "run_approve", "run_mark_sent", "status_import"):
        assert killed_in[step], f"no kill landed in {step}: {dict(killed_in)}"
    elapsed = time.monotonic() - started
    assert elapsed < 240, f"the kill loop took {elapsed:.0f} s"
    LAST_RUN.update(kills=kills, completions=completions, due_lines=len(due_lines),
                    seconds=round(elapsed, 1))
