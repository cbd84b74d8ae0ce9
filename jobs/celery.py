"""The Celery app for the distributed backend (TILSKUDD_TASKS_BACKEND=celery).

Configured from Django's settings with the prefix ``TILSKUDD_CELERY_``
(``TILSKUDD_CELERY_BROKER_URL`` becomes Celery's ``broker_url``; tilskudd/settings/tasks.py).
It knows one Celery task, ``tilskudd.run_task``: it imports a Django task by its import path
and calls it with the arguments ``jobs.backends.CeleryBackend`` sent. A worker:

    celery -A jobs.celery worker -Q default --concurrency=2

Only this module and jobs/backends.py import Celery; with the database backend nothing does.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings.dev")

app = Celery("tilskudd")
app.config_from_object("django.conf:settings", namespace="TILSKUDD_CELERY")

RUN_TASK = "tilskudd.run_task"


@app.task(name=RUN_TASK)
def run_task(module_path: str, args: list, kwargs: dict) -> None:
    """Run the Django task at ``module_path`` (a ``django_tasks.Task``, never any other
    callable: a message names what to run, so it may name only a task)."""
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    task = import_string(module_path)
    if not isinstance(task, Task):
        raise TypeError(f"{module_path} is not a task")
    task.call(*args, **kwargs)
