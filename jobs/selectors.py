"""Reads of jobs."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from .models import Job


def job_of(user, pk: int) -> Job:
    """The user's own job; anyone else's is not found (404, not 403: no job ids leak)."""
    job = Job.objects.filter(pk=pk, owner=user, owner__isnull=False).defer("result").first()
    if job is None:
        raise Http404
    return job


def result_available(job: Job) -> bool:
    return bool(job.status == Job.Status.DONE and job.result_expires_at is not None
                and job.result_expires_at > timezone.now() and job.result_name)


def failed_jobs():
    return Job.objects.filter(status=Job.Status.FAILED).defer("result", "params").select_related(
        "owner")
