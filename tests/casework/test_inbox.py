"""The inbox and the case page: submitted applications per round, region, amount,
assignment, internal notes and the timeline from the audit log; the inbox at national
scale (50 a page, counts and sums of the whole filter in SQL, a fixed number of queries)."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from audit.models import AuditEvent
from casework import selectors, services
from casework.models import Case, Decision
from casework.selectors import (
    PAGE_SIZE,
    InboxFilters,
    amount_applied,
    computed_amount_applied,
    inbox,
    regional_offices,
)
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    return Application.objects.get(organization__code="3301", status="submitted")


@pytest.fixture
def officer():
    return actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))


def test_the_inbox_lists_the_rounds_submitted_applications(client, submitted):
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("casework:inbox"), {"utlysning": submitted.round_id})
    rows = response.context["rows"]
    assert [r.application for r in rows] == [submitted]
    assert rows[0].region is not None and rows[0].amount > 0
    assert Application.objects.filter(status="draft").exclude(
        pk__in=[r.application.pk for r in rows]).exists()  # drafts are not cases


def test_assignment_and_filters(submitted, officer):
    kari = User.objects.get(username="kari.saksbehandler")
    services.case_assign(actor=officer, application=submitted, user=kari)
    assert list(inbox(submitted.round, InboxFilters(assigned="me"), user=kari)) == [submitted]
    assert not inbox(submitted.round, InboxFilters(assigned="none")).exists()
    with pytest.raises(ValidationError):
        services.case_assign(actor=officer, application=submitted,
                             user=User.objects.get(username="eva.soknad"))
    auditor = actor_for("lars.revisor", Organization.objects.get(code="IMDI"))
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=auditor, application=submitted, user=kari)
    event = AuditEvent.objects.get(event_type="casework.assigned")
    assert event.payload["user_id"] == kari.pk


def test_notes_and_the_timeline(client, submitted, officer):
    services.case_note_add(actor=officer, application=submitted, text="Ringt kommunen.")
    login_as(client, "lars.revisor")
    response = client.get(reverse("casework:case", kwargs={"pk": submitted.pk}))
    assert response.status_code == 200 and not response.context["can_work"]
    html = response.content.decode()
    assert "Ringt kommunen." in html and submitted.signature.content_hash in html
    assert any(e.event_type == "casework.note_added" for e in response.context["timeline"])
    assert client.post(reverse("casework:note", kwargs={"pk": submitted.pk}),
                       {"text": "Revisor prøver"}).status_code == 403


def test_a_draft_is_no_case(client):
    draft = Application.objects.get(organization__code="3301", status="draft")
    login_as(client, "ola.saksbehandler")
    assert client.get(reverse("casework:case", kwargs={"pk": draft.pk})).status_code == 404


def test_a_rejection_is_a_letter_with_the_right_to_appeal(client, submitted, officer,
                                                         smtp_server,
                                                         django_capture_on_commit_callbacks):
    import hashlib
    import io

    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_screen(actor=officer, application=submitted, passed=False,
                                    reason="conditions",
                                    reason_text="Egenfinansieringen er under 20 %.")
    assert case.status == "rejected"
    letter = case.letters.get()
    assert hashlib.sha256(letter.read_pdf()).hexdigest() == letter.sha256
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.read_pdf())).pages)
    flat = " ".join(text.split())
    assert "tre uker" in flat and "Arbeids- og inkluderingsdepartementet" in flat
    assert "Egenfinansieringen er under 20 %." in flat
    with pytest.raises(ValueError):  # a sent letter never changes
        letter.reason_text = "Endret"
        letter.save()
    with pytest.raises(ValidationError):  # screened once
        services.case_screen(actor=officer, application=submitted, passed=True)
    assert len(smtp_server) == 1
    attached = [p for p in smtp_server[0].walk() if p.get_content_type() == "application/pdf"]
    assert hashlib.sha256(attached[0].get_payload(decode=True)).hexdigest() == letter.sha256
    # The municipality sees the status and the letter.
    login_as(client, "eva.soknad", organization=submitted.organization)
    html = client.get(reverse("applications:detail", kwargs={"pk": submitted.pk})
                      ).content.decode()
    assert "Avvist" in html or "Rejected" in html
    response = client.get(reverse("grant:letter",
                                  kwargs={"pk": submitted.pk, "letter_id": letter.pk}))
    assert response.content == letter.read_pdf()


def test_screening_passes_to_assessment(submitted, officer):
    facts = selectors.screening_facts(submitted)
    assert [ok for _what, ok, _detail in facts][:2] == [True, True]
    case = services.case_screen(actor=officer, application=submitted, passed=True)
    assert case.status == "in_assessment" and not case.letters.exists()


def test_a_rejection_needs_a_reason(submitted, officer):
    with pytest.raises(ValidationError):
        services.case_screen(actor=officer, application=submitted, passed=False)


def test_several_assessors_and_the_round_summary(client, submitted, officer):
    from casework.selectors import assessment_summary

    with pytest.raises(ValidationError):  # not screened yet
        services.case_assess(actor=officer, application=submitted,
                             scores={"purpose": (5, "Treffer målgruppen godt.")})
    services.case_screen(actor=officer, application=submitted, passed=True)
    with pytest.raises(ValidationError):
        services.case_assess(actor=officer, application=submitted,
                             scores={"purpose": (9, "Treffer målgruppen godt.")})
    services.case_assess(actor=officer, application=submitted, scores={
        "purpose": (5, "Treffer målgruppen godt."),
        "capacity": (4, "Solid samarbeid med NAV.")})
    kari = actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST"))
    services.case_assess(actor=kari, application=submitted, scores={
        "purpose": (6, "Svært godt begrunnet prosjekt.")})
    row = assessment_summary(submitted.round)[0]
    assert str(row.averages["purpose"]) == "5.50" and row.averages["capacity"] == 4
    assert row.assessors == 2 and str(row.total) == "4.75"
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("casework:summary", kwargs={"round_pk": submitted.round_id}))
    assert response.status_code == 200 and "5.5" in response.content.decode().replace(",", ".")


def test_the_inbox_counts_and_filters_by_status(client, submitted, officer):
    services.case_screen(actor=officer, application=submitted, passed=True)
    login_as(client, "ola.saksbehandler")
    url = reverse("casework:inbox")
    response = client.get(url, {"utlysning": submitted.round_id, "status": "received"})
    assert response.context["rows"] == []
    assert response.context["totals"].per_status["in_assessment"] == 1
    response = client.get(url, {"utlysning": submitted.round_id, "status": "in_assessment"})
    assert [r.application for r in response.context["rows"]] == [submitted]


# -- the inbox at national scale ---------------------------------------------------------------

APPLICANT_KINDS = ("city_district", "county", "municipality")


def _fill(round_, n: int) -> list[Application]:
    """``n`` more submitted applications in the round, from applicants that have none there
    yet (city districts and counties first, then municipalities), with amounts 1000, 2000,
    … kr; every other one a case under assessment assigned to Ola with a proposed
    decision: every eighth proposed by Ola, the others by Kari."""
    ola = User.objects.get(username="ola.saksbehandler")
    kari = User.objects.get(username="kari.saksbehandler")
    taken = Application.objects.filter(round=round_).values("organization_id")
    orgs = list(Organization.objects.filter(kind__in=APPLICANT_KINDS).exclude(pk__in=taken)
                .order_by("kind", "code")[:n])
    assert len(orgs) == n
    apps = Application.objects.bulk_create([
        Application(round=round_, organization=org, status="submitted",
                    content={"project_title": f"Prosjekt {i}"},
                    amount_applied=Decimal(1000 * (i + 1)), late=i % 5 == 0,
                    submitted_at=round_.deadline - datetime.timedelta(minutes=n - i))
        for i, org in enumerate(orgs)])
    apps = list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk"))
    cases = {}
    for i, application in enumerate(apps):
        if i % 2 == 0:
            cases[i] = Case.objects.create(application=application, status="in_assessment",
                                           assigned_to=ola)
    now = timezone.now()
    Decision.objects.bulk_create([
        Decision(case=cases[i], kind="commitment", amount=Decimal(500),
                 proposed_by=ola if i % 8 == 0 else kari, proposed_at=now)
        for i in cases])
    return apps


def _url(round_, **query) -> str:
    from urllib.parse import urlencode

    return reverse("casework:inbox") + "?" + urlencode({"utlysning": round_.pk, **query})


# The request's own: the session, the user, the second factor, the roles (4), and the
# session's last activity saved (3: savepoint, update, release); the inbox's: the rounds,
# the regional offices, the totals of the whole filter (one query) and the page's rows.
INBOX_QUERIES = 4 + 3 + 4


def test_the_inbox_query_count_is_fixed_and_independent_of_the_applications(
        client, submitted, django_assert_num_queries):
    round_ = submitted.round
    queries = [{}, {"sorter": "-amount"}, {"sorter": "applicant", "side": "2"},
               {"status": "in_assessment", "tildelt": "me"}, {"godkjenning": "meg"},
               {"region": str(submitted.organization.region().pk)}, {"sen": "yes"}]
    login_as(client, "ola.saksbehandler")
    for total in (5, 120):  # applications in the round, the demo's one included
        _fill(round_, total - Application.objects.filter(round=round_,
                                                         status="submitted").count())
        for query in queries:
            with django_assert_num_queries(INBOX_QUERIES):
                response = client.get(_url(round_, **query))
            assert response.status_code == 200 and response.context["rows"], (total, query)
    assert response.context["totals"].rows == Application.objects.filter(
        round=round_, status="submitted", late=True).count()


def test_fifty_a_page_with_the_totals_of_the_whole_filter(client, submitted):
    round_ = submitted.round
    added = _fill(round_, 119)
    login_as(client, "ola.saksbehandler")
    everything = Decimal(submitted.amount_applied) + sum(a.amount_applied for a in added)
    seen = []
    for number, size in ((1, PAGE_SIZE), (2, PAGE_SIZE), (3, 120 - 2 * PAGE_SIZE)):
        response = client.get(_url(round_, sorter="-amount", side=number))
        page, totals = response.context["page"], response.context["totals"]
        assert page.number == number and len(response.context["rows"]) == size
        assert totals.rows == 120 and totals.amount == everything
        assert totals.unassigned == 120 - 60 and totals.per_status["in_assessment"] == 60
        assert totals.per_status["received"] == 60
        seen += [row.application.pk for row in response.context["rows"]]
        html = response.content.decode()
        assert 'class="ds-pagination" aria-label=' in html
        assert f'side={number}" aria-current="true"' in html
        assert "sorter=-amount" in html.split('class="ds-pagination"')[1]  # links keep it
    assert len(set(seen)) == 120  # every application once over the pages
    amounts = dict(Application.objects.filter(pk__in=seen).values_list("pk", "amount_applied"))
    assert [amounts[pk] for pk in seen] == sorted(amounts.values(), reverse=True)
    # A filter narrows the rows, the totals and the pages; the status counts stay per status.
    response = client.get(_url(round_, status="in_assessment"))
    totals = response.context["totals"]
    assert totals.rows == 60 and response.context["page"].paginator.num_pages == 2
    assert totals.amount == sum(a.amount_applied for i, a in enumerate(added) if i % 2 == 0)
    assert totals.per_status["received"] == 60 and totals.unassigned == 0


@pytest.mark.parametrize("side, expected", [("999", 3), ("-1", 3), ("0", 3), ("abc", 1),
                                            ("1e3", 1), ("9" * 400, 1), ("²", 1), ("", 1)])
def test_a_page_out_of_range_gives_the_last_page(client, submitted, side, expected):
    _fill(submitted.round, 119)
    login_as(client, "ola.saksbehandler")
    response = client.get(_url(submitted.round, side=side))
    assert response.status_code == 200 and response.context["page"].number == expected


@pytest.mark.parametrize("query", [
    {"region": "9" * 40}, {"region": "-3"}, {"region": "٣"}, {"status": "x" * 5000},
    {"sorter": "id; drop table"}, {"sorter": "-organization__name"}, {"utlysning": "9" * 50},
    {"utlysning": "-1"}, {"tildelt": "everyone"}, {"sen": "\x00"}, {"godkjenning": "1" * 99}])
def test_garbage_in_the_query_string_means_no_filter(client, submitted, query):
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("casework:inbox"), query)
    assert response.status_code == 200
    assert response.context["filters"] == InboxFilters()
    assert [r.application for r in response.context["rows"]]


def test_waiting_for_my_approval_shows_what_others_proposed(client, submitted):
    added = _fill(submitted.round, 16)
    by_kari = {a.pk for i, a in enumerate(added) if i % 2 == 0 and i % 8 != 0}
    by_ola = {a.pk for i, a in enumerate(added) if i % 8 == 0}
    approved = added[4]  # Kari proposed it; Ola approved it already
    Decision.objects.filter(case__application=approved).update(
        approved_at=timezone.now(), approved_by=User.objects.get(username="ola.saksbehandler"))
    login_as(client, "ola.saksbehandler")
    response = client.get(_url(submitted.round, godkjenning="meg"))
    assert {r.application.pk for r in response.context["rows"]} == by_kari - {approved.pk}
    assert response.context["totals"].awaiting_me == len(by_kari) - 1
    assert response.context["filters"].awaiting_me
    assert '<option value="meg" selected>' in response.content.decode()
    login_as(client, "kari.saksbehandler")
    response = client.get(_url(submitted.round, godkjenning="meg"))
    assert {r.application.pk for r in response.context["rows"]} == by_ola
    # Without the filter, the count is there for the whole list.
    assert client.get(_url(submitted.round)).context["totals"].awaiting_me == len(by_ola)


def test_the_regional_office_in_sql_is_the_organisations_region(submitted):
    added = _fill(submitted.round, 60)
    assert {a.organization.kind for a in added} == set(APPLICANT_KINDS)
    offices = {o.pk: o for o in regional_offices()}
    rows = list(inbox(submitted.round))
    assert len(rows) == 61
    for application in rows:
        assert offices.get(application.region_id) == application.organization.region(), (
            application.organization)
    office = submitted.organization.region()
    wanted = {a.pk for a in rows if a.organization.region() == office}
    assert {a.pk for a in inbox(submitted.round, InboxFilters(region_id=office.pk))} == wanted


def test_signing_stores_the_amount_applied_for(submitted):
    from applications.services import record_signature

    # The demo's application was signed through the signing service: the amount is stored.
    assert submitted.amount_applied is not None and submitted.amount_applied > 0
    assert submitted.amount_applied == computed_amount_applied(submitted)
    namsos = Organization.objects.get(kind="municipality", code="5007")
    application = Application.objects.create(
        round=submitted.round, organization=namsos, status="for_signing", version=1,
        content={**submitted.content, "places_with_g": 10, "places_without_g": 2})
    record_signature(application, user=User.objects.get(username="anders.namsos"),
                     role="chief_executive", at=timezone.now())
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.amount_applied == computed_amount_applied(application)
    assert 0 < application.amount_applied < submitted.amount_applied  # fewer places


def test_the_case_page_reads_the_stored_amount(client, submitted):
    stored = submitted.amount_applied
    # Were the frozen content changed behind the system's back, the signed amount stands.
    Application.objects.filter(pk=submitted.pk).update(
        content={**submitted.content, "places_with_g": 1, "places_without_g": 0})
    submitted.refresh_from_db()
    assert computed_amount_applied(submitted) != stored
    assert amount_applied(submitted) == stored
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("casework:case", kwargs={"pk": submitted.pk}))
    assert response.context["amount"] == stored
    inbox_rows = client.get(_url(submitted.round)).context["rows"]
    assert inbox_rows[0].amount == stored


def test_an_amount_that_does_not_fit_is_not_stored(submitted):
    from schemes.models import Round

    other = Round.objects.exclude(scheme__grant_model="jobbsjansen_2026").first()
    for raw, expected in (("1" * 15, None), ("NaN", None), ("Infinity", None), ("abc", None),
                          ("", None), ("99999999999999", Decimal("99999999999999")),
                          ("1500000.4", Decimal(1500000))):
        application = Application(round=other, organization=submitted.organization,
                                  content={"amount_applied": raw})
        assert computed_amount_applied(application) == expected, raw


def test_the_migration_fills_the_amount_for_applications_signed_before(submitted):
    from django.apps import apps

    migration = importlib.import_module(
        "applications.migrations.0003_application_amount_applied")
    stored = submitted.amount_applied
    Application.objects.filter(pk=submitted.pk).update(amount_applied=None)
    migration.fill_amount_applied(apps, None)
    submitted.refresh_from_db()
    assert submitted.amount_applied == stored
    assert not Application.objects.filter(status="draft", amount_applied__isnull=False).exists()


def test_open_appeals_and_change_requests_have_their_own_queue(client):
    from casework.models import CaseStatus
    from tests.register.conftest import actor_for

    drammen = Organization.objects.get(kind="municipality", code="3301")
    application = Application.objects.get(organization=drammen, status="submitted")
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    services.case_screen(actor=ola, application=application, passed=False, reason="late")
    letter = application.case.letters.get()
    services.appeal_file(actor=actor_for("tor.kommunedirektor", drammen),
                         application=application, received_on=letter.sent_at.date(),
                         text="Vi klager på avvisningen fordi søknaden kom inn i tide.")
    application.case.refresh_from_db()
    assert application.case.status == CaseStatus.REJECTED
    login_as(client, "ola.saksbehandler", organization=ola.organization)
    url = reverse("casework:inbox")
    response = client.get(url, {"utlysning": application.round_id, "ko": "appeals"})
    assert [row.application.pk for row in response.context["rows"]] == [application.pk]
    assert response.context["totals"].open_appeals == 1
    response = client.get(url, {"utlysning": application.round_id, "ko": "changes"})
    assert list(response.context["rows"]) == []
