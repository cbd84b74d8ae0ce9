"""Starting, reporting on and finishing jobs.

``job_start`` must be called inside the transaction that makes the work necessary: with
the database backend the queued task is a row in the same database, so the business
data, the job and its task commit together or not at all (docs/decisions/0013-jobs.md).
Progress and the end are written in their own short transactions by the worker.
"""

from __future__ import annotations

from django.db import transaction

from .models import Job
from .records import (  # noqa: F401 – the apps report through jobs.services
    job_fail,
    job_finish,
    job_progress,
    job_results_discard,
    job_retry_later,
    job_running,
    jobs_purge,
)
from .tasks import run_job


def job_start(*, owner, kind: str, label: str, params: dict | None = None,
              total: int = 0) -> Job:
    """Create the job and enqueue its task, in the caller's transaction."""
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, label=str(label)[:200],
                                 params=params or {}, total=total)
        result = run_job.enqueue(job.pk)
        # Only the task id: with a backend that runs the task at once the job has
        # already moved on, and saving the whole row would undo that.
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job
