"""Register pages through Django's client: drafts never lost, findings shown with their
source, overview and downloads, the information letter, the access log — and the audit
events every read and export leaves."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from register import services
from register.models import Participant
from tests.conftest import login_as
from tests.jobs.helpers import job_download

from .conftest import recent_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def jonas(client, drammen):
    login_as(client, "jonas.registrering", organization=drammen)
    return client


@pytest.fixture
def participant(register_actor, fresh_number):
    return services.participant_create(actor=register_actor, national_id=fresh_number(),
                                       start_date=recent_start(), financing="allowance")


def page_url(p, slug):
    return reverse("register:participant_page", kwargs={"pk": p.pk, "page": slug})


def test_create_through_the_form(jonas, fresh_number):
    number = fresh_number()
    response = jonas.post(reverse("register:participant_create"), {
        "national_id": f"{number[:6]} {number[6:]}", "start_date": recent_start().isoformat(),
        "financing": "allowance"})
    p = Participant.objects.get(national_id=number)
    assert response.status_code == 302 and response.url == page_url(p, "bakgrunn")
    assert p.name


def test_create_with_a_bad_number_keeps_what_was_typed(jonas):
    response = jonas.post(reverse("register:participant_create"), {
        "national_id": "12345678901", "start_date": "2026-02-30", "financing": "allowance"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kontrollsifrene stemmer ikke" in html
    assert 'value="12345678901"' in html
    assert 'aria-invalid="true"' in html


def test_a_page_saves_what_is_valid_and_keeps_the_bad_value(jonas, participant):
    response = jonas.post(page_url(participant, "bakgrunn"), {
        "family_situation": "single", "children": "0", "youngest_child_age": "3",
        "norwegian_level": "b1", "introduction": "never"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "aria-invalid" in html and 'value="3"' in html
    participant.refresh_from_db()
    assert participant.family_situation == "single"
    assert participant.norwegian_level == "b1"
    # The bad value is not saved, nor the answer it conflicts with.
    assert participant.youngest_child_age is None and participant.children is None


def test_a_yes_no_answer_survives_a_rerender_with_errors(jonas, participant):
    response = jonas.post(page_url(participant, "bakgrunn"), {
        "children": "0", "youngest_child_age": "3", "qualification_programme": "false"})
    html = response.content.decode()
    select = html[html.index('name="qualification_programme"'):]
    select = select[:select.index("</select>")]
    assert '<option value="false" selected>' in select
    assert '<option value="" selected>' not in select


def test_save_and_continue_goes_to_the_next_page(jonas, participant):
    response = jonas.post(page_url(participant, "person"), {
        "start_date": participant.start_date.isoformat(), "financing": "other",
        "continue": "1"})
    assert response.status_code == 302 and response.url == page_url(participant, "bakgrunn")


def test_the_end_page_refuses_a_future_end_and_work_details_without_work(jonas, participant):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = jonas.post(page_url(participant, "avslutning"), {
        "end_date": future, "end_reason": "completed", "transition": "education",
        "position_percent": "50", "education_level": "upper_secondary"})
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.end_date is None and participant.position_percent is None
    assert participant.transition == ""  # held back with the position it conflicts with
    assert participant.end_reason == "completed"


def test_measures_and_after_care(jonas, participant):
    response = jonas.post(page_url(participant, "tiltak"), {
        "measure-measure": "norwegian", "measure-start_date": participant.start_date.isoformat()})
    assert response.status_code == 302
    measure = participant.measures.get()
    response = jonas.post(page_url(participant, "etteroppfolging"), {
        "followup-point": "3", "followup-status": "work",
        "followup-recorded_on": datetime.date.today().isoformat()})
    assert response.status_code == 200  # refused: no end yet
    assert not participant.follow_ups.exists()
    jonas.post(reverse("register:measure_remove", kwargs={"pk": participant.pk,
                                                          "measure_id": measure.pk}))
    assert not participant.measures.exists()


def test_findings_are_shown_with_their_source_and_can_be_justified(jonas, participant):
    jonas.post(page_url(participant, "bakgrunn"), {"introduction": "unknown"})
    html = jonas.get(reverse("register:participant_detail", kwargs={"pk": participant.pk})
                     ).content.decode()
    assert "Rundskriv 23-15067 §2" in html
    response = jonas.post(reverse("register:participant_justify", kwargs={"pk": participant.pk}),
                          {"code": "introduction_unknown",
                           "justification": "Dokumentert i saksmappen, avsluttet 2020."})
    assert response.status_code == 302
    assert participant.assessments.filter(code="introduction_unknown").exists()
    # A code that is not an open finding is refused.
    jonas.post(reverse("register:participant_justify", kwargs={"pk": participant.pk}),
               {"code": "made_up", "justification": "Dette er ikke et funn i det hele tatt."})
    assert not participant.assessments.filter(code="made_up").exists()


def test_reading_a_participant_is_logged_without_personal_data(jonas, participant):
    jonas.get(reverse("register:participant_detail", kwargs={"pk": participant.pk}))
    event = AuditEvent.objects.filter(event_type="register.participant_viewed").latest("id")
    assert event.object_id == str(participant.pk)
    assert event.payload == {"participant_id": participant.pk, "page": "summary"}
    assert event.actor.username == "jonas.registrering"
    assert event.actor_organization == participant.organization


def test_overview_filters_and_counts(jonas, drammen):
    response = jonas.get(reverse("register:overview"), {"status": "ended", "sort": "id"})
    assert response.status_code == 200
    ended = Participant.objects.filter(organization=drammen, status="ended").count()
    assert response.context["counts"]["total"] == ended
    assert all(p.status == "ended" for p in response.context["page"].object_list)
    event = AuditEvent.objects.filter(event_type="register.overview_viewed").latest("id")
    assert event.payload["filters"] == ["status=ended"]
    assert event.payload["participant_ids"] == [p.pk for p in response.context["page"]]


def test_overview_ignores_a_bad_filter_value_and_says_so(jonas):
    response = jonas.get(reverse("register:overview"), {"start_from": "31.31.2020"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_csv_download_is_a_job_scoped_and_logged(jonas, drammen, grimstad):
    response = job_download(jonas, reverse("register:export_csv"), {"financing": "allowance"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    expected = Participant.objects.filter(organization=drammen, financing="allowance")
    assert len(rows) - 1 == expected.count()
    assert {row[1] for row in rows[1:]} == {"3301"}
    grimstad_ids = set(Participant.objects.filter(organization=grimstad)
                       .values_list("national_id", flat=True))
    assert not grimstad_ids & {row[2] for row in rows[1:]}
    event = AuditEvent.objects.filter(event_type="register.exported").latest("id")
    assert event.payload == {"format": "csv", "rows": expected.count(),
                             "filters": ["financing=allowance"]}


def test_excel_download_opens_with_the_rows(jonas, drammen):
    from openpyxl import load_workbook

    response = job_download(jonas, reverse("register:export_xlsx"), {"status": "active"})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) - 1 == Participant.objects.filter(organization=drammen,
                                                       status="active").count()
    assert isinstance(rows[1][2], str) and len(rows[1][2]) == 11  # id numbers stay text
    assert AuditEvent.objects.filter(event_type="register.exported",
                                     payload__format="xlsx").exists()


@pytest.mark.parametrize("language,phrase", [("nb", "integreringsloven § 41"),
                                             ("nn", "integreringslova § 41"),
                                             ("en", "Integration Act")])
def test_information_letter_pdf_in_three_languages(jonas, language, phrase):
    from pypdf import PdfReader

    response = jonas.get(reverse("register:info_letter", kwargs={"language": language}))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Drammen" in text
    assert phrase.split()[0].lower() in text.lower().replace("\n", " ")
    assert reader.pdf_header.startswith("%PDF")


def test_access_log_shows_who_looked_at_which_participant(client, jonas, participant,
                                                          drammen):
    jonas.get(reverse("register:participant_detail", kwargs={"pk": participant.pk}))
    login_as(client, "mona.kommuneadmin", organization=drammen)
    response = client.get(reverse("register:access_log"), {"deltaker": participant.reference})
    html = response.content.decode()
    assert response.status_code == 200
    assert participant.reference in html and "Jonas Dahl" in html
    assert participant.name not in html and participant.national_id not in html


def test_analysts_see_pseudonyms_never_names_or_numbers(client):
    login_as(client, "aisha.analytiker")
    year = datetime.date.today().year
    response = client.get(reverse("register:analysis"), {"aar": year})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["rows"]
    for p in Participant.objects.all():
        assert p.national_id not in html
        assert not p.name or p.name not in html
    assert AuditEvent.objects.filter(event_type="register.pseudonymised_viewed").exists()


def test_submission_page_shows_the_deadline_and_what_is_missing(jonas):
    response = jonas.get(reverse("register:submission"))
    html = response.content.decode()
    year = datetime.date.today().year
    assert f"15. februar {year + 1}" in html
    response = jonas.post(reverse("register:submission"), {"year": str(year)})
    assert response.status_code == 200  # refused: shown with the records to complete
    assert not AuditEvent.objects.filter(event_type="register.submitted").exists()


def test_namsos_sees_why_it_cannot_register(client):
    from accounts.models import RoleAssignment, User
    from organizations.models import Organization

    namsos = Organization.objects.get(kind="municipality", code="5007")
    RoleAssignment.objects.create(user=User.objects.get(username="siri.namsos"),
                                  organization=namsos, role="register_user")
    login_as(client, "siri.namsos", organization=namsos)
    html = client.get(reverse("register:home")).content.decode()
    assert "databehandleravtale" in html.lower()
    assert client.get(reverse("register:participant_create")).status_code == 403


def _queries(client, url, django_assert_max_num_queries=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_overview_query_count_is_pinned(jonas, register_actor, fresh_number):
    url = reverse("register:overview")
    few = _queries(jonas, url + "?status=active")
    for _ in range(30):
        services.participant_create(actor=register_actor, national_id=fresh_number(),
                                    start_date=recent_start(), financing="allowance")
    many = _queries(jonas, url + "?status=active")
    assert few == many
    assert many <= 14, many  # session, user, device, roles, count, status counts,
    # rows, agreement, audit insert and the session save (with their savepoints)


def test_participant_page_query_count_is_pinned(jonas, participant, register_actor):
    url = reverse("register:participant_detail", kwargs={"pk": participant.pk})
    few = _queries(jonas, url)
    for day in range(10):
        services.measure_add(actor=register_actor, participant=participant, measure="mentor",
                             start_date=participant.start_date + datetime.timedelta(days=day),
                             end_date=None)
    many = _queries(jonas, url)
    assert few == many
    assert many <= 15, many  # + measures, after-care and assessments


def test_the_municipality_administrator_grants_and_revokes_the_register_role(client, drammen):
    from accounts.models import RoleAssignment, User

    eva = User.objects.get(username="eva.soknad")
    login_as(client, "mona.kommuneadmin", organization=drammen)
    client.post(reverse("accounts:role_grant", kwargs={"user_id": eva.pk}),
                {"organization": drammen.pk, "role": "register_user"})
    assignment = RoleAssignment.objects.active().get(user=eva, role="register_user")
    assert assignment.organization == drammen
    eva_client = client.__class__()
    login_as(eva_client, "eva.soknad", organization=drammen)
    # The register role needs two-factor log-in: Eva must set it up first.
    response = eva_client.get(reverse("register:overview"))
    assert response.status_code == 302 and "/tofaktor/" in response.url
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=eva, name="app", confirmed=True)
    login_as(eva_client, "eva.soknad", organization=drammen)
    assert eva_client.get(reverse("register:overview")).status_code == 200
    client.post(reverse("accounts:role_revoke", kwargs={"user_id": eva.pk,
                                                        "assignment_id": assignment.pk}))
    assert not RoleAssignment.objects.active().filter(user=eva, role="register_user").exists()
    assert eva_client.get(reverse("register:overview")).status_code == 403


def test_the_directorate_sees_changes_after_submission(client, register_actor, drammen):
    from register.models import Participant as P

    year = datetime.date.today().year
    P.objects.filter(organization=drammen).update(check_state="complete")
    services.year_submit(actor=register_actor, year=year)
    changed = P.objects.filter(organization=drammen, status="active").first()
    services.participant_update(actor=register_actor, participant=changed, page="person",
                                data={"financing": "other"})
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("register:submissions"), {"aar": year})
    row = [r for r in response.context["rows"] if r["submission"].organization == drammen][0]
    assert row["changed_since"] == 1
    html = response.content.decode()
    assert changed.national_id not in html and changed.name not in html


def test_the_access_log_finds_the_overview_pages_that_listed_a_participant(client, jonas,
                                                                          drammen):
    jonas.get(reverse("register:overview"), {"sort": "id"})
    first = Participant.objects.filter(organization=drammen).order_by("id").first()
    tenth = Participant.objects.filter(organization=drammen).order_by("id")[9]
    login_as(client, "mona.kommuneadmin", organization=drammen)
    for p in (first, tenth):
        rows = client.get(reverse("register:access_log"),
                          {"deltaker": p.reference}).context["rows"]
        assert any(r["event"].event_type == "register.overview_viewed" for r in rows), p.pk
    unlisted = Participant.objects.filter(organization=drammen).order_by("-id").first()
    rows = client.get(reverse("register:access_log"),
                      {"deltaker": unlisted.reference}).context["rows"]
    assert not any(r["event"].event_type == "register.overview_viewed" for r in rows)


def test_a_conflicting_pair_is_not_half_saved(jonas, participant):
    jonas.post(page_url(participant, "bakgrunn"), {"children": "2", "youngest_child_age": "3"})
    jonas.post(page_url(participant, "bakgrunn"), {"children": "0", "youngest_child_age": "3"})
    participant.refresh_from_db()
    assert (participant.children, participant.youngest_child_age) == (2, 3)


def test_a_rejected_justification_keeps_the_text(jonas, participant):
    jonas.post(page_url(participant, "bakgrunn"), {"introduction": "unknown"})
    response = jonas.post(reverse("register:participant_justify", kwargs={"pk": participant.pk}),
                          {"code": "introduction_unknown", "justification": "kort"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "\nkort</textarea>" in html and 'aria-invalid="true"' in html
    assert 'id="finding-introduction_unknown"' in html
    assert 'aria-describedby="finding-introduction_unknown' in html


def test_changing_the_start_to_an_existing_one_is_a_field_error(jonas, register_actor,
                                                               fresh_number):
    number = fresh_number()
    first = services.participant_create(actor=register_actor, national_id=number,
                                        start_date=datetime.date(2025, 1, 6),
                                        financing="allowance")
    second = services.participant_create(actor=register_actor, national_id=number,
                                         start_date=datetime.date(2025, 9, 1),
                                         financing="allowance")
    response = jonas.post(page_url(second, "person"), {"start_date": "2025-01-06",
                                                       "financing": "other"})
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.start_date == datetime.date(2025, 9, 1) and second.financing == "other"
    assert first.pk != second.pk


@pytest.mark.parametrize("year", ["0", "99999", "x"])
def test_a_bad_year_in_the_address_falls_back(client, year):
    login_as(client, "aisha.analytiker")
    assert client.get(reverse("register:analysis"), {"aar": year}).status_code == 200
    assert client.get(reverse("register:submissions"), {"aar": year}).status_code == 200


def test_nobody_gives_themselves_the_register_role(client, drammen):
    from accounts.models import RoleAssignment, User

    mona = User.objects.get(username="mona.kommuneadmin")
    login_as(client, "mona.kommuneadmin", organization=drammen)
    client.post(reverse("accounts:role_grant", kwargs={"user_id": mona.pk}),
                {"organization": drammen.pk, "role": "register_user"})
    assert not RoleAssignment.objects.active().filter(user=mona, role="register_user").exists()


def test_a_database_error_reaches_the_log_without_its_values():
    """A unique-constraint error's DETAIL repeats the row (an id number on PostgreSQL)."""
    import logging
    import sys

    from core.logging import JsonFormatter

    detail = "Key (national_id)=(12345678901) already exists."
    try:
        try:
            raise ValueError(detail)
        except ValueError as inner:
            raise RuntimeError(detail) from inner
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                                   "Internal Server Error: %s", ("/register/deltakere/7/",),
                                   sys.exc_info())
    line = JsonFormatter().format(record)
    assert "12345678901" not in line, line
    assert "/register/deltakere/7/" not in line
    assert "builtins.ValueError" in line and "builtins.RuntimeError" in line


def test_every_register_field_has_help_text_in_three_languages():
    from django.utils import translation

    from register import forms as register_forms

    p = Participant.objects.first()
    forms_ = [register_forms.ParticipantCreateForm(), register_forms.FollowUpForm(),
              register_forms.JustificationForm(),
              register_forms.MeasureForm(participant=p),
              *[cls(instance=p, participant=p) for cls in (
                  register_forms.PersonForm, register_forms.BackgroundForm,
                  register_forms.EndForm)]]
    texts = {}
    for form in forms_:
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            assert field.help_text, f"{type(form).__name__}.{name} has no help text"
            for language in ("nb", "nn", "en"):
                with translation.override(language):
                    texts.setdefault(language, set()).add(str(field.help_text))
    assert texts["nb"] != texts["en"] and texts["nn"] != texts["nb"]


def test_the_submission_page_links_to_exactly_what_is_not_complete(jonas, drammen):
    from register.selectors import year_status

    year = datetime.date.today().year
    html = jonas.get(reverse("register:submission")).content.decode()
    assert f"?year={year}&amp;check=open" in html
    response = jonas.get(reverse("register:overview"), {"year": year, "check": "open"})
    assert response.context["counts"]["total"] == year_status(drammen, year).incomplete > 0
