"""The one task every job runs through: run_job(job_id).

It finds the job's handler (jobs.registry), runs it and records the end. Failures that
may pass (the SMTP server or the database briefly away, or ``Retry`` raised by the
handler) are tried again later with a growing delay, up to TILSKUDD_JOB_RETRIES times;
then, and for any other error, the job fails with a clear message and is listed for the
system administrator.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from audit.events import EventType
from audit.services import audit_record
from core.mail import outbox_delete_expired

from . import records
from .registry import handler_for, periodic

logger = logging.getLogger(__name__)


class Retry(Exception):  # noqa: N818 – an instruction, not an error
    """Raised by a handler when its failure may pass (an outside service is away)."""


TRANSIENT: tuple[type[BaseException], ...] = (Retry, smtplib.SMTPException, ConnectionError,
                                               TimeoutError, OperationalError)


def retry_delay(attempt: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, 4 min … (TILSKUDD_JOB_RETRY_SECONDS × 2^(attempt-1))."""
    return datetime.timedelta(seconds=settings.TILSKUDD_JOB_RETRY_SECONDS
                              * 2 ** max(0, attempt - 1))


def _error(error: BaseException) -> str:
    """The exception's class only: its text may quote data (a database error quotes the
    row's values), which the job record, like the logs, must not keep."""
    return f"{type(error).__module__}.{type(error).__qualname__}"


@task()
def run_job(job_id: int) -> None:
    job = records.job_running(job_id)
    if job is None:  # finished already (a task delivered twice) or deleted
        return
    try:
        handler = handler_for(job.kind)
        handler(job)
    except TRANSIENT as error:
        if job.attempts > settings.TILSKUDD_JOB_RETRIES:
            logger.warning("job failed after retries", extra={"job_id": job.pk,
                                                               "kind": job.kind})
            records.job_fail(job.pk, error=_error(error), message=_(
                "The job failed %(count)s times because a service it needs did not answer. "
                "Try again later, or contact support.") % {"count": job.attempts})
            return
        at = timezone.now() + retry_delay(job.attempts)
        records.job_retry_later(job.pk, at=at, error=_error(error), message=_(
            "A service the job needs did not answer; it will be tried again at %(time)s.")
            % {"time": timezone.localtime(at).strftime("%H:%M:%S")})
        backend = run_job.get_backend()
        again = run_job.using(run_after=at) if backend.supports_defer else run_job
        again.enqueue(job.pk)
    except Exception as error:
        logger.exception("job failed", extra={"job_id": job.pk, "kind": job.kind})
        records.job_fail(job.pk, error=_error(error), message=_(
            "The job failed. It is listed for the system administrator; try again later."))
    else:
        records.job_finish(job.pk)


@periodic("jobs.purge", label=gettext_lazy("Delete expired job results"), every="hour")
def purge_handler(job) -> None:
    count = records.jobs_purge()
    records.job_finish(job.pk, message=f"{count}")


def outbox_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete old mail from the outbox (core.mail) and record it in the audit log, in one
    transaction; returns how many. Idempotent: a second run the same night finds none."""
    with transaction.atomic():
        count = outbox_delete_expired(now=now)
        if count:
            audit_record(event_type=EventType.OUTBOX_PURGED, payload={
                "count": count, "retention_days": settings.TILSKUDD_OUTBOX_RETENTION_DAYS})
    return count


@periodic("mail.outbox_purge", label=gettext_lazy("Delete old e-mail from the outbox"))
def outbox_purge_handler(job) -> None:
    count = outbox_purge()
    records.job_finish(job.pk, message=f"{count}")
