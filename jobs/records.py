"""The job record's updates, each in its own short transaction: progress, running,
finished, failed, retried, results purged. The worker's task (jobs/tasks.py) uses these;
starting a job is jobs.services.job_start, which enqueues that task."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Job


def job_progress(job_id: int, done: int, total: int | None = None, message: str = "") -> None:
    """How far the job has come; its own short transaction, so a poll sees it at once."""
    changes = {"done": max(0, done), "message": str(message)[:200]}
    if total is not None:
        changes["total"] = max(0, total)
    with transaction.atomic():
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**changes)


def job_running(job_id: int) -> Job | None:
    """Mark a queued job as running (one more attempt); None when it is finished or gone,
    so a task delivered twice does its work once."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "error"])
        return job


def job_finish(job_id: int, *, message: str = "", result: bytes | None = None,
               result_name: str = "", result_type: str = "") -> bool:
    """The job is done, with its result file (kept TILSKUDD_JOB_RESULT_HOURS). Call it in
    the transaction that records what the work did. False when it was already finished."""
    now = timezone.now()
    changes = {"status": Job.Status.DONE, "finished_at": now, "message": str(message)[:200]}
    if result is not None:
        changes.update(result=result, result_name=result_name[:200],
                       result_type=result_type[:100],
                       result_expires_at=now + datetime.timedelta(
                           hours=settings.TILSKUDD_JOB_RESULT_HOURS))
    if not message:
        del changes["message"]
    with transaction.atomic():
        return bool(Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**changes))


def job_fail(job_id: int, *, message: str, error: str = "") -> None:
    """The job failed for good: a clear message for its owner, the error for the
    administrator (an exception's class, never its text or a traceback: they may quote data)."""
    with transaction.atomic():
        Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=str(message)[:200],
            error=error[:2000])


def job_retry_later(job_id: int, *, at: datetime.datetime, message: str, error: str) -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
            status=Job.Status.QUEUED, message=str(message)[:200], error=error[:2000])


def jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the result files whose time is up (personal data: 24 hours by default)."""
    now = now or timezone.now()
    with transaction.atomic():
        return Job.objects.filter(result_expires_at__lte=now).update(
            result=None, result_expires_at=None)


def job_results_discard(*, kinds: tuple[str, ...], organization_id: int) -> int:
    """Delete the result files of these kinds of job made for an organisation: a download
    that holds what the register has just deleted (a name at discharge, a participant)
    must not outlive it. Returns how many; the jobs themselves stay, as done."""
    with transaction.atomic():
        return Job.objects.filter(kind__in=kinds, params__organization_id=organization_id,
                                  result__isnull=False).update(result=None,
                                                               result_expires_at=None)
