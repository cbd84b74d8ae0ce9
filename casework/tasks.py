"""Casework's background jobs: the nightly lapse of grants not accepted in time."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jobs.registry import periodic
from jobs.services import job_finish

from .services import grants_lapse_due


@periodic("casework.grants_lapse_due", label=gettext_lazy("Lapse grants not accepted in time"))
def lapse_due(job) -> None:
    """Nightly; idempotent: a lapsed grant is not due again, so a second run in the same
    night lapses nothing and tells nobody."""
    job_finish(job.pk, message=str(grants_lapse_due()))
