"""Job fixtures: the database backend (a queue in the test's own transaction) and a way
to run what it holds, as the worker would."""

from __future__ import annotations

import pytest

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                              "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def english(client, settings):
    """The pages in English (the service starts in bokmål), so the tests read the source
    texts."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_TASKS
    yield
    # settings fixture restores TASKS; django-tasks resets its backends on the change


def run_queued(*, now=None) -> int:
    """Run every task that is due, one by one, the way db_worker does (its loop closes the
    connection, which a test inside a transaction cannot allow)."""
    from django_tasks_db.models import DBTaskResult

    count = 0
    while True:
        row = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if row is None:
            return count
        row.claim("test-worker")
        result = row.task_result
        try:
            row.task.call(*result.args, **result.kwargs)
        except Exception as error:  # noqa: BLE001 – recorded as the worker would
            row.set_failed(error)
        else:
            row.set_successful(None)
        count += 1
