"""The Celery backend on a real RabbitMQ broker on loopback and a real worker process.

A task enqueued in a transaction that commits runs exactly once; one enqueued in a
transaction that rolls back never runs. The worker listens on a queue of its own (a new
name each run, deleted at the end), so runs never see each other's messages. The probe task
writes its evidence to a file, which the worker sees whatever database the test uses.
Skipped only when nothing listens on 127.0.0.1:5672 (in CI a broker does).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from tests.jobs.celery_probe import probe


def _broker_listens() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return True
    except OSError:
        return False


# In CI the broker must be there (.ci/run starts it when it is not): a missing broker fails
# the run instead of skipping the proof.
pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(not _broker_listens() and not os.environ.get("CI"),
                       reason="no RabbitMQ broker on 127.0.0.1:5672"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


def _wait(until, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if until():
            return True
        time.sleep(0.1)
    return until()


@pytest.fixture
def celery_worker(settings, tmp_path, purgeable_audit):
    """A Celery worker process on a queue of its own; the tasks backend sends to it."""
    from jobs.celery import app

    queue = f"tilskudd-test-{uuid.uuid4().hex}"
    node = f"{queue}@localhost"
    settings.TASKS = {"default": {"BACKEND": "jobs.backends.CeleryBackend",
                                  "QUEUES": [queue]}}
    log = tmp_path / "worker.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CELERY_SKIP_CHECKS": "1",
           "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                    "tilskudd.settings.test"),
           "TILSKUDD_CELERY_BROKER_URL": django_settings.TILSKUDD_CELERY_BROKER_URL}
    with open(log, "wb") as out:
        worker = subprocess.Popen(  # noqa: S603 – our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "jobs.celery", "worker", "--pool=solo",
             "--concurrency=1", "-Q", queue, "-n", node, "--without-heartbeat",
             "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        ready = _wait(lambda: worker.poll() is not None
                      or bool(app.control.ping(destination=[node], timeout=0.5)), 20)
        assert ready and worker.poll() is None, log.read_text(errors="replace")[-3000:]
        yield queue, log
    finally:
        # Killed: nothing is in flight by now (or the test failed), and a warm shutdown
        # waits seconds for the broker's next event before it acts on the signal.
        worker.kill()
        worker.wait(10)
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=2)  # never hang on a broker gone away
            channel = connection.default_channel
            channel.queue_purge(queue)
            channel.queue_delete(queue)
        app.pool.force_close_all()


def test_a_committed_task_runs_once_and_a_rolled_back_one_never(celery_worker, tmp_path):
    queue, log = celery_worker
    evidence = tmp_path / f"{uuid.uuid4().hex}.txt"
    task = probe.using(queue_name=queue)

    with pytest.raises(RuntimeError), transaction.atomic():
        task.enqueue(str(evidence), "rolled-back")
        raise RuntimeError("roll back")
    with transaction.atomic():
        result = task.enqueue(str(evidence), "committed")
        assert not evidence.exists()  # not sent before the commit

    # One worker, one queue, first in first out: had the rolled-back task been sent (first),
    # it would have run before the committed one.
    assert _wait(lambda: "committed" in _lines(evidence), 20), log.read_text(errors="replace")
    time.sleep(3)  # a second delivery, or a late one, would show by now
    assert _lines(evidence) == ["committed"]
    assert result.id in log.read_text(errors="replace")  # the worker ran this very message
