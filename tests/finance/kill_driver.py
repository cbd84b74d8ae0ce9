"""The crash test's worker (tests/finance/test_kill.py starts it as a subprocess): resume
the payment work from whatever state the database is in, with the product's functions
only, until every due line is paid — and, with ``--die-after N``, die on the N-th SQL
statement as a SIGKILL would (``os._exit(137)``: no rollback, no clean-up; the server
rolls back the open transaction when the connection drops).

Each step is announced on stdout (flushed, so the test still reads it after the kill):
``step <name> <run id or -> <statements so far>``; a finished resume ends with
``done <statements>``.

Usage: python kill_driver.py [--die-after N] [--files DIR]
(DJANGO_SETTINGS_MODULE and DATABASE_URL in the environment.)"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import django

KILLED = 137
MAX_STEPS = 100  # a resume that needs more steps than this is stuck


class Killer:
    """A connection.execute_wrapper: count statements, die on the N-th (before it runs)."""

    def __init__(self, die_after: int | None):
        self.die_after = die_after
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.die_after is not None and self.count >= self.die_after:
            sys.stdout.flush()
            os._exit(KILLED)
        return execute(sql, params, many, context)


def say(*words) -> None:
    print(*words, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--die-after", type=int, default=None)
    parser.add_argument("--files", default=None, help="the tilskudd_files storage directory")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings.test")
    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from accounts.actor import Actor, Membership
    from accounts.models import User
    from finance import runs
    from finance.iso20022 import pain002_for
    from finance.models import LineStatus, PaymentRun, PlanLine, RunStatus
    from organizations.models import Organization

    if args.files:
        override_settings(STORAGES={**settings.STORAGES, "tilskudd_files": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": args.files}}}).enable()

    killer = Killer(args.die_after)
    with connection.execute_wrapper(killer):
        imdi = Organization.objects.get(code="IMDI")

        def actor(username: str) -> Actor:
            user = User.objects.get(username=username)
            roles = frozenset(user.role_assignments.filter(
                organization=imdi, revoked_at__isnull=True).values_list("role", flat=True))
            return Actor(user=user, organization=imdi, roles=roles,
                         memberships=(Membership(imdi, roles),))

        per, nina = actor("per.okonomi"), actor("nina.okonomi")
        for _ in range(MAX_STEPS):
            run = PaymentRun.objects.exclude(status=RunStatus.CONFIRMED).order_by("pk").first()
            if run is None:
                if not PlanLine.objects.filter(status=LineStatus.DUE).exists():
                    say("done", killer.count)
                    return 0
                say("step run_create -", killer.count)
                runs.run_create(actor=per)
            elif run.status == RunStatus.DRAFT:
                say("step run_approve", run.pk, killer.count)
                approver = nina if run.created_by_id == per.user.pk else per
                runs.run_approve(actor=approver, run=run, seen=run.fingerprint)
            elif run.status == RunStatus.APPROVED:
                say("step run_make_file", run.pk, killer.count)
                runs.run_make_file(run=run)
            elif run.status == RunStatus.FILE_MADE:
                say("step run_mark_sent", run.pk, killer.count)
                runs.run_mark_sent(actor=per, run=run)
            elif run.status == RunStatus.SENT:
                say("step status_import", run.pk, killer.count)
                answer = pain002_for(runs.payment_file_bytes(run), msg_id=f"BANK-{run.pk}",
                                     created_at=run.approved_at)
                runs.status_import(actor=per, data=answer)
            else:
                say("stuck", run.pk, run.status)
                return 2
    say("stuck after", MAX_STEPS, "steps")
    return 2


if __name__ == "__main__":
    sys.exit(main())
