"""Liveness and readiness: what a proxy or an orchestrator asks before sending traffic.

Liveness (``/helse/``) says the process answers; it touches nothing else, so a database
outage never makes the orchestrator restart healthy web processes. Readiness (``/klar/``)
says this process can serve requests now: the database answers and every migration is
applied. Neither says anything about users or data.
"""

from __future__ import annotations

import datetime
import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)


def worker_last_seen() -> datetime.datetime | None:
    """When a background worker last took a task, or None when unknown (no task taken
    yet, or a backend that keeps no record in this database). The scheduler enqueues the
    hourly purge, so a running worker takes a task at least once an hour.

    Readiness reports it without failing on it: a web process can serve pages while the
    worker is down (jobs wait in the queue); the orchestrator watches the worker itself.
    """
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return None
    from django.db.models import Max

    try:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.aggregate(seen=Max("started_at"))["seen"]
    except Exception:  # an unreadable table says nothing about the web process
        logger.warning("readiness: worker state unreadable", exc_info=True)
        return None


def check_database(alias: str = DEFAULT_DB_ALIAS) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database error means "not ready", never a 500
        logger.warning("readiness: database unreachable", exc_info=True)
        return False
    return True


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the code has that the database has not applied."""
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return len(executor.migration_plan(targets))


def check_worker() -> dict:
    """The worker's state as reported; informational only, for now."""
    seen = worker_last_seen()
    if seen is None:
        return {"status": "not_configured", "last_seen": None}
    return {"status": "seen", "last_seen": seen.isoformat(timespec="seconds")}


def readiness() -> tuple[bool, dict]:
    """(ready, report). Ready when the database answers and no migration is unapplied;
    the worker's field does not count yet."""
    database_ok = check_database()
    migrations: dict
    if database_ok:
        try:
            pending = unapplied_migrations()
        except Exception:
            logger.warning("readiness: migration state unreadable", exc_info=True)
            migrations = {"status": "unknown"}
        else:
            migrations = {"status": "ok" if pending == 0 else "pending", "unapplied": pending}
    else:
        migrations = {"status": "unknown"}
    ready = database_ok and migrations["status"] == "ok"
    report = {
        "status": "ready" if ready else "not_ready",
        "checks": {
            "database": {"status": "ok" if database_ok else "unreachable"},
            "migrations": migrations,
            "worker": check_worker(),
        },
    }
    return ready, report


def log_not_ready(report: dict) -> None:
    checks = report["checks"]
    logger.warning("not ready", extra={"database": checks["database"]["status"],
                                       "migrations": checks["migrations"]["status"]})
