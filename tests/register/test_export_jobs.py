"""Both downloads of the participant list run as jobs: the CSV like the Excel file, started
by the view, written by the worker with its progress, logged with the participants it
contains in the transaction that finishes the job, and fetched by its owner alone."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from accounts.models import RoleAssignment
from audit.models import AuditEvent
from jobs.models import Job
from register import export
from register.models import ExportedParticipant, Participant
from tests.conftest import login_as
from tests.jobs.conftest import DATABASE_TASKS, run_queued
from tests.jobs.helpers import job_download

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def jonas(client, drammen):
    login_as(client, "jonas.registrering", organization=drammen)
    return client


def _started(client, name: str, params: dict | None = None) -> Job:
    response = client.get(reverse(name), params or {})
    assert response.status_code == 302
    match = resolve(response.url)
    assert match.view_name == "jobs:detail"
    return Job.objects.get(pk=match.kwargs["pk"])


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_view_starts_a_job_the_worker_writes_and_logs(jonas, drammen, database_queue,
                                                              monkeypatch):
    monkeypatch.setattr(export, "PROGRESS_EVERY", 2)
    seen: list[tuple[int, int]] = []
    from jobs import services as job_services
    real_progress = job_services.job_progress

    def spy(job_id, done, total=None, message=""):
        real_progress(job_id, done, total, message)
        job = Job.objects.get(pk=job_id)
        seen.append((job.done, job.total))

    monkeypatch.setattr("register.tasks.job_progress", spy)
    before = AuditEvent.objects.filter(event_type="register.exported").count()
    job = _started(jonas, "register:export_csv", {"financing": "allowance"})
    assert job.kind == "register.csv" and job.status == "queued"
    assert job.owner.username == "jonas.registrering"
    assert job.params["filters"] == {"financing": "allowance", "sort": "-start_date"}
    assert AuditEvent.objects.filter(event_type="register.exported").count() == before

    assert run_queued() == 1
    job.refresh_from_db()
    expected = (Participant.objects.filter(organization=drammen, financing="allowance")
                .order_by("-start_date", "-id"))
    ids = list(expected.values_list("pk", flat=True))
    assert len(ids) > 2
    assert job.status == "done"
    assert job.result_name.endswith(".csv") and job.result_name.startswith(
        "jobbsjanseregisteret-3301-")
    assert job.result_type == "text/csv; charset=utf-8"
    # Kept for its owner as long as the Excel result (TILSKUDD_JOB_RESULT_HOURS, 24 h).
    assert job.result_expires_at - job.finished_at == datetime.timedelta(hours=24)
    assert seen[0] == (0, len(ids)) and seen[-1] == (len(ids), len(ids)) and len(seen) >= 3

    event = AuditEvent.objects.filter(event_type="register.exported").latest("id")
    assert event.payload == {"format": "csv", "rows": len(ids),
                             "filters": ["financing=allowance"]}
    assert set(ExportedParticipant.objects.filter(event=event)
               .values_list("participant_id", flat=True)) == set(ids)

    download = jonas.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="{job.result_name}"'
    rows = _csv_rows(download.content)
    assert [row[0] for row in rows[1:]] == [f"D-{pk:06d}" for pk in ids]
    assert {row[1] for row in rows[1:]} == {"3301"}
    with translation.override("nb"):  # the file is the one the writer makes, in bokmål
        assert download.content == export.csv_bytes(expected)[0]


def test_the_csv_is_written_in_the_language_of_the_request(jonas, database_queue, settings):
    jonas.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    job = _started(jonas, "register:export_csv")
    run_queued()
    job.refresh_from_db()
    with translation.override("en"):
        header = export.header()
    assert _csv_rows(bytes(job.result))[0] == header
    assert job.label == "Writing CSV file"


def test_the_csv_contains_only_the_municipalitys_rows(client, drammen, grimstad):
    login_as(client, "jonas.registrering", organization=grimstad)
    rows = _csv_rows(job_download(client, reverse("register:export_csv")).content)
    numbers = {row[2] for row in rows[1:]}
    assert not numbers & set(Participant.objects.filter(organization=drammen)
                             .values_list("national_id", flat=True))
    assert len(rows) - 1 == Participant.objects.filter(organization=grimstad).count()


def test_the_excel_job_still_writes_the_workbook(jonas, drammen):
    from openpyxl import load_workbook

    download = job_download(jonas, reverse("register:export_xlsx"), {"status": "active"})
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    assert (len(list(book.active.iter_rows(values_only=True))) - 1
            == Participant.objects.filter(organization=drammen, status="active").count())
    event = AuditEvent.objects.filter(event_type="register.exported").latest("id")
    assert event.payload["format"] == "xlsx"


def test_no_log_without_the_file_and_no_file_without_the_log(jonas, database_queue,
                                                             monkeypatch):
    """The access log and the finished job are one transaction: when finishing fails, the
    log of the participants is rolled back with it and the job fails without a file."""
    def broken(*args, **kwargs):
        raise RuntimeError("the database refused the file")

    monkeypatch.setattr("register.tasks.job_finish", broken)
    before = AuditEvent.objects.filter(event_type="register.exported").count()
    exported = ExportedParticipant.objects.count()
    job = _started(jonas, "register:export_csv")
    run_queued()
    job.refresh_from_db()
    assert job.status == "failed" and job.result is None
    assert AuditEvent.objects.filter(event_type="register.exported").count() == before
    assert ExportedParticipant.objects.count() == exported


def test_a_user_who_lost_the_role_gets_no_csv(jonas, drammen, database_queue):
    job = _started(jonas, "register:export_csv")
    RoleAssignment.objects.filter(user=job.owner, organization=drammen,
                                  role="register_user").delete()
    before = AuditEvent.objects.filter(event_type="register.exported").count()
    run_queued()
    job.refresh_from_db()
    assert job.status == "failed" and job.result is None
    assert job.message
    assert AuditEvent.objects.filter(event_type="register.exported").count() == before


def test_another_user_cannot_fetch_the_csv(jonas, drammen):
    from django.test import Client

    job = _started(jonas, "register:export_csv")
    job.refresh_from_db()
    assert job.status == "done"  # the tests' backend runs a task at once
    other = Client()
    login_as(other, "mona.kommuneadmin", organization=drammen)
    assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert jonas.get(reverse("jobs:download", args=[job.pk])).status_code == 200
