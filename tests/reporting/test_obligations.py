"""Report obligations: made when a grant is accepted (in its transaction, once), added by
the directorate with a reason, moved through the status machine; late is derived."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from casework.signals import grant_accepted
from core.models import OutboundEmail
from organizations.models import Organization
from reporting import services
from reporting.models import (
    TRANSITIONS,
    ObligationKind,
    ObligationStatus,
    ReportObligation,
)
from rules import reporting as schedule
from schemes.models import REPORT_KINDS, GrantModel, Round
from tests.register.conftest import actor_for

from .conftest import accepted, granted, officers

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
S = ObligationStatus


def test_the_kinds_and_models_are_the_rules_cores():
    assert set(ObligationKind.values) == set(schedule.KINDS)
    assert set(GrantModel.values) == set(schedule.MODELS)


def test_accepting_a_grant_makes_its_obligations_in_the_same_transaction():
    application = accepted("Jobbsjansen 2026")
    rows = list(ReportObligation.objects.filter(case=application.case))
    assert [(o.kind, o.period_start, o.period_end) for o in rows] == [
        ("used_places", datetime.date(2026, 1, 1), datetime.date(2026, 10, 31)),
        ("grant_report", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        ("register", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))]
    used = rows[0]
    assert used.organization == application.organization and used.round == application.round
    assert used.deadline == datetime.datetime(2026, 11, 14, 23, 59, 59, tzinfo=OSLO)
    assert used.opens_at == datetime.datetime(2026, 11, 1, tzinfo=OSLO)
    assert "per 31.10" in used.source and not used.created_by_reaction
    grant = rows[1]
    assert grant.needs_accounts and not grant.accounts_two_approvers
    now = timezone.now()
    for row in rows:
        assert row.status == (S.OPEN if row.opens_at <= now else S.NOT_YET_OPEN)
    event = AuditEvent.objects.get(event_type="reporting.obligations_created")
    assert event.payload == {"application_id": application.pk, "case_id": application.case.pk,
                             "count": 3}
    assert event.object_id == str(application.pk)
    assert event.actor.username == "tor.kommunedirektor"


def test_a_failure_in_the_receiver_rolls_the_acceptance_back(monkeypatch):
    from casework import services as casework

    application = granted("Jobbsjansen 2026")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services.schedule, "obligations", broken)
    with pytest.raises(RuntimeError):
        casework.grant_accept(actor=actor_for("tor.kommunedirektor", application.organization),
                              application=application)
    application.case.refresh_from_db()
    assert application.case.status == "granted"
    assert not AuditEvent.objects.filter(event_type="casework.grant_accepted",
                                         object_id=str(application.pk)).exists()
    assert not ReportObligation.objects.filter(case=application.case).exists()


def test_a_replayed_signal_changes_nothing():
    application = accepted("Jobbsjansen 2026")
    case = application.case
    before = list(ReportObligation.objects.filter(case=case).values_list("pk", "updated_at"))
    events = AuditEvent.objects.count()
    with transaction.atomic():
        grant_accepted.send(sender=None, actor=None, application=application, case=case,
                            decision=case.decision)
    assert list(ReportObligation.objects.filter(case=case).values_list(
        "pk", "updated_at")) == before
    assert AuditEvent.objects.count() == events
    assert services.obligations_create(case=case) == []


def test_the_database_refuses_the_same_obligation_twice():
    application = accepted("Jobbsjansen 2026")
    row = ReportObligation.objects.filter(case=application.case).first()
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.parametrize(("title", "years", "kinds"), [
    ("Jobbsjansen – pilot per capita 2024", 1,
     ["participants", "participants", "grant_report", "register"]),
    ("Jobbsjansen 2018 del B", 2, ["status_report", "grant_report", "register",
                                   "status_report", "grant_report", "register", "after_care"]),
    ("Utviklingstilskudd 2025", 1, ["status_report", "grant_report"]),
    ("Jobbsjansen 2026", 3, ["used_places", "grant_report", "register"] * 3),
])
def test_each_model_and_multi_year_grants(title, years, kinds):
    application = accepted(title, years=years)
    rows = list(ReportObligation.objects.filter(case=application.case))
    assert [o.kind for o in rows] == kinds
    assert len({o.grant_year for o in rows if o.kind != "after_care"}) == years
    if title.startswith("Utvikling"):
        assert rows[1].needs_accounts and rows[1].accounts_two_approvers


# -- the status machine ----------------------------------------------------------------------

def _open_used_places(application) -> ReportObligation:
    return ReportObligation.objects.get(case=application.case, kind="used_places")


def test_the_status_machine_and_late_is_derived_never_refusing():
    application = accepted("Jobbsjansen 2026")
    obligation = _open_used_places(application)
    assert obligation.status == S.OPEN
    with pytest.raises(ValidationError):
        services.obligation_transition(obligation=obligation, to=S.ACCEPTED)
    late = obligation.deadline + datetime.timedelta(days=2)
    obligation = services.obligation_transition(obligation=obligation, to=S.SUBMITTED, now=late)
    assert obligation.status == S.SUBMITTED and obligation.is_late
    obligation = services.obligation_transition(obligation=obligation, to=S.CHANGES_REQUESTED)
    obligation = services.obligation_transition(obligation=obligation, to=S.RESUBMITTED)
    obligation = services.obligation_transition(obligation=obligation, to=S.ACCEPTED)
    obligation.refresh_from_db()
    assert obligation.submitted_at == late  # the first submission decides lateness
    assert obligation.is_late and not obligation.is_overdue()
    with pytest.raises(ValidationError):
        services.obligation_transition(obligation=obligation, to=S.OPEN)
    steps = [e.payload for e in AuditEvent.objects.filter(
        event_type="reporting.status_changed").order_by("id")]
    assert [(p["old"], p["new"]) for p in steps] == [
        ("open", "submitted"), ("submitted", "changes_requested"),
        ("changes_requested", "resubmitted"), ("resubmitted", "accepted")]
    assert steps[0]["in_time"] is False


def test_submitted_in_the_deadlines_last_second_is_in_time():
    application = accepted("Jobbsjansen 2026")
    obligation = _open_used_places(application)
    last = obligation.deadline + datetime.timedelta(microseconds=999_999)
    obligation = services.obligation_transition(obligation=obligation, to=S.SUBMITTED, now=last)
    assert not obligation.is_late


def test_every_status_has_a_row_in_the_table_and_accepted_is_final():
    assert set(TRANSITIONS) == set(S.values)
    assert TRANSITIONS[S.ACCEPTED] == frozenset()
    for targets in TRANSITIONS.values():
        assert targets <= set(S.values)


def test_the_job_opens_reports_whose_window_has_come():
    application = accepted("Jobbsjansen 2026")
    grant = ReportObligation.objects.get(case=application.case, kind="grant_report")
    assert grant.status == S.NOT_YET_OPEN
    assert services.obligations_open_due(now=grant.opens_at - datetime.timedelta(seconds=1)) == 0
    assert services.obligations_open_due(now=grant.opens_at) == 2  # grant report and register
    assert services.obligations_open_due(now=grant.opens_at) == 0
    grant.refresh_from_db()
    assert grant.status == S.OPEN


# -- added by the directorate ----------------------------------------------------------------

def _add(actor, application, **overrides):
    today = timezone.localdate()
    values = {"kind": "status_report",
              "period": (today - datetime.timedelta(days=60), today - datetime.timedelta(days=1)),
              "deadline": today + datetime.timedelta(days=30),
              "reason": "Avvik i regnskapet for første halvår; strengere rapportering."}
    return services.obligation_add(actor=actor, case=application.case, **(values | overrides))


def test_the_directorate_adds_a_report_with_a_reason_audited_and_mailed():
    application = accepted("Jobbsjansen 2026")
    ola, _kari = officers()
    mails = OutboundEmail.objects.count()
    obligation = _add(ola, application)
    assert obligation.created_by_reaction and obligation.created_by == ola.user
    assert obligation.status == S.OPEN
    due = timezone.localdate() + datetime.timedelta(days=30)
    assert obligation.deadline == datetime.datetime.combine(due, datetime.time(23, 59, 59),
                                                            tzinfo=OSLO)
    event = AuditEvent.objects.get(event_type="reporting.obligation_added")
    assert event.payload["obligation_id"] == obligation.pk and event.actor == ola.user
    mail = OutboundEmail.objects.filter(kind="report_added")
    assert OutboundEmail.objects.count() > mails and mail.exists()
    assert "Drammen kommune" in mail.first().body
    assert "strengere rapportering" in mail.first().body
    with pytest.raises(ValidationError, match="already|allerede"):
        _add(ola, application)


@pytest.mark.parametrize("username", ["tor.kommunedirektor", "eva.soknad", "revisor"])
def test_only_case_officers_add_reports(username):
    application = accepted("Jobbsjansen 2026")
    from accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:  # the demo world's auditor
        user = User.objects.filter(role_assignments__role="auditor").first()
        organization = user.role_assignments.first().organization
    else:
        organization = application.organization
    with pytest.raises(PermissionDenied):
        _add(actor_for(user.username, organization), application)
    assert not ReportObligation.objects.filter(created_by_reaction=True).exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"reason": ""}, "reason"), ({"reason": "kort"}, "reason"), ({"reason": "x" * 2001}, "reason"),
    ({"kind": "made_up"}, "kind"), ({"period": None}, "period"),
    ({"period": (datetime.date(2026, 6, 1), datetime.date(2026, 5, 1))}, "period"),
    ({"period": (datetime.date(1990, 1, 1), datetime.date(1990, 2, 1))}, "period"),
    ({"deadline": datetime.datetime(2027, 1, 1, 12, 0)}, "deadline"),  # naive
    ({"deadline": datetime.date(2020, 1, 1)}, "deadline"),  # the past
    ({"deadline": datetime.date(2300, 1, 1)}, "deadline"),
])
def test_bounded_input_to_an_added_report(overrides, field):
    application = accepted("Jobbsjansen 2026")
    with pytest.raises(ValidationError) as error:
        _add(officers()[0], application, **overrides)
    assert field in error.value.message_dict


def test_a_report_is_added_to_an_accepted_grant_only():
    application = granted("Jobbsjansen 2026")
    with pytest.raises(ValidationError, match="accepted|akseptert"):
        _add(officers()[0], application)


def test_an_obligation_for_another_organisation_is_its_own():
    application = accepted("Jobbsjansen – pilot per capita 2024", code="4202")
    assert set(ReportObligation.objects.filter(case=application.case).values_list(
        "organization", flat=True)) == {Organization.objects.get(kind="municipality",
                                                                 code="4202").pk}


def test_the_rounds_reporting_duty_sets_the_reports_deadline_and_adds_one_it_lacks():
    from schemes.models import ReportingDuty

    round_ = Round.objects.get(title="Jobbsjansen 2026")
    ReportingDuty.objects.filter(round=round_).delete()
    ReportingDuty.objects.create(round=round_, title="Tilskuddsrapport med regnskap",
                                 due_on=datetime.date(2027, 3, 1), kind="grant_report")
    ReportingDuty.objects.create(round=round_, title="Statusrapport 1. september",
                                 due_on=datetime.date(2026, 9, 1), kind="status_report")
    ReportingDuty.objects.create(round=round_, title="Bare i brevet",
                                 due_on=datetime.date(2026, 6, 1))
    application = accepted("Jobbsjansen 2026")
    grant = ReportObligation.objects.get(case=application.case, kind="grant_report")
    assert grant.deadline_local.date() == datetime.date(2027, 3, 1)
    assert "Tilskuddsrapport med regnskap" in grant.source
    status = ReportObligation.objects.get(case=application.case, kind="status_report")
    assert status.deadline_local.date() == datetime.date(2026, 9, 1)
    assert status.opens_at < status.deadline
    assert not ReportObligation.objects.filter(case=application.case,
                                               deadline__date=datetime.date(2026, 6, 1))


def test_a_duty_kind_is_one_of_the_reports():
    assert {value for value, _label in REPORT_KINDS} == set(schedule.KINDS)
