"""The scheduler: each periodic job once per slot (a day from TILSKUDD_SCHEDULER_HOUR, or
an hour), recorded in ScheduledRun with the job, so a second scheduler or a restart skips
a slot already enqueued (the unique constraint decides, not a check then an insert)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Job, ScheduledRun
from .registry import PERIODIC, Periodic
from .services import job_start


def slot_for(entry: Periodic, now: datetime.datetime) -> str | None:
    """The slot due at ``now`` (local time), or None before the day's hour."""
    local = timezone.localtime(now)
    if entry.every == "hour":
        return local.strftime("%Y-%m-%dT%H")
    if local.hour < settings.TILSKUDD_SCHEDULER_HOUR:
        return None
    return local.date().isoformat()


def scheduler_tick(*, now: datetime.datetime | None = None) -> list[Job]:
    """Enqueue every periodic job whose slot has come and is not yet enqueued."""
    now = now or timezone.now()
    started = []
    for entry in sorted(PERIODIC.values(), key=lambda e: e.kind):
        slot = slot_for(entry, now)
        if slot is None or ScheduledRun.objects.filter(kind=entry.kind, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(kind=entry.kind, slot=slot)
                job = job_start(owner=None, kind=entry.kind, label=entry.label)
                ScheduledRun.objects.filter(pk=run.pk).update(job=job)
        except IntegrityError:  # another scheduler enqueued it a moment ago
            continue
        started.append(job)
    return started
