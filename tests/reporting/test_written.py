"""The written reports: status report and the annual report with accounts of the development
grant (seed 003), from the first draft to acceptance — every save a version, nothing lost,
the accounts checked, frozen with the register's goal achievement, approved by the project
lead and their superior (two persons, the version they saw), certified by a signer,
receipt mailed, accepted or sent back by a case officer."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from core import files
from core.models import OutboundEmail
from organizations.models import Organization
from register.codes import Financing, NameSource
from register.models import Participant
from reporting import selectors, services, written
from reporting.models import (
    AccountsApproval,
    ObligationStatus,
    ReportObligation,
    ReportVersion,
    version_fingerprint,
)
from tests.register.conftest import actor_for

from .conftest import accepted, officers

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date
S = ObligationStatus

APPLICATION = {
    "project_title": "Kvalifisering i Namsos", "amount_applied": "600000",
    "goals_quantitative": "Minst 12 deltakere i arbeid eller utdanning.",
    "goals_qualitative": "Bedre samarbeid med Nav.", "measures": "Språkpraksis.",
    "cooperation_form": "Skriftlig avtale med Nav.", "knowledge_transfer": "Nettverk.",
    "budget_staff": "500000", "budget_measures": "200000", "budget_premises": "50000",
    "budget_other": "0", "own_staff": "100000", "own_measures": "50000",
    "own_premises": "0", "own_other": "0",
}
ACCOUNTS = {"grant_received": "600000", "grant_used": "600000", "actual_staff": "500000",
            "actual_measures": "200000", "actual_premises": "50000", "actual_other": "0",
            "own_financing": "150000", "other_funding": "0", "accounts_explanation": ""}
TEXTS = {"results_quantitative": "14 i arbeid.", "results_qualitative": "Fast møte med Nav.",
         "activities": "Språkpraksis og kurs.", "cooperation": "Godt.",
         "learning": "Tett oppfølging virker.", "deviations": ""}
_numbers = iter(range(10_000, 99_999))


def namsos():
    return Organization.objects.get(kind="municipality", code="5007")


def editor():
    return actor_for("siri.namsos", namsos())


def chief():
    return actor_for("anders.namsos", namsos())


def report(kind="grant_report") -> ReportObligation:
    application = accepted("Utviklingstilskudd 2025", code="5007")
    application.content = {**application.content, **APPLICATION}
    application.save(update_fields=["content"])
    return ReportObligation.objects.select_related("case__application").get(
        case=application.case, kind=kind)


def ended(org, day, transition):
    return Participant.objects.create(
        organization=org, national_id=f"010190{next(_numbers):05d}", name="Test Testesen",
        name_source=NameSource.POPULATION_REGISTER, start_date=D(2024, 1, 1), end_date=day,
        end_reason="completed", transition=transition, financing=Financing.ALLOWANCE)


def written_and_sent(obligation) -> ReportVersion:
    written.report_save(actor=editor(), obligation=obligation, content={**TEXTS, **ACCOUNTS})
    return written.report_send(actor=editor(), obligation=obligation)


def approve_both(obligation, version):
    written.accounts_approve(actor=editor(), obligation=obligation, capacity="project_lead",
                             seen_hash=version.sha256)
    written.accounts_approve(actor=chief(), obligation=obligation, capacity="superior",
                             seen_hash=version.sha256)


# -- writing ---------------------------------------------------------------------------------

def test_every_save_that_changes_something_is_a_version_and_the_report_becomes_a_draft():
    obligation = report()
    assert obligation.status == S.OPEN and obligation.needs_accounts
    first = written.report_save(actor=editor(), obligation=obligation,
                                content={"activities": "Kurs."})
    assert first.number == 1 and first.frozen_at is None and first.verifies()
    obligation.refresh_from_db()
    assert obligation.status == S.DRAFT
    assert written.report_save(actor=editor(), obligation=obligation,
                               content={"activities": "Kurs."}) is None  # nothing changed
    second = written.report_save(actor=editor(), obligation=obligation,
                                 content={"cooperation": "Nav."})
    # A save keeps what was saved before and adds what is new.
    assert second.number == 2 and second.content["fields"] == {"activities": "Kurs.",
                                                               "cooperation": "Nav."}
    assert AuditEvent.objects.filter(event_type="reporting.saved").count() == 2


def test_fields_of_another_kind_are_not_stored():
    obligation = report("status_report")
    version = written.report_save(actor=editor(), obligation=obligation,
                                  content={"progress": "Godt i gang.", "grant_used": "5",
                                           "evil": "x"})
    assert version.content["fields"] == {"progress": "Godt i gang."}


def test_only_the_recipients_writers_write_and_a_case_officer_does_not():
    obligation = report()
    ola, _kari = officers()
    for actor in (ola, actor_for("tor.kommunedirektor", Organization.objects.get(
            kind="municipality", code="3301"))):
        with pytest.raises(PermissionDenied):
            written.report_save(actor=actor, obligation=obligation, content={"activities": "x"})
    assert not obligation.versions.exists()


def test_sending_is_refused_while_something_is_missing_and_lists_it():
    obligation = report()
    written.report_save(actor=editor(), obligation=obligation, content={"activities": "Kurs."})
    with pytest.raises(ValidationError) as error:
        written.report_send(actor=editor(), obligation=obligation)
    assert "Resultater" in str(error.value) or "Results" in str(error.value)
    obligation.refresh_from_db()
    assert obligation.status == S.DRAFT


def test_accounts_that_do_not_balance_cannot_be_sent():
    obligation = report()
    written.report_save(actor=editor(), obligation=obligation,
                        content={**TEXTS, **ACCOUNTS, "other_funding": "1000"})
    with pytest.raises(ValidationError) as error:
        written.report_send(actor=editor(), obligation=obligation)
    assert "finansieringen" in str(error.value)


def test_a_line_off_the_budget_must_be_explained_before_sending():
    obligation = report()
    over = {**ACCOUNTS, "actual_staff": "600000", "grant_used": "600000",
            "own_financing": "250000"}
    written.report_save(actor=editor(), obligation=obligation, content={**TEXTS, **over})
    with pytest.raises(ValidationError) as error:
        written.report_send(actor=editor(), obligation=obligation)
    assert "Forklar" in str(error.value)
    written.report_save(actor=editor(), obligation=obligation,
                        content={"accounts_explanation": "En ekstra stilling fra mars."})
    version = written.report_send(actor=editor(), obligation=obligation)
    assert version.frozen_at is not None


# -- frozen, approved, certified -------------------------------------------------------------

def test_sending_freezes_the_version_with_the_registers_goal_achievement():
    obligation = report()
    org = namsos()
    for transition in ("work", "education", "none"):
        ended(org, D(2025, 6, 30), transition)
    ended(org, D(2026, 3, 1), "work")  # after the period
    version = written_and_sent(obligation)
    obligation.refresh_from_db()
    assert obligation.status == S.AWAITING_CERTIFICATION
    goal = version.content["goal"]
    assert (goal["achieved"], goal["counted"], goal["meets"]) == (2, 3, False)
    assert version.sha256 == version_fingerprint(obligation.pk, version.number,
                                                 version.content)
    with pytest.raises(ValidationError):  # frozen: no more edits
        written.report_save(actor=editor(), obligation=obligation, content={"activities": "y"})


def test_the_development_grants_accounts_need_the_project_lead_and_the_superior():
    obligation = report()
    assert obligation.accounts_two_approvers
    version = written_and_sent(obligation)
    with pytest.raises(ValidationError):
        written.report_certify(actor=chief(), obligation=obligation, seen_hash=version.sha256)
    written.accounts_approve(actor=editor(), obligation=obligation, capacity="project_lead",
                             seen_hash=version.sha256)
    with pytest.raises(ValidationError):  # the same person cannot be the superior too
        written.accounts_approve(actor=editor(), obligation=obligation, capacity="superior",
                                 seen_hash=version.sha256)
    with pytest.raises(ValidationError):  # nor approve what they did not see
        written.accounts_approve(actor=chief(), obligation=obligation, capacity="superior",
                                 seen_hash="0" * 64)
    written.accounts_approve(actor=chief(), obligation=obligation, capacity="superior",
                             seen_hash=version.sha256)
    assert AccountsApproval.objects.filter(version=version).count() == 2
    certified = written.report_certify(actor=chief(), obligation=obligation,
                                       seen_hash=version.sha256)
    obligation.refresh_from_db()
    assert obligation.status == S.SUBMITTED and obligation.submitted_at
    assert certified.late  # the annual report of 2025 was due 01.02.2026


def test_certification_stores_a_receipt_and_mails_it(settings):
    obligation = report()
    version = written_and_sent(obligation)
    approve_both(obligation, version)
    mail.outbox.clear()
    certified = written.report_certify(actor=chief(), obligation=obligation,
                                       seen_hash=version.sha256)
    pdf = files.read(certified.receipt_name, certified.receipt_sha256)
    assert pdf.startswith(b"%PDF")
    queued = OutboundEmail.objects.filter(kind="report_receipt").order_by("-pk").first()
    assert queued is not None and version.sha256 in queued.body
    event = AuditEvent.objects.filter(event_type="reporting.certified").latest("pk")
    assert event.payload["version_id"] == certified.pk and "14 i arbeid" not in str(
        event.payload)


def test_the_signer_certifies_only_the_version_they_saw():
    obligation = report("status_report")
    written.report_save(actor=editor(), obligation=obligation, content={
        "progress": "I gang.", "results_quantitative": "5.", "results_qualitative": "Bra.",
        "cooperation": "Nav."})
    first = written.report_send(actor=editor(), obligation=obligation)
    written.report_return(actor=chief(), obligation=obligation)
    written.report_save(actor=editor(), obligation=obligation, content={"progress": "Ferdig."})
    second = written.report_send(actor=editor(), obligation=obligation)
    with pytest.raises(ValidationError):
        written.report_certify(actor=chief(), obligation=obligation, seen_hash=first.sha256)
    written.report_certify(actor=chief(), obligation=obligation, seen_hash=second.sha256)
    second.refresh_from_db()
    assert second.certified_by.username == "anders.namsos"
    # The status report does not need the two approvals.
    assert not obligation.accounts_two_approvers


def test_an_editor_cannot_certify():
    obligation = report("status_report")
    written.report_save(actor=editor(), obligation=obligation, content={
        "progress": "I gang.", "results_quantitative": "5.", "results_qualitative": "Bra.",
        "cooperation": "Nav."})
    version = written.report_send(actor=editor(), obligation=obligation)
    with pytest.raises(PermissionDenied):
        written.report_certify(actor=editor(), obligation=obligation, seen_hash=version.sha256)


# -- review ----------------------------------------------------------------------------------

def test_the_case_officer_sends_it_back_and_it_is_resubmitted_then_accepted():
    obligation = report()
    version = written_and_sent(obligation)
    approve_both(obligation, version)
    written.report_certify(actor=chief(), obligation=obligation, seen_hash=version.sha256)
    ola, _kari = officers()
    services.report_request_changes(actor=ola, obligation=obligation,
                                    comment="Forklar hvordan Nav deltok.")
    version.refresh_from_db()
    assert version.review == "changes_requested"
    obligation.refresh_from_db()
    assert obligation.status == S.CHANGES_REQUESTED
    written.report_save(actor=editor(), obligation=obligation,
                        content={"cooperation": "Nav deltok i alle møter."})
    obligation.refresh_from_db()
    assert obligation.status == S.DRAFT
    again = written.report_send(actor=editor(), obligation=obligation)
    approve_both(obligation, again)  # approvals belong to the version they saw
    written.report_certify(actor=chief(), obligation=obligation, seen_hash=again.sha256)
    obligation.refresh_from_db()
    assert obligation.status == S.RESUBMITTED
    services.report_accept(actor=ola, obligation=obligation)
    obligation.refresh_from_db()
    again.refresh_from_db()
    assert obligation.status == S.ACCEPTED and again.review == "accepted"
    assert [v.number for v in selectors.report_versions_certified(obligation)] == [
        version.number, again.number]
    event = AuditEvent.objects.filter(event_type="reporting.accepted").latest("pk")
    assert event.payload["version_id"] == again.pk


def test_attachments_are_named_by_hash_in_the_frozen_version():
    obligation = report()
    attachment = written.attachment_add(actor=editor(), obligation=obligation,
                                        name="regnskap.pdf", content_type="application/pdf",
                                        data=b"%PDF-1.4 regnskap")
    removed = written.attachment_add(actor=editor(), obligation=obligation, name="feil.pdf",
                                     content_type="application/pdf", data=b"%PDF-1.4 feil")
    written.attachment_remove(actor=editor(), obligation=obligation, attachment_id=removed.pk)
    version = written_and_sent(obligation)
    assert version.content["attachments"] == [{"id": attachment.pk, "name": "regnskap.pdf",
                                               "sha256": attachment.sha256, "size": 17}]
    with pytest.raises(ValidationError):  # frozen
        written.attachment_add(actor=editor(), obligation=obligation, name="sen.pdf",
                               content_type="application/pdf", data=b"%PDF-1.4")
