"""The job page (polled by htmx while the job runs), its download, and the failed jobs."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.permissions import is_logged_in
from audit.events import EventType
from audit.services import audit_record
from core.decorators import require

from . import permissions, selectors
from .models import Job


@require(is_logged_in)
@never_cache
def job_view(request, pk: int):
    job = selectors.job_of(request.user, pk)
    context = {"job": job, "available": selectors.result_available(job)}
    if request.headers.get("HX-Request"):
        return render(request, "jobs/includes/progress.html", context)
    return render(request, "jobs/detail.html", context)


@require(is_logged_in)
def download_view(request, pk: int):
    job = selectors.job_of(request.user, pk)
    if not selectors.result_available(job):
        raise Http404
    content = Job.objects.values_list("result", flat=True).get(pk=job.pk)
    if content is None:
        raise Http404
    with transaction.atomic():
        audit_record(event_type=EventType.JOB_RESULT_DOWNLOADED, actor=request.user,
                     organization=getattr(request.actor, "organization", None),
                     payload={"job_id": job.pk, "kind": job.kind, "bytes": len(content)})
    response = HttpResponse(bytes(content), content_type=job.result_type
                            or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response["Cache-Control"] = "no-store"
    return response


@require(permissions.can_view_failed_jobs)
def failed_view(request):
    page = Paginator(selectors.failed_jobs(), 50).get_page(request.GET.get("side"))
    return render(request, "jobs/failed.html", {"page": page})
