"""A task for tests/jobs/test_celery_backend.py: the Celery worker (another process) runs
it and appends its token to a file both processes see."""

from __future__ import annotations

from django_tasks import task


@task()
def probe(path: str, token: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(token + "\n")
