"""The scheduler and the nightly jobs: each slot enqueued once, each job idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from core.models import OutboundEmail
from jobs.models import Job, ScheduledRun
from jobs.registry import PERIODIC
from jobs.scheduler import scheduler_tick, slot_for
from jobs.services import job_start
from register import codes
from register.models import Participant
from tests.register.conftest import drammen, fresh_number, register_actor  # noqa: F401

pytestmark = pytest.mark.django_db

NIGHT = timezone.make_aware(datetime.datetime.combine(timezone.localdate(),
                                                      datetime.time(3, 0)))


def _state():
    """What a nightly job may change: the audit log, the outbox, the cases, the register."""
    from casework.models import Case

    return (AuditEvent.objects.count(), OutboundEmail.objects.count(),
            sorted(Case.objects.values_list("pk", "status")),
            sorted(Participant.objects.values_list("pk", "status", "name")))


def test_the_periodic_jobs_are_registered():
    assert {"casework.grants_lapse_due", "register.discharge_due", "jobs.purge"} <= set(PERIODIC)
    assert PERIODIC["jobs.purge"].every == "hour"


def test_nightly_slots_begin_at_the_configured_hour(settings):
    settings.TILSKUDD_SCHEDULER_HOUR = 2
    nightly = PERIODIC["casework.grants_lapse_due"]
    assert slot_for(nightly, NIGHT.replace(hour=1)) is None
    assert slot_for(nightly, NIGHT) == NIGHT.date().isoformat()
    assert slot_for(PERIODIC["jobs.purge"], NIGHT) == f"{NIGHT.date().isoformat()}T03"


def test_a_second_scheduler_or_a_restart_enqueues_nothing_twice(settings):
    settings.TILSKUDD_SCHEDULER_HOUR = 2
    first = scheduler_tick(now=NIGHT)
    assert {job.kind for job in first} >= {"casework.grants_lapse_due",
                                           "register.discharge_due", "jobs.purge"}
    assert all(job.status == Job.Status.DONE for job in Job.objects.filter(
        pk__in=[j.pk for j in first])), [(j.kind, j.error) for j in Job.objects.all()]
    assert scheduler_tick(now=NIGHT + datetime.timedelta(minutes=20)) == []
    # The next hour: the hourly purge again, not the nightly ones.
    assert [job.kind for job in scheduler_tick(now=NIGHT + datetime.timedelta(hours=1))] == [
        "jobs.purge"]
    assert ScheduledRun.objects.filter(kind="casework.grants_lapse_due").count() == 1
    # The command does one round with --once; the slot is taken, so nothing more.
    jobs = Job.objects.count()
    call_command("scheduler", "--once")
    assert Job.objects.filter(kind="casework.grants_lapse_due").count() == 1
    assert Job.objects.count() - jobs <= 2  # at most today's slots not yet taken


def test_lapsing_grants_twice_in_one_night_changes_nothing_the_second_time(
        smtp_server, django_capture_on_commit_callbacks):
    from tests.casework.test_decisions import _granted

    application = _granted()
    decision = application.case.decision
    type(decision).objects.filter(pk=decision.pk).update(
        accept_by=timezone.localdate() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        first = job_start(owner=None, kind="casework.grants_lapse_due", label="Lapse")
    first.refresh_from_db()
    application.case.refresh_from_db()
    assert first.status == Job.Status.DONE and first.message == "1"
    assert application.case.status == "lapsed"
    before, mails = _state(), len(smtp_server)
    with django_capture_on_commit_callbacks(execute=True):
        second = job_start(owner=None, kind="casework.grants_lapse_due", label="Lapse")
    second.refresh_from_db()
    assert second.status == Job.Status.DONE and second.message == "0"
    assert _state() == before and len(smtp_server) == mails


def test_discharging_twice_in_one_night_changes_nothing_the_second_time(register_actor,  # noqa: F811
                                                                         fresh_number):  # noqa: F811
    from tests.register.test_services import _ended

    p = _ended(register_actor, fresh_number())
    Participant.objects.filter(pk=p.pk).update(
        end_date=timezone.localdate() - datetime.timedelta(days=400))
    first = job_start(owner=None, kind="register.discharge_due", label="Discharge")
    first.refresh_from_db()
    p.refresh_from_db()
    assert first.status == Job.Status.DONE and int(first.message) >= 1
    assert p.status == codes.Status.DISCHARGED and p.name == ""
    before = _state()
    second = job_start(owner=None, kind="register.discharge_due", label="Discharge")
    second.refresh_from_db()
    assert second.status == Job.Status.DONE and second.message == "0"
    assert _state() == before


def test_the_purge_job_deletes_expired_files():
    from accounts.models import User

    owner = User.objects.get(username="jonas.registrering")
    old = Job.objects.create(owner=owner, kind="x", label="x", status=Job.Status.DONE,
                             result=b"personal", result_name="x.csv",
                             result_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    fresh = Job.objects.create(owner=owner, kind="x", label="x", status=Job.Status.DONE,
                               result=b"personal", result_name="x.csv",
                               result_expires_at=timezone.now() + datetime.timedelta(hours=1))
    job_start(owner=None, kind="jobs.purge", label="Purge")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.result is None and bytes(fresh.result) == b"personal"
