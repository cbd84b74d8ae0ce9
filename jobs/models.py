"""A job: one piece of background work someone (or the scheduler) asked for.

The task queue (django-tasks) runs the work; the job record is what people see: who
asked, what, how far it has come, the result file and what went wrong. It is updated in
short transactions, so a page polling it sees progress while the work runs.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    # What the handler needs: ids, codes and dates only (no names, no id numbers).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The result file, kept in the database (never a temporary file) until it expires.
    result = models.BinaryField(null=True, blank=True, editable=False)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    result_expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"]),
                   models.Index(fields=["result_expires_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0


class ScheduledRun(models.Model):
    """One periodic job enqueued for one slot (a day, or an hour). The unique constraint
    makes a second scheduler, or a restarted one, skip what is already enqueued."""

    kind = models.CharField(max_length=64)
    slot = models.CharField(max_length=16)  # "2026-12-01" (daily) or "2026-12-01T14" (hourly)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "slot"],
                                               name="jobs_scheduledrun_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.kind} {self.slot}"
