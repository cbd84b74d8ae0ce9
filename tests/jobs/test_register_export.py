"""The register's Excel download as a job: started by the view, written by the worker with
its progress, logged with the participants it contains, fetched by its owner."""

from __future__ import annotations

import io

import pytest
from django.urls import resolve, reverse

from accounts.models import RoleAssignment
from audit.models import AuditEvent
from jobs.models import Job
from organizations.models import Organization
from register.models import ExportedParticipant, Participant
from tests.conftest import login_as

from .conftest import run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


def test_the_view_starts_a_job_and_the_worker_writes_the_file(client, drammen,
                                                              database_queue, monkeypatch):
    from openpyxl import load_workbook

    from register import export

    monkeypatch.setattr(export, "PROGRESS_EVERY", 2)
    seen: list[tuple[int, int]] = []
    from jobs import services as job_services
    real_progress = job_services.job_progress

    def spy(job_id, done, total=None, message=""):
        real_progress(job_id, done, total, message)
        job = Job.objects.get(pk=job_id)
        seen.append((job.done, job.total))

    monkeypatch.setattr("register.tasks.job_progress", spy)
    user = login_as(client, "jonas.registrering", organization=drammen)
    response = client.get(reverse("register:export_xlsx"), {"status": "active"})
    assert response.status_code == 302
    job = Job.objects.get(pk=resolve(response.url).kwargs["pk"])
    assert job.owner == user and job.kind == "register.xlsx" and job.status == "queued"
    assert job.params["filters"] == {"status": "active", "sort": "-start_date"}
    assert not AuditEvent.objects.filter(event_type="register.exported",
                                         payload__format="xlsx").exists()
    page = client.get(response.url)
    assert 'hx-trigger="every 1s"' in page.content.decode()

    assert run_queued() == 1
    job.refresh_from_db()
    active = set(Participant.objects.filter(organization=drammen, status="active")
                 .values_list("pk", flat=True))
    assert job.status == "done" and job.result_name.endswith(".xlsx")
    assert seen[0] == (0, len(active)) and seen[-1] == (len(active), len(active))
    assert len(seen) >= 3
    event = AuditEvent.objects.filter(event_type="register.exported").latest("id")
    assert event.payload["format"] == "xlsx" and event.payload["filters"] == ["status=active"]
    assert set(ExportedParticipant.objects.filter(event=event)
               .values_list("participant_id", flat=True)) == active

    download = client.get(reverse("jobs:download", args=[job.pk]))
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    assert len(list(book.active.iter_rows(values_only=True))) - 1 == len(active)
    assert AuditEvent.objects.filter(event_type="jobs.result_downloaded",
                                     payload__job_id=job.pk).count() == 1


def test_a_register_user_who_lost_the_role_gets_no_file(client, drammen, database_queue):
    login_as(client, "jonas.registrering", organization=drammen)
    response = client.get(reverse("register:export_xlsx"))
    job = Job.objects.get(pk=resolve(response.url).kwargs["pk"])
    RoleAssignment.objects.filter(user=job.owner, organization=drammen,
                                  role="register_user").delete()
    before = AuditEvent.objects.filter(event_type="register.exported").count()
    run_queued()
    job.refresh_from_db()
    assert job.status == "failed" and job.result is None
    assert "no longer have access" in job.message
    assert AuditEvent.objects.filter(event_type="register.exported").count() == before
