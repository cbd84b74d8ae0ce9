"""Decisions with four eyes, within the round's budget frame, with a letter."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from applications.models import Application
from casework import selectors, services
from organizations.models import Organization
from schemes.models import Round
from tests.conftest import seen
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


def officers():
    return (actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR")),
            actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST")))


def screened(code: str, round_: Round, amount="1000000") -> Application:
    org = Organization.objects.get(kind="municipality", code=code)
    application = Application.objects.create(
        round=round_, organization=org, status="submitted", content={"amount_applied": amount},
        submitted_at=round_.deadline)
    services.case_screen(actor=officers()[0], application=application, passed=True)
    return application


def test_four_eyes_and_the_grant_letter():
    ola, kari = officers()
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(4_000_000), conditions="Rapporter halvårlig.")
    with pytest.raises(ValidationError, match="four eyes|fire øyne|Another|annen"):
        services.decision_approve(actor=ola, application=application, seen=seen(application))
    decision = services.decision_approve(actor=kari, application=application,
                                         seen=seen(application))
    assert decision.approved and decision.approved_by == kari.user
    case = application.case
    case.refresh_from_db()
    assert case.status == "granted"
    letter = case.letters.get(kind="grant")
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in
                             PdfReader(BytesIO(letter.read_pdf())).pages).split())
    assert "4 000 000" in text.replace("\xa0", " ") or "4,000,000" in text
    assert "to uker" in text or "two weeks" in text
    with pytest.raises(ValidationError):
        services.decision_approve(actor=kari, application=application, seen=seen(application))


def test_a_refusal_says_it_cannot_be_appealed():
    ola, kari = officers()
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    with pytest.raises(ValidationError):
        services.decision_propose(actor=ola, application=application, kind="refusal")
    services.decision_propose(actor=ola, application=application, kind="refusal",
                              reasons="Svakere enn de andre søknadene på alle kriterier.")
    services.decision_approve(actor=kari, application=application, seen=seen(application))
    application.case.refresh_from_db()
    assert application.case.status == "refused"
    assert application.case.letters.get().kind == "refusal"


def test_the_frame_is_never_exceeded():
    ola, kari = officers()
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    Round.objects.filter(pk=round_.pk).update(budget_frame=Decimal(1_500_000))
    first, second = screened("5007", round_), screened("4202", round_)
    for application in (first, second):
        services.decision_propose(actor=ola, application=application, kind="commitment",
                                  amount=Decimal(1_000_000))
    services.decision_approve(actor=kari, application=first, seen=seen(first))
    with pytest.raises(ValidationError, match="500\xa0000|budget|budsjettrammen"):
        services.decision_approve(actor=kari, application=second, seen=seen(second))
    assert selectors.committed_in_round(round_) == Decimal(1_000_000)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_cannot_exceed_the_frame(purgeable_audit):
    from shell.demo import build_demo

    build_demo()
    ola, kari = officers()
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    Round.objects.filter(pk=round_.pk).update(budget_frame=Decimal(1_500_000))
    apps = [screened("5007", round_), screened("4202", round_)]
    for application in apps:
        services.decision_propose(actor=ola, application=application, kind="commitment",
                                  amount=Decimal(1_000_000))
    barrier, results = threading.Barrier(2), []

    def approve(application):
        from django.db import connections

        try:
            barrier.wait()
            services.decision_approve(actor=kari, application=application, seen=seen(application))
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert selectors.committed_in_round(round_) == Decimal(1_000_000)


def _granted():
    ola, kari = officers()
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(4_000_000),
                              reasons="Redusert for å holde rammen.")
    services.decision_approve(actor=kari, application=application, seen=seen(application))
    return application


def test_the_chief_executive_accepts_within_two_weeks():
    import datetime

    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    application = _granted()
    decision = application.case.decision
    assert decision.accept_by == timezone.localdate() + datetime.timedelta(days=14)
    drammen = application.organization
    with pytest.raises(PermissionDenied):
        services.grant_accept(actor=actor_for("eva.soknad", drammen), application=application)
    services.grant_accept(actor=actor_for("tor.kommunedirektor", drammen),
                          application=application)
    application.case.refresh_from_db()
    assert application.case.status == "accepted"
    assert services.grants_lapse_due(today=decision.accept_by + datetime.timedelta(days=5)) == 0


def test_an_unaccepted_grant_lapses_and_can_be_extended(smtp_server,
                                                        django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    application = _granted()
    decision = application.case.decision
    with django_capture_on_commit_callbacks(execute=True):
        assert services.grants_lapse_due(today=decision.accept_by) == 0
        assert services.grants_lapse_due(
            today=decision.accept_by + datetime.timedelta(days=1)) == 1
    application.case.refresh_from_db()
    assert application.case.status == "lapsed"
    from email.header import decode_header, make_header

    subjects = [str(make_header(decode_header(m["Subject"]))).lower() for m in smtp_server]
    assert any("lapsed" in s or "falt bort" in s for s in subjects), subjects
    ola, _kari = officers()
    services.acceptance_extend(actor=ola, application=application,
                               accept_by=timezone.localdate() + datetime.timedelta(days=7),
                               reason="Kommunestyret møtes først neste uke.")
    services.grant_accept(actor=actor_for("tor.kommunedirektor", application.organization),
                          application=application)
    application.case.refresh_from_db()
    assert application.case.status == "accepted"


def test_acceptance_after_the_deadline_is_refused():
    import datetime

    from casework.models import Decision

    application = _granted()
    Decision.objects.filter(case__application=application).update(
        accept_by=datetime.date.today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.grant_accept(actor=actor_for("tor.kommunedirektor", application.organization),
                              application=application)


def test_accepting_without_a_grant_is_a_clear_refusal():
    application = Application.objects.get(organization__code="3301", status="submitted")
    with pytest.raises(ValidationError):
        services.grant_accept(actor=actor_for("tor.kommunedirektor", application.organization),
                              application=application)
    with pytest.raises(ValidationError):
        services.acceptance_extend(actor=officers()[0], application=application,
                                   accept_by=application.round.deadline.date(), reason="Test.")


def test_the_allocation_view_ranks_and_totals_against_the_frame():
    from casework.selectors import assessment_summary

    ola, kari = officers()
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    Round.objects.filter(pk=round_.pk).update(budget_frame=Decimal(1_500_000))
    round_.refresh_from_db()
    first, second = screened("5007", round_), screened("4202", round_)
    services.case_assess(actor=ola, application=first,
                         scores={"purpose": (6, "Svært godt begrunnet.")})
    services.case_assess(actor=ola, application=second,
                         scores={"purpose": (3, "Middels godt begrunnet.")})
    for application in (first, second):
        services.decision_propose(actor=ola, application=application, kind="commitment",
                                  amount=Decimal(1_000_000))
    rows = assessment_summary(round_)
    assert [r.application for r in rows] == [first, second]
    assert [r.running_total for r in rows] == [Decimal(1_000_000), Decimal(2_000_000)]
    assert [r.beyond_frame for r in rows] == [False, True]



def _rejected():
    ola, _kari = officers()
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=False,
                         reason="conditions", reason_text="Egenfinansiering under 20 %.")
    return application


def test_an_appeal_in_time_reversed_reopens_the_case():
    import datetime

    application = _rejected()
    tor = actor_for("tor.kommunedirektor", application.organization)
    appeal = services.appeal_file(actor=tor, application=application,
                                  text="Vi mener egenfinansieringen er over 20 prosent.",
                                  received_on=datetime.date.today())
    assert appeal.in_time and appeal.deadline == datetime.date.today() + \
        datetime.timedelta(days=21)
    with pytest.raises(ValidationError):  # one at a time
        services.appeal_file(actor=tor, application=application,
                             text="En gang til, samme klage som før, ingen endring.",
                             received_on=datetime.date.today())
    ola, _kari = officers()
    with pytest.raises(ValidationError):  # forwarded first
        services.appeal_decide(actor=ola, appeal=appeal, outcome="reversed")
    services.appeal_forward(actor=ola, appeal=appeal,
                            preparation="Direktoratet opprettholder avvisningen fordi ...")
    services.appeal_decide(actor=ola, appeal=appeal, outcome="reversed")
    application.case.refresh_from_db()
    assert application.case.status == "in_assessment"


def test_a_late_appeal_is_registered_as_late():
    import datetime

    from casework.models import Letter

    application = _rejected()
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=40)
    Letter.objects.filter(case__application=application).update(sent_at=long_ago)
    appeal = services.appeal_file(
        actor=actor_for("tor.kommunedirektor", application.organization),
        application=application, text="Vi fikk brevet for lenge siden, men klager likevel.",
        received_on=long_ago.date() + datetime.timedelta(days=1))
    assert not appeal.in_time


def test_a_refusal_cannot_be_appealed():
    ola, kari = officers()
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="refusal",
                              reasons="Svakere enn de andre søknadene på alle kriterier.")
    services.decision_approve(actor=kari, application=application, seen=seen(application))
    import datetime

    with pytest.raises(ValidationError):
        services.appeal_file(actor=actor_for("tor.kommunedirektor", application.organization),
                             application=application,
                             text="Vi klager på avslaget fordi vi er uenige i vurderingen.",
                             received_on=datetime.date.today())


def test_the_public_list_of_grant_recipients(client):
    from django.urls import reverse

    ola, kari = officers()
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    granted, refused = screened("5007", round_), screened("4202", round_)
    Application.objects.filter(pk=granted.pk).update(
        content={"amount_applied": "1000", "focus_area": 1, "project_title": "Språkkafé"})
    services.decision_propose(actor=ola, application=granted, kind="commitment",
                              amount=Decimal(500_000), reasons="Delvis innvilget.")
    services.decision_approve(actor=kari, application=granted, seen=seen(granted))
    services.decision_propose(actor=ola, application=refused, kind="refusal",
                              reasons="Svakere enn de andre søknadene på alle kriterier.")
    services.decision_approve(actor=kari, application=refused, seen=seen(refused))
    response = client.get(reverse("grant:recipients", kwargs={"pk": round_.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Språkkafé" in html and "Namsos" in html and "Grimstad" not in html
    assert "1. Innovative" in html  # grouped by focus area


def test_change_requests_are_consented_or_refused_with_a_letter_and_versioned_terms():
    application = _granted()
    tor = actor_for("tor.kommunedirektor", application.organization)
    with pytest.raises(ValidationError):
        services.change_request_file(actor=tor, application=application, kind="budget",
                                     description="kort")
    first = services.change_request_file(
        actor=tor, application=application, kind="budget",
        description="Vi ønsker å flytte 200 000 kr fra lokaler til tiltak.")
    ola, _kari = officers()
    services.change_request_decide(actor=ola, change=first, consent=True,
                                   response="Direktoratet samtykker til omdisponeringen.")
    first.refresh_from_db()
    assert first.status == "consented" and first.terms_version == 2
    assert first.letter.kind == "change"
    second = services.change_request_file(
        actor=tor, application=application, kind="purpose",
        description="Vi ønsker å endre målgruppen til også å gjelde menn.")
    services.change_request_decide(actor=ola, change=second, consent=False,
                                   response="Endringen er utenfor ordningens formål.")
    second.refresh_from_db()
    assert second.status == "refused" and second.terms_version is None
    application.case.decision.refresh_from_db()
    assert application.case.decision.terms_version == 2
    with pytest.raises(ValidationError):
        services.change_request_decide(actor=ola, change=second, consent=True,
                                       response="Likevel samtykke, beklager.")



def test_an_amount_other_than_applied_for_needs_a_reason():
    ola, _kari = officers()
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    with pytest.raises(ValidationError) as error:
        services.decision_propose(actor=ola, application=application, kind="commitment",
                                  amount=Decimal(3_000_000))
    assert "reasons" in error.value.message_dict
    from casework.selectors import amount_applied

    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=amount_applied(application).quantize(Decimal(1)))


def test_letters_follow_the_applicants_written_standard():
    from io import BytesIO

    from pypdf import PdfReader

    application = Application.objects.get(organization__code="3301", status="submitted")
    Application.objects.filter(pk=application.pk).update(
        content={**application.content, "letter_language": "nn"})
    application.refresh_from_db()
    services.case_screen(actor=officers()[0], application=application, passed=False,
                         reason="conditions", reason_text="Vilkåra er ikkje oppfylte.")
    letter = application.case.letters.get()
    text = " ".join(" ".join(p.extract_text() for p in
                             PdfReader(BytesIO(letter.read_pdf())).pages).split())
    assert "tre veker" in text and "De kan klage" in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_the_same_case_at_once(purgeable_audit):
    """One succeeds; the other gets a clear conflict; one decision, one letter."""
    from accounts.models import RoleAssignment, User
    from shell.demo import build_demo

    build_demo()
    ola, kari = officers()
    per = User.objects.get(username="per.okonomi")
    RoleAssignment.objects.get_or_create(user=per, organization=Organization.objects.get(
        code="IMDI-SOR"), role="case_officer", revoked_at=None)
    third = actor_for("per.okonomi", Organization.objects.get(code="IMDI-SOR"))
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="refusal",
                              reasons="Svakere enn de andre søknadene på alle kriterier.")
    barrier, results = threading.Barrier(2), []

    def approve(actor):
        from django.db import connections

        try:
            barrier.wait()
            services.decision_approve(actor=actor, application=application, seen=seen(application))
            results.append("ok")
        except ValidationError as error:
            results.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in (kari, third)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    conflict = next(r for r in results if r != "ok")
    assert "godkjent av" in conflict or "approved by" in conflict
    application.case.refresh_from_db()
    assert application.case.letters.count() == 1 and application.case.status == "refused"
