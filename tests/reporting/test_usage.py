"""The used-places and participant reports from the register: scoped to the grant's
municipality, refused without register data, certified by a signer exactly as seen (the
hash), frozen in a snapshot, late marked, accepted or sent back by a case officer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from core.models import OutboundEmail
from organizations.models import Organization
from register.codes import Financing, NameSource
from register.models import Participant
from reporting import selectors, services
from reporting.models import ObligationStatus, ReportObligation, UsageSnapshot
from tests.register.conftest import actor_for

from .conftest import accepted, officers

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date
IN_TIME = datetime.datetime(2026, 11, 10, 12, 0, tzinfo=OSLO)
_numbers = iter(range(10_000, 99_999))


def participant(org, start, end=None, *, with_g=True) -> Participant:
    return Participant.objects.create(
        organization=org, national_id=f"010190{next(_numbers):05d}", name="Test Testesen",
        name_source=NameSource.POPULATION_REGISTER, start_date=start, end_date=end,
        financing=Financing.ALLOWANCE if with_g else Financing.TRANSITIONAL_BENEFIT)


def namsos():
    return Organization.objects.get(kind="municipality", code="5007")


def used_places(code="5007") -> ReportObligation:
    application = accepted("Jobbsjansen 2026", code=code)
    return ReportObligation.objects.get(case=application.case, kind="used_places")


def signer():
    return actor_for("anders.namsos", namsos())


# -- the report ------------------------------------------------------------------------------

def test_the_report_is_the_municipalitys_register_only():
    obligation = used_places()
    org = namsos()
    mine = participant(org, D(2026, 3, 15), D(2026, 4, 2))
    participant(org, D(2025, 1, 1), D(2025, 12, 31))  # ended before the period
    participant(org, D(2026, 11, 1))  # starts after the reporting date
    drammen = Organization.objects.get(kind="municipality", code="3301")
    assert drammen.participants.exists()  # the demo register has Drammen's
    participant(drammen, D(2026, 3, 1))
    report = selectors.usage_report(obligation)
    assert [p.reference for p in report.participants] == [mine.reference]
    assert [str(m.month) for m in report.months] == ["2026-03", "2026-04"]
    # The round's (example) start rate with 1G, twice.
    assert report.total == Decimal(32000)
    assert "national_id" not in str(report.as_dict()) and mine.national_id not in str(
        report.as_dict()) and "Testesen" not in str(report.as_dict())


def test_another_organisation_cannot_read_the_report():
    obligation = used_places()
    with pytest.raises(Http404):
        selectors.usage_report_of(actor_for("tor.kommunedirektor", Organization.objects.get(
            kind="municipality", code="3301")), obligation)
    assert selectors.usage_report_of(signer(), obligation).has_data is False
    assert selectors.usage_report_of(officers()[0], obligation) is not None


@pytest.mark.parametrize("participants", [1, 30])
def test_the_used_places_selector_reads_in_two_queries_whatever_the_participants(
        participants):
    obligation = used_places()
    org = namsos()
    for i in range(participants):
        participant(org, D(2026, 1 + i % 10, 1 + i % 28), with_g=i % 3 != 0)
    fresh = ReportObligation.objects.get(pk=obligation.pk)
    with CaptureQueriesContext(connection) as queries:
        report = selectors.usage_report(fresh)
    assert len(queries) == 2, [q["sql"] for q in queries]
    assert len(report.participants) == participants


def test_a_round_of_reports_reads_the_register_once():
    obligation = used_places()
    participant(namsos(), D(2026, 2, 1))
    round_ = obligation.round
    with CaptureQueriesContext(connection) as queries:
        reports = selectors.round_usage_reports(round_)
    assert len(queries) == 2
    assert reports[obligation.pk].total == 9 * Decimal(16000)


def test_per_capita_participant_report_per_30_june():
    application = accepted("Jobbsjansen – pilot per capita 2024", code="5007")
    june = ReportObligation.objects.filter(case=application.case, kind="participants").first()
    assert (june.period_start, june.period_end) == (D(2024, 1, 1), D(2024, 6, 30))
    participant(namsos(), D(2024, 4, 30), with_g=True)
    participant(namsos(), D(2024, 6, 1), D(2024, 6, 2), with_g=False)
    report = selectors.usage_report(june)
    assert [len(p.months) for p in report.participants] == [3, 1]
    assert report.total == ((Decimal(181000) * 3 + Decimal(60000)) / 12).quantize(
        Decimal("0.01"))


# -- certification ---------------------------------------------------------------------------

def test_no_register_data_cannot_be_certified():
    obligation = used_places()
    report = selectors.usage_report(obligation)
    with pytest.raises(ValidationError, match="Registeret har ingen deltakere"):
        services.usage_report_certify(actor=signer(), obligation=obligation,
                                      seen_hash=report.fingerprint(), now=IN_TIME)
    assert not UsageSnapshot.objects.exists()


def test_only_a_signer_of_the_organisation_certifies():
    obligation = used_places()
    participant(namsos(), D(2026, 1, 5))
    seen = selectors.usage_report(obligation).fingerprint()
    for actor in (actor_for("siri.namsos", namsos()),  # editor and administrator
                  actor_for("tor.kommunedirektor",  # another municipality's chief executive
                            Organization.objects.get(kind="municipality", code="3301")),
                  officers()[0]):
        with pytest.raises(PermissionDenied):
            services.usage_report_certify(actor=actor, obligation=obligation, seen_hash=seen,
                                          now=IN_TIME)
    assert not UsageSnapshot.objects.exists()


def test_a_register_change_after_the_signer_opened_the_report_refuses():
    obligation = used_places()
    person = participant(namsos(), D(2026, 1, 5))
    seen = selectors.usage_report(obligation).fingerprint()
    Participant.objects.filter(pk=person.pk).update(end_date=D(2026, 6, 30))
    with pytest.raises(ValidationError, match="Registeret ble endret"):
        services.usage_report_certify(actor=signer(), obligation=obligation, seen_hash=seen,
                                      now=IN_TIME)
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN and not UsageSnapshot.objects.exists()
    assert not AuditEvent.objects.filter(event_type="reporting.certified").exists()


def test_certifying_freezes_what_was_seen_audits_and_mails_a_receipt():
    obligation = used_places()
    first = participant(namsos(), D(2026, 1, 5))
    participant(namsos(), D(2026, 9, 30), with_g=False)
    report = selectors.usage_report(obligation)
    snapshot = services.usage_report_certify(actor=signer(), obligation=obligation,
                                             seen_hash=report.fingerprint(), now=IN_TIME)
    snapshot.refresh_from_db()
    assert snapshot.verifies() and snapshot.sha256 == report.fingerprint()
    assert snapshot.total == Decimal(10 * 16000 + 2 * 8000) == report.total
    assert snapshot.data["total_ore"] == int(snapshot.total * 100)
    assert snapshot.participants == 2 and snapshot.participant_months == 12
    assert [p["ref"] for p in snapshot.data["participants"]] == [first.reference,
                                                                 f"D-{first.pk + 1:06d}"]
    assert first.national_id not in str(snapshot.data) and "Testesen" not in str(snapshot.data)
    assert snapshot.certified_by.username == "anders.namsos"
    assert snapshot.certified_role == "chief_executive" and not snapshot.late
    assert snapshot.receipt_sha256 and snapshot.review == UsageSnapshot.Review.PENDING
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.SUBMITTED and not obligation.is_late
    event = AuditEvent.objects.get(event_type="reporting.certified")
    assert event.payload == {
        "application_id": obligation.case.application_id, "obligation_id": obligation.pk,
        "kind": "used_places", "snapshot_id": snapshot.pk, "sha256": snapshot.sha256,
        "participants": 2, "amount": 176000, "in_time": True, "role": "chief_executive"}
    assert AuditEvent.objects.filter(event_type="reporting.status_changed",
                                     payload__new="submitted").exists()
    mail = OutboundEmail.objects.filter(kind="report_receipt")
    assert mail.exists() and all(m.attachment_type == "application/pdf" for m in mail)
    assert any(snapshot.sha256 in m.body for m in mail)
    # Tampering with the record shows.
    UsageSnapshot.objects.filter(pk=snapshot.pk).update(data={**snapshot.data,
                                                              "total_ore": 1})
    snapshot.refresh_from_db()
    assert not snapshot.verifies()
    # Once submitted it is not certified again until changes are requested.
    with pytest.raises(ValidationError, match="allerede sendt inn"):
        services.usage_report_certify(actor=signer(), obligation=obligation,
                                      seen_hash=report.fingerprint(), now=IN_TIME)


def test_after_the_deadline_it_is_marked_late_never_refused():
    obligation = used_places()
    participant(namsos(), D(2026, 1, 5))
    late = obligation.deadline + datetime.timedelta(seconds=1)
    snapshot = services.usage_report_certify(
        actor=signer(), obligation=obligation,
        seen_hash=selectors.usage_report(obligation).fingerprint(), now=late)
    obligation.refresh_from_db()
    assert snapshot.late and obligation.is_late
    assert obligation.status == ObligationStatus.SUBMITTED
    assert AuditEvent.objects.get(event_type="reporting.certified").payload["in_time"] is False


# -- review by the directorate ---------------------------------------------------------------

def _certified() -> tuple[ReportObligation, UsageSnapshot]:
    obligation = used_places()
    participant(namsos(), D(2026, 1, 5))
    snapshot = services.usage_report_certify(
        actor=signer(), obligation=obligation,
        seen_hash=selectors.usage_report(obligation).fingerprint(), now=IN_TIME)
    return obligation, snapshot


def test_only_case_officers_accept_or_ask_for_changes():
    obligation, _snapshot = _certified()
    imdi = Organization.objects.get(code="IMDI")
    for actor in (signer(), actor_for("lars.revisor", imdi), actor_for("per.okonomi", imdi)):
        with pytest.raises(PermissionDenied):
            services.report_accept(actor=actor, obligation=obligation)
        with pytest.raises(PermissionDenied):
            services.report_request_changes(actor=actor, obligation=obligation,
                                            comment="Rett opp sluttdatoene.")
    assert selectors.accepted_usage(obligation) is None


def test_changes_requested_then_resubmitted_then_accepted_is_what_is_paid_on():
    obligation, first = _certified()
    ola, kari = officers()
    with pytest.raises(ValidationError):
        services.report_request_changes(actor=ola, obligation=obligation, comment="")
    services.report_request_changes(actor=ola, obligation=obligation,
                                    comment="Deltaker D-1 sluttet i juni; rett registeret.")
    obligation.refresh_from_db()
    first.refresh_from_db()
    assert obligation.status == ObligationStatus.CHANGES_REQUESTED
    assert first.review == UsageSnapshot.Review.CHANGES_REQUESTED and first.reviewed_by
    mail = OutboundEmail.objects.filter(kind="report_changes_requested")
    assert mail.exists() and "sluttet i juni" in mail.first().body
    event = AuditEvent.objects.get(event_type="reporting.changes_requested")
    assert event.payload["snapshot_id"] == first.pk and event.actor.username == "ola.saksbehandler"
    # The municipality corrects the register and certifies again.
    Participant.objects.filter(organization=namsos()).update(end_date=D(2026, 6, 12))
    second = services.usage_report_certify(
        actor=signer(), obligation=obligation,
        seen_hash=selectors.usage_report(obligation).fingerprint(), now=IN_TIME)
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.RESUBMITTED
    assert second.total == 6 * Decimal(16000) and second.pk != first.pk
    services.report_accept(actor=kari, obligation=obligation, comment="")
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED
    assert selectors.accepted_usage(obligation) == second
    assert AuditEvent.objects.get(event_type="reporting.accepted").payload == {
        "application_id": obligation.case.application_id, "obligation_id": obligation.pk,
        "kind": "used_places", "snapshot_id": second.pk}
    with pytest.raises(ValidationError):
        services.report_accept(actor=kari, obligation=obligation)


def test_the_signer_sees_which_listed_participants_the_register_has_not_cleared(client):
    from django.urls import reverse

    from register.models import CheckState
    from tests.conftest import login_as

    obligation = used_places()
    org = namsos()
    fine = participant(org, D(2026, 3, 1))
    outside = participant(org, D(2026, 4, 1))
    Participant.objects.filter(pk=fine.pk).update(check_state=CheckState.COMPLETE)
    Participant.objects.filter(pk=outside.pk).update(check_state=CheckState.BLOCKED)
    login_as(client, "anders.namsos", organization=org)
    page = client.get(reverse("reporting:detail", kwargs={"pk": obligation.pk})
                      ).content.decode()
    assert "1 deltaker i rapporten mangler opplysninger" in page
    assert page.count("Utenfor reglene") == 1 and "Fullstendig" in page
    assert set(selectors.participants_needing_attention(selectors.usage_report(obligation))
               ) == {outside.pk}
