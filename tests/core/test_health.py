"""Liveness (/helse/) and readiness (/klar/): public JSON, no personal data, 503 when not
ready."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from core import health

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("shell:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_ready_when_database_answers_and_migrations_are_applied(client):
    response = client.get(reverse("shell:ready"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": {"status": "ok"},
            "migrations": {"status": "ok", "unapplied": 0},
            "worker": {"status": "not_configured", "last_seen": None},
        },
    }


def test_ready_is_public_and_the_same_for_a_logged_in_user(client):
    from tests.conftest import login_as

    anonymous = client.get(reverse("shell:ready")).json()
    login_as(client, "eva.soknad")
    assert client.get(reverse("shell:ready")).json() == anonymous


def test_not_ready_when_a_migration_is_unapplied(client):
    real_plan = MigrationExecutor.migration_plan

    def plan_with_one_pending(self, targets, clean_start=False):
        real = real_plan(self, targets, clean_start=clean_start)
        assert real == []
        migration = self.loader.graph.nodes[self.loader.graph.leaf_nodes("core")[0]]
        return [(migration, False)]

    with mock.patch.object(MigrationExecutor, "migration_plan", plan_with_one_pending):
        response = client.get(reverse("shell:ready"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["migrations"] == {"status": "pending", "unapplied": 1}


def test_not_ready_when_the_database_is_unreachable(client, caplog):
    with mock.patch.object(health, "check_database", return_value=False):
        response = client.get(reverse("shell:ready"))
    # One warning from us, not Django's error line for a 5xx.
    loud = [r for r in caplog.records if r.levelname != "INFO"]
    assert [(r.name, r.levelname) for r in loud] == [("core.health", "WARNING")]
    assert loud[0].database == "unreachable"
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "unreachable"}
    assert response.json()["checks"]["migrations"] == {"status": "unknown"}


def test_database_error_is_caught_not_a_server_error():
    broken = mock.MagicMock()
    broken.cursor.side_effect = RuntimeError("connection refused")
    with mock.patch.object(health, "connections", {"default": broken}):
        assert health.check_database() is False


def test_the_worker_does_not_fail_readiness_yet(client):
    # worker_last_seen() is the hook for the job worker; until it reports, readiness
    # shows "not_configured" and stays ready. A report is shown as a time.
    import datetime

    seen = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)
    with mock.patch.object(health, "worker_last_seen", return_value=seen):
        response = client.get(reverse("shell:ready"))
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == {
        "status": "seen", "last_seen": "2026-12-01T10:00:00+00:00"}


def test_the_worker_is_seen_when_it_took_a_task():
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    assert health.worker_last_seen() is None  # no task taken yet
    taken = timezone.now() - datetime.timedelta(minutes=5)
    DBTaskResult.objects.create(task_path="jobs.tasks.run_job", args_kwargs={},
                                queue_name="default", backend_name="default",
                                started_at=taken)
    assert health.worker_last_seen() == taken
