"""Background work: Django's Tasks API (django-tasks) on its database backend.

A task enqueued inside ``transaction.atomic()`` is a row in the same database and commits
or rolls back with the business data (docs/decisions/0013-jobs.md). ``manage.py
db_worker`` runs the tasks; ``manage.py scheduler`` enqueues the nightly ones.
"""

from .env import env, env_int

TASKS = {
    "default": {
        "BACKEND": env("TILSKUDD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    },
}
# A job's result file (personal data) is kept for its owner this many hours, then deleted
# by the purge task (jobs.tasks.jobs_purge).
TILSKUDD_JOB_RESULT_HOURS = env_int("TILSKUDD_JOB_RESULT_HOURS", 24)
# Failures that may pass (SMTP down, database busy) are retried this many times, waiting
# TILSKUDD_JOB_RETRY_SECONDS × 2^attempt between tries, before the job fails for good.
TILSKUDD_JOB_RETRIES = env_int("TILSKUDD_JOB_RETRIES", 5)
TILSKUDD_JOB_RETRY_SECONDS = env_int("TILSKUDD_JOB_RETRY_SECONDS", 30)
# The scheduler enqueues the nightly tasks once a day from this hour (local time).
TILSKUDD_SCHEDULER_HOUR = env_int("TILSKUDD_SCHEDULER_HOUR", 2)
