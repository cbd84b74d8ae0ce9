"""The reminder job: 14 and 3 days before, the day after, weekly while overdue — each
exactly once, in the reader's language, to the organisation's address, report writers and
signers; never for a submitted report. Deadlines across summer time and at the edges of
the day in Norwegian time."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from core.models import OutboundEmail
from jobs.registry import PERIODIC
from reporting import services
from reporting.models import ObligationStatus, Reminder, ReportObligation

from .conftest import accepted

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC
D = datetime.date


def night(day: datetime.date) -> datetime.datetime:
    """When the scheduler runs the job: 02:00 Norwegian time."""
    return datetime.datetime.combine(day, datetime.time(2, 0), tzinfo=OSLO)


@pytest.fixture
def obligation(db) -> ReportObligation:
    """Drammen's used-places report for 2026, due 14.11.2026 23:59:59; the grant's other
    reports are moved out of the way."""
    application = accepted("Jobbsjansen 2026")
    rows = ReportObligation.objects.filter(case=application.case)
    rows.exclude(kind="used_places").update(status=ObligationStatus.ACCEPTED)
    return rows.get(kind="used_places")


def _due(obligation, deadline: datetime.datetime) -> ReportObligation:
    ReportObligation.objects.filter(pk=obligation.pk).update(
        deadline=deadline, opens_at=deadline - datetime.timedelta(days=30))
    obligation.refresh_from_db()
    return obligation


def slots(obligation) -> list[str]:
    return list(Reminder.objects.filter(obligation=obligation).order_by("id")
                .values_list("slot", flat=True))


def mails() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind="report_reminder").order_by("id"))


def test_the_job_is_on_the_scheduler():
    assert "reporting.reminders_send_due" in PERIODIC
    assert PERIODIC["reporting.reminders_send_due"].every == "day"


def test_twice_in_one_day_sends_once(obligation):
    assert services.reminders_send_due(now=night(D(2026, 10, 31))) == 1
    sent = len(mails())
    assert services.reminders_send_due(now=night(D(2026, 10, 31))) == 0
    assert services.reminders_send_due(now=night(D(2026, 10, 31)) + datetime.timedelta(
        hours=20)) == 0
    assert len(mails()) == sent and slots(obligation) == ["before:14:2026-11-14"]


def test_a_slot_sent_by_another_run_a_moment_ago_is_not_sent_again(obligation):
    from rules import reporting as schedule

    due = schedule.reminder_due(obligation.deadline, night(D(2026, 10, 31)), (14, 3))
    assert services._remind(obligation, due, night(D(2026, 10, 31)))
    sent = len(mails())
    assert not services._remind(obligation, due, night(D(2026, 10, 31)))  # the constraint
    assert len(mails()) == sent and len(slots(obligation)) == 1


def test_14_and_3_days_before_the_day_after_and_weekly_while_overdue(obligation):
    sent = {}
    day = D(2026, 10, 20)
    while day <= D(2026, 12, 10):
        if services.reminders_send_due(now=night(day)):
            sent[day] = slots(obligation)[-1]
        day += datetime.timedelta(days=1)
    assert sent == {
        D(2026, 10, 31): "before:14:2026-11-14", D(2026, 11, 11): "before:3:2026-11-14",
        D(2026, 11, 15): "missed:2026-11-14", D(2026, 11, 22): "overdue:1:2026-11-14",
        D(2026, 11, 29): "overdue:2:2026-11-14", D(2026, 12, 6): "overdue:3:2026-11-14"}
    kinds = list(Reminder.objects.filter(obligation=obligation).values_list("kind", flat=True))
    assert kinds == ["before", "before", "missed", "overdue", "overdue", "overdue"]


def test_submitted_reports_get_no_reminder(obligation):
    services.obligation_transition(obligation=obligation, to=ObligationStatus.SUBMITTED,
                                   now=night(D(2026, 11, 2)))
    for day in (D(2026, 10, 31), D(2026, 11, 11), D(2026, 11, 15), D(2026, 11, 22)):
        assert services.reminders_send_due(now=night(day)) == 0
    assert slots(obligation) == [] and mails() == []


def test_a_report_accepted_or_with_changes_requested_is_not_overdue(obligation):
    services.obligation_transition(obligation=obligation, to=ObligationStatus.SUBMITTED,
                                   now=night(D(2026, 11, 2)))
    services.obligation_transition(obligation=obligation, to=ObligationStatus.CHANGES_REQUESTED)
    assert services.reminders_send_due(now=night(D(2026, 11, 20))) == 0


def test_the_mail_in_each_readers_language_addressed_by_the_official_name(obligation,
                                                                         monkeypatch):
    User.objects.filter(username="eva.soknad").update(preferred_language="nn")
    User.objects.filter(username="hilde.fullmakt").update(preferred_language="en")
    languages = {}
    queue = services.mail_queue

    def recording(**kwargs):
        languages[tuple(kwargs["to"])] = kwargs["language"]
        return queue(**kwargs)

    monkeypatch.setattr(services, "mail_queue", recording)
    services.reminders_send_due(now=night(D(2026, 11, 11)))
    # The organisation's address in the application's written standard (bokmål here),
    # each person in the language they chose, bokmål when they chose none.
    assert languages == {
        ("postmottak@drammen.example", "tor.kommunedirektor@demo.tilskudd.example"): "nb",
        ("eva.soknad@demo.tilskudd.example",): "nn",
        ("hilde.fullmakt@demo.tilskudd.example",): "en"}
    assert len(mails()) == 3
    for mail in mails():
        assert "Drammen kommune" in mail.body
        assert "14.11.2026" in mail.subject
        assert "14.11.2026 23:59:59" in mail.body
        assert f"S-{obligation.case.application_id:06d}" in mail.body
        assert "01.01.2026–31.10.2026" in mail.body
    english = next(m for m in mails() if m.recipients == ["hilde.fullmakt@demo.tilskudd.example"])
    assert english.subject == "Reminder: Used places is due 14.11.2026"
    assert "There are 3 days left." in english.body
    assert Reminder.objects.get(obligation=obligation).recipients == 4


def test_the_14_day_reminder_says_when_a_report_not_yet_open_opens(obligation):
    ReportObligation.objects.filter(pk=obligation.pk).update(status="not_yet_open")
    User.objects.filter(username="hilde.fullmakt").update(preferred_language="en")
    services.reminders_send_due(now=night(D(2026, 10, 31)))
    english = next(m for m in mails() if m.recipients == ["hilde.fullmakt@demo.tilskudd.example"])
    assert "The report opens for submission 01.11.2026." in english.body
    assert "There are 14 days left." in english.body


def test_the_missed_and_overdue_mails_say_so(obligation):
    User.objects.filter(username__in=["eva.soknad", "tor.kommunedirektor",
                                      "hilde.fullmakt"]).update(preferred_language="en")
    services.reminders_send_due(now=night(D(2026, 11, 15)))
    services.reminders_send_due(now=night(D(2026, 11, 29)))
    subjects = [m.subject for m in mails() if "hilde" in m.recipients[0] or
                "eva" in m.recipients[0]]
    assert subjects[0].startswith("Deadline missed: Used places was due 14.11.2026")
    assert subjects[-1].startswith("Still overdue: Used places")
    assert "2 weeks overdue" in mails()[-1].body


def test_a_deadline_at_23_59_59_across_the_change_to_summer_time(obligation):
    # 29 March 2026: the clocks go forward at 02:00; the deadline is 21:59:59 UTC.
    obligation = _due(obligation, datetime.datetime(2026, 3, 29, 23, 59, 59, tzinfo=OSLO))
    assert services.reminders_send_due(now=night(D(2026, 3, 15))) == 1
    assert services.reminders_send_due(now=night(D(2026, 3, 26))) == 1
    assert services.reminders_send_due(
        now=datetime.datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC)) == 0
    assert not obligation.is_overdue(datetime.datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC))
    assert obligation.is_overdue(datetime.datetime(2026, 3, 29, 22, 0, 0, tzinfo=UTC))
    assert services.reminders_send_due(now=night(D(2026, 3, 30))) == 1
    assert slots(obligation) == ["before:14:2026-03-29", "before:3:2026-03-29",
                                 "missed:2026-03-29"]


def test_a_deadline_across_the_change_from_summer_time(obligation):
    obligation = _due(obligation, datetime.datetime(2026, 10, 25, 23, 59, 59, tzinfo=OSLO))
    assert obligation.deadline == datetime.datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)
    services.reminders_send_due(now=night(D(2026, 10, 22)))
    # 23:30 UTC on 25 October is 00:30 on the 26th in Norway: the day after.
    services.reminders_send_due(now=datetime.datetime(2026, 10, 25, 23, 30, tzinfo=UTC))
    assert slots(obligation) == ["before:3:2026-10-25", "missed:2026-10-25"]


def test_a_deadline_at_00_00_is_missed_that_night_and_reminded_the_day_after(obligation):
    obligation = _due(obligation, datetime.datetime(2026, 11, 14, 0, 0, tzinfo=OSLO))
    assert services.reminders_send_due(now=night(D(2026, 11, 11))) == 1
    assert services.reminders_send_due(now=night(D(2026, 11, 14))) == 0  # missed at 00:00:01
    assert services.reminders_send_due(now=night(D(2026, 11, 15))) == 1
    assert slots(obligation) == ["before:3:2026-11-14", "missed:2026-11-14"]
    assert obligation.is_overdue(datetime.datetime(2026, 11, 14, 0, 0, 1, tzinfo=OSLO))
    assert not obligation.is_overdue(datetime.datetime(2026, 11, 14, 0, 0, 0, 500,
                                                       tzinfo=OSLO))


def test_a_moved_deadline_gets_its_own_reminders(obligation):
    services.reminders_send_due(now=night(D(2026, 11, 11)))
    _due(obligation, datetime.datetime(2026, 12, 1, 23, 59, 59, tzinfo=OSLO))
    services.reminders_send_due(now=night(D(2026, 11, 28)))
    assert slots(obligation) == ["before:3:2026-11-14", "before:3:2026-12-01"]


def test_the_reminder_is_audited_on_the_grants_timeline(obligation):
    from audit.models import AuditEvent

    services.reminders_send_due(now=night(D(2026, 11, 15)))
    event = AuditEvent.objects.get(event_type="reporting.reminder_sent")
    assert event.object_id == str(obligation.case.application_id)
    assert event.payload == {"application_id": obligation.case.application_id,
                             "obligation_id": obligation.pk, "kind": "missed", "count": 4}
