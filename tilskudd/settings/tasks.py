"""Background work: Django's Tasks API (django-tasks) on its database backend.

A task enqueued inside ``transaction.atomic()`` is a row in the same database and commits
or rolls back with the business data (docs/decisions/0013-jobs.md). ``manage.py
db_worker`` runs the tasks; ``manage.py scheduler`` enqueues the nightly ones.
``TILSKUDD_TASKS_BACKEND=celery`` sends them to Celery on RabbitMQ instead (jobs/backends.py:
sent after the commit, never on a rollback); ``celery -A jobs.celery worker -Q default`` runs
them. Another backend may be named by its import path.
"""

from .env import env, env_int

_BACKENDS = {"db": "django_tasks_db.DatabaseBackend", "celery": "jobs.backends.CeleryBackend"}
_backend = env("TILSKUDD_TASKS_BACKEND", "db")
TASKS = {
    "default": {
        "BACKEND": _BACKENDS.get(_backend, _backend),
        "QUEUES": ["default"],
    },
}
# Celery (only with TILSKUDD_TASKS_BACKEND=celery): every TILSKUDD_CELERY_X setting is
# Celery's x (jobs/celery.py). A task is acknowledged after it ran, so a worker that dies
# mid-task leaves it to another (run_job does nothing for a finished job).
TILSKUDD_CELERY_BROKER_URL = env("TILSKUDD_CELERY_BROKER_URL",
                                 "amqp://guest:guest@127.0.0.1:5672//")
TILSKUDD_CELERY_TASK_DEFAULT_QUEUE = "default"
TILSKUDD_CELERY_TASK_ACKS_LATE = True
TILSKUDD_CELERY_WORKER_PREFETCH_MULTIPLIER = 1
TILSKUDD_CELERY_TASK_IGNORE_RESULT = True
TILSKUDD_CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job's result file (personal data) is kept for its owner this many hours, then deleted
# by the purge task (jobs.tasks.jobs_purge).
TILSKUDD_JOB_RESULT_HOURS = env_int("TILSKUDD_JOB_RESULT_HOURS", 24)
# Failures that may pass (SMTP down, database busy) are retried this many times, waiting
# TILSKUDD_JOB_RETRY_SECONDS × 2^attempt between tries, before the job fails for good.
TILSKUDD_JOB_RETRIES = env_int("TILSKUDD_JOB_RETRIES", 5)
TILSKUDD_JOB_RETRY_SECONDS = env_int("TILSKUDD_JOB_RETRY_SECONDS", 30)
# The scheduler enqueues the nightly tasks once a day from this hour (local time).
TILSKUDD_SCHEDULER_HOUR = env_int("TILSKUDD_SCHEDULER_HOUR", 2)
