"""Reporting's background job: open the reports whose window has come and send the
reminders that are due (nightly, on the scheduler)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jobs.registry import periodic
from jobs.services import job_finish

from .services import obligations_open_due, reminders_send_due


@periodic("reporting.reminders_send_due",
          label=gettext_lazy("Open reports and send report reminders"))
def reminders_due(job) -> None:
    """Idempotent: an opened report is not opened again and each reminder has a row of
    its own (unique per report and slot), so a second run the same day sends nothing."""
    opened = obligations_open_due()
    sent = reminders_send_due()
    job_finish(job.pk, message=f"{opened} / {sent}")
