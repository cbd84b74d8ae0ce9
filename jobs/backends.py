"""A Tasks API backend that sends each task to Celery (docs/decisions/0013-jobs.md,
"Distributed backend").

The message carries the task's import path and its arguments (JSON); the worker's one Celery
task, ``jobs.celery.run_task``, imports the task and calls it. The broker cannot join the
database's transaction, so the message is sent in ``transaction.on_commit``: a task
enqueued in a transaction that commits is sent once, after the commit; one enqueued in a
transaction that rolls back is never sent. (The database backend instead writes the task
in the transaction itself.) Results are not kept: the job record (jobs.Job) is the result.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.exceptions import InvalidTaskError
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id


class CeleryBackend(BaseTaskBackend):
    """Settings: ``{"BACKEND": "jobs.backends.CeleryBackend", "QUEUES": ["default"]}``.
    A task's queue name is the Celery queue it is sent to (a worker's ``-Q``)."""

    supports_defer = True  # run_after becomes Celery's eta (the retries' back-off)

    def validate_task(self, task: Task) -> None:
        super().validate_task(task)
        if task.takes_context:
            raise InvalidTaskError("The Celery backend does not pass a task context.")

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(task=task, id=get_random_id(), status=TaskResultStatus.READY,
                            enqueued_at=timezone.now(), started_at=None, finished_at=None,
                            last_attempted_at=None, args=list(args), kwargs=dict(kwargs),
                            backend=self.alias, errors=[], worker_ids=[])
        message = [task.module_path, result.args, result.kwargs]
        queue, eta = task.queue_name, task.run_after

        def send() -> None:
            from .celery import RUN_TASK, app

            app.send_task(RUN_TASK, args=message, task_id=result.id, queue=queue, eta=eta)

        # At once outside a transaction; after the commit inside one; never on a rollback.
        transaction.on_commit(send, robust=False)
        task_enqueued.send(type(self), task_result=result)
        return result
