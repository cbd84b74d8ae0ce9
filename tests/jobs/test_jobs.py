"""The job record, its task, retries, the job page and its download."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from audit.events import EventType
from audit.models import AuditEvent
from jobs import services
from jobs.models import Job
from jobs.registry import job_handler
from tests.conftest import login_as

from .conftest import run_queued

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


@job_handler("test.count")
def count_handler(job):
    total = job.params.get("total", 3)
    for done in range(1, total + 1):
        services.job_progress(job.pk, done, total)
    services.job_finish(job.pk, result=b"a;b\n1;2\n", result_name="tall.csv",
                        result_type="text/csv")


@job_handler("test.smtp_down")
def smtp_down_handler(job):
    CALLS.append(job.pk)
    raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


@job_handler("test.broken")
def broken_handler(job):
    raise ValueError("a bug")


def _user(username="jonas.registrering"):
    return User.objects.get(username=username)


def test_enqueued_in_a_rolled_back_transaction_leaves_neither_job_nor_task(database_queue):
    before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.job_start(owner=_user(), kind="test.count", label="Counting")
        assert Job.objects.count() == 1 and DBTaskResult.objects.count() == before + 1
        raise RuntimeError("the business change failed")
    assert Job.objects.count() == 0
    assert DBTaskResult.objects.count() == before


def test_enqueued_in_a_committed_transaction_runs_once(database_queue):
    with transaction.atomic():
        job = services.job_start(owner=_user(), kind="test.count", label="Counting")
    row = DBTaskResult.objects.get(id=job.task_id)
    assert row.task_path == "jobs.tasks.run_job" and row.args_kwargs["args"] == [job.pk]
    assert job.status == Job.Status.QUEUED
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == job.total == 3
    assert job.attempts == 1 and job.finished_at and job.result_name == "tall.csv"
    # Delivered again (a worker crashed after the work): nothing happens twice.
    from jobs.tasks import run_job
    run_job.call(job.pk)
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_failure_that_may_pass_is_retried_later_then_fails_clearly(database_queue, settings):
    settings.TILSKUDD_JOB_RETRIES = 2
    CALLS.clear()
    job = services.job_start(owner=_user(), kind="test.smtp_down", label="Letters")
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "tried again" in job.message
    later = DBTaskResult.objects.ready()
    assert not later.exists(), "the retry waits (run_after in the future)"
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after > timezone.now() + datetime.timedelta(seconds=20)
    for _attempt in range(2):  # the delay passes
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_queued()
    job.refresh_from_db()
    assert len(CALLS) == 3 and job.attempts == 3
    assert job.status == Job.Status.FAILED
    assert "failed 3 times" in job.message and "SMTPServerDisconnected" in job.error
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_back_off_grows():
    from jobs.tasks import retry_delay
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_bug_fails_at_once_and_is_listed_for_the_system_administrator(client):
    job = services.job_start(owner=_user(), kind="test.broken", label="Broken")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 1
    assert job.error == "builtins.ValueError" and "system administrator" in job.message
    login_as(client, "ingrid.admin")
    page = client.get(reverse("jobs:failed"))
    assert page.status_code == 200 and "builtins.ValueError" in page.content.decode()
    assert "a bug" not in page.content.decode()  # an exception's text may quote data
    login_as(client, "jonas.registrering")
    assert client.get(reverse("jobs:failed")).status_code == 403


def test_job_page_polls_while_running_and_offers_the_file_when_done(client):
    owner = login_as(client, "jonas.registrering")
    job = Job.objects.create(owner=owner, kind="test.count", label="Counting",
                             status=Job.Status.RUNNING, done=2, total=4)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 1s"' in html
    assert 'value="50"' in html and "2 of 4 rows" in html
    partial = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    fragment = partial.content.decode()
    assert "<html" not in fragment and 'id="job-progress"' in fragment
    services.job_finish(job.pk, result=b"x", result_name="x.csv", result_type="text/csv")
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html and reverse("jobs:download", args=[job.pk]) in html


def test_download_is_for_the_owner_only_audited_and_gone_after_its_time(client, settings):
    owner = _user()
    job = services.job_start(owner=owner, kind="test.count", label="Counting")
    url = reverse("jobs:download", args=[job.pk])
    login_as(client, "eva.soknad")
    assert client.get(url).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    login_as(client, "jonas.registrering")
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"a;b\n1;2\n"
    assert response["Content-Disposition"] == 'attachment; filename="tall.csv"'
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.filter(event_type=EventType.JOB_RESULT_DOWNLOADED).latest("id")
    assert event.payload == {"job_id": job.pk, "kind": "test.count", "bytes": 8}
    assert event.actor_id == owner.pk
    # 24 hours later the purge deletes the file; the page says so.
    later = timezone.now() + datetime.timedelta(hours=settings.TILSKUDD_JOB_RESULT_HOURS, seconds=1)
    assert services.jobs_purge(now=timezone.now()) == 0
    assert services.jobs_purge(now=later) == 1
    job.refresh_from_db()
    assert job.result is None and job.status == Job.Status.DONE
    assert client.get(url).status_code == 404
    assert "has been deleted" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_an_expired_file_is_not_served_before_the_purge_runs(client):
    job = services.job_start(owner=_user(), kind="test.count", label="Counting")
    Job.objects.filter(pk=job.pk).update(result_expires_at=timezone.now())
    login_as(client, "jonas.registrering")
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
