"""Finance's background job: make due the plan lines whose date has come (terms), and
anything else whose condition was met outside a signal (nightly, on the scheduler)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jobs.registry import periodic
from jobs.services import job_finish

from .plans import plan_refresh


@periodic("finance.plan_refresh", label=gettext_lazy("Make due the payments whose day has come"))
def plan_refresh_due(job) -> None:
    """Idempotent: a line made due is not waiting any more, and its ledger entry has an
    idempotency key."""
    job_finish(job.pk, message=str(plan_refresh()))
