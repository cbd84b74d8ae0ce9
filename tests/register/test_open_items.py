"""The register's open items (issue 10): search without personal data in addresses,
measures that can be changed, refusals that link to each record, follow-ups dated no
earlier than they fall due, open measures after the end as a finding, masked id numbers
after discharge, downloads in the access log per participant, labels in downloads."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from audit.models import AuditEvent
from register import codes, services
from register.checks import follow_up_due, participant_checks
from register.models import ExportedParticipant, Participant
from tests.conftest import login_as
from tests.jobs.helpers import job_download

from .conftest import recent_start

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


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


def end(actor, p, *, days_ago: int) -> Participant:
    services.participant_update(actor=actor, participant=p, page="end", data={
        "end_date": TODAY - datetime.timedelta(days=days_ago), "end_reason": "completed",
        "transition": "education", "education_level": "upper_secondary",
        "absence_percent": 4})
    p.refresh_from_db()
    return p


def session_text(client) -> str:
    return json.dumps(SessionStore(session_key=client.session.session_key).load())


# -- 1. search by id number and by name ---------------------------------------------------

def test_search_by_id_number_is_posted_and_never_in_an_address_or_the_session(
        jonas, participant):
    number = participant.national_id
    response = jonas.post(reverse("register:overview_search") + "?status=active",
                          {"q": f" {number[:6]}  {number[6:]} "})
    assert response.status_code == 302
    assert number not in response.url and number[6:] not in response.url
    assert "status=active" in response.url  # the filters stay
    overview = jonas.get(response.url)
    assert [p.pk for p in overview.context["page"]] == [participant.pk]
    assert participant.name in overview.content.decode()
    for text in (session_text(jonas), json.dumps(list(AuditEvent.objects.values("payload")))):
        assert number not in text and participant.name not in text
    event = AuditEvent.objects.filter(event_type="register.overview_viewed").latest("id")
    assert "search=national_id" in event.payload["filters"]
    # The download holds the same participants as the page.
    body = job_download(jonas, reverse("register:export_csv")).content.decode()
    assert len(list(csv.reader(io.StringIO(body), delimiter=";"))) == 2
    # Cleared, every participant is back.
    jonas.post(reverse("register:overview_search"), {"clear": "1"})
    assert jonas.get(reverse("register:overview")).context["counts"]["total"] > 1


def test_search_by_name_matches_every_word_in_any_case(jonas, participant):
    first, *rest = participant.name.split()
    term = f"{rest[-1].upper()} {first.lower()}" if rest else first.upper()
    response = jonas.post(reverse("register:overview_search"), {"q": term})
    assert response.status_code == 302
    found = [p.pk for p in jonas.get(response.url).context["page"]]
    assert participant.pk in found
    assert all(first.casefold() in p.name.casefold() for p in
               Participant.objects.filter(pk__in=found))
    assert participant.name not in session_text(jonas) and term not in session_text(jonas)
    event = AuditEvent.objects.filter(event_type="register.overview_viewed").latest("id")
    assert "search=name" in event.payload["filters"]


@pytest.mark.parametrize("term", ["0101 90", "٠١٠١٩٠١٢٣٤٥", "０１０１９０１２３４５",
                                  "010190123456"])
def test_a_search_for_a_malformed_id_number_is_a_field_error(jonas, term):
    response = jonas.post(reverse("register:overview_search"), {"q": term})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "11" in html
    assert response.context["search_form"].errors["q"]


def test_another_municipalitys_participant_is_not_found(client, participant, grimstad):
    login_as(client, "jonas.registrering", organization=grimstad)
    response = client.post(reverse("register:overview_search"),
                           {"q": participant.national_id})
    assert list(client.get(response.url).context["page"]) == []


def test_a_discharged_participant_is_not_found_by_id_number(jonas, register_actor,
                                                            participant):
    end(register_actor, participant, days_ago=20)
    services.participant_discharge(actor=register_actor, participant=participant)
    response = jonas.post(reverse("register:overview_search"),
                          {"q": participant.national_id})
    assert list(jonas.get(response.url).context["page"]) == []


# -- 2. measures can be changed, audited ---------------------------------------------------

def test_a_measure_is_changed_and_the_change_is_audited(jonas, participant, register_actor):
    measure = services.measure_add(actor=register_actor, participant=participant,
                                   measure="norwegian", start_date=participant.start_date,
                                   end_date=None)
    url = reverse("register:measure_edit", kwargs={"pk": participant.pk,
                                                   "measure_id": measure.pk})
    page = jonas.get(page_url(participant, "tiltak")).content.decode()
    assert url in page
    assert jonas.get(url).status_code == 200
    ends = participant.start_date + datetime.timedelta(days=60)
    response = jonas.post(url, {"measure-measure": "mentor",
                                "measure-start_date": participant.start_date.isoformat(),
                                "measure-end_date": ends.isoformat()})
    assert response.status_code == 302 and response.url == page_url(participant, "tiltak")
    measure.refresh_from_db()
    assert (measure.measure, measure.end_date) == ("mentor", ends)
    event = AuditEvent.objects.filter(event_type="register.participant_updated",
                                      object_id=str(participant.pk)).latest("id")
    assert event.payload == {"participant_id": participant.pk, "page": "measures",
                             "fields": ["end_date", "measure"]}
    # A wrong value is a field error and changes nothing.
    response = jonas.post(url, {"measure-measure": "mentor",
                                "measure-start_date": participant.start_date.isoformat(),
                                "measure-end_date": "2016-01-01"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    measure.refresh_from_db()
    assert measure.end_date == ends


def test_a_measure_of_another_participant_is_404(jonas, participant, register_actor,
                                                 fresh_number):
    other = services.participant_create(actor=register_actor, national_id=fresh_number(),
                                        start_date=recent_start(), financing="allowance")
    measure = services.measure_add(actor=register_actor, participant=other,
                                   measure="norwegian", start_date=other.start_date,
                                   end_date=None)
    url = reverse("register:measure_edit", kwargs={"pk": participant.pk,
                                                   "measure_id": measure.pk})
    assert jonas.get(url).status_code == 404
    assert jonas.post(url, {"measure-measure": "mentor",
                            "measure-start_date": other.start_date.isoformat()}
                      ).status_code == 404
    measure.refresh_from_db()
    assert measure.measure == "norwegian"


# -- 3. a refused submission links to each incomplete record -------------------------------

def test_a_refused_submission_links_to_each_incomplete_record(jonas, register_actor):
    from register.selectors import incomplete_in_year

    year = TODAY.year
    incomplete = list(incomplete_in_year(register_actor, year))
    assert incomplete
    response = jonas.post(reverse("register:submission"), {"year": str(year)})
    assert response.status_code == 200
    html = response.content.decode()
    for p in incomplete[:100]:
        assert reverse("register:participant_detail", kwargs={"pk": p.pk}) in html
    assert not AuditEvent.objects.filter(event_type="register.submitted").exists()
    # Showing the list is a read of those participants, in the access log.
    event = AuditEvent.objects.filter(event_type="register.overview_viewed").latest("id")
    assert event.payload["participant_ids"] == [p.pk for p in incomplete[:100]]


# -- 4. follow-ups are not dated before they fall due --------------------------------------

def test_a_follow_up_cannot_be_dated_before_it_falls_due(jonas, participant, register_actor):
    end(register_actor, participant, days_ago=40)
    due = follow_up_due(participant.end_date, 3)
    assert due > TODAY
    response = jonas.post(page_url(participant, "etteroppfolging"), {
        "followup-point": "3", "followup-status": "work",
        "followup-recorded_on": TODAY.isoformat()})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["recorded_on"]
    assert f"{due:%d.%m.%Y}" in form.errors["recorded_on"][0]
    assert 'id="id_followup-recorded_on"' in response.content.decode()
    assert not participant.follow_ups.exists()
    # The service refuses it too.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.follow_up_record(actor=register_actor, participant=participant, point=6,
                                  status="work", recorded_on=TODAY)
    assert "recorded_on" in refused.value.message_dict


def test_a_follow_up_on_its_due_day_is_saved(jonas, participant, register_actor):
    end(register_actor, participant, days_ago=120)
    due = follow_up_due(participant.end_date, 3)
    response = jonas.post(page_url(participant, "etteroppfolging"), {
        "followup-point": "3", "followup-status": "work",
        "followup-recorded_on": due.isoformat()})
    assert response.status_code == 302
    assert participant.follow_ups.get().recorded_on == due


def test_follow_ups_fall_due_in_whole_months_after_the_end():
    assert follow_up_due(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    assert follow_up_due(datetime.date(2025, 1, 31), 6) == datetime.date(2025, 7, 31)
    assert follow_up_due(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)


# -- 5. a measure left open after the end is a finding -------------------------------------

def test_a_measure_left_open_after_the_end_is_a_finding(jonas, participant, register_actor):
    measure = services.measure_add(actor=register_actor, participant=participant,
                                   measure="norwegian", start_date=participant.start_date,
                                   end_date=None)
    end(register_actor, participant, days_ago=20)
    findings = [f for f in participant_checks(participant).findings
                if f.code == "measure_after_end"]
    assert len(findings) == 1 and findings[0].severity == "blocks"
    assert findings[0].source.startswith("imdi.no: Tilskuddsmidler til Jobbsjansen 2026")
    assert "seed" not in findings[0].source.lower()
    assert findings[0].as_dict()["code"] == "measure_after_end"
    participant.refresh_from_db()
    assert participant.check_state == "blocked"
    html = jonas.get(reverse("register:participant_detail", kwargs={"pk": participant.pk})
                     ).content.decode()
    assert findings[0].source in html
    # Closed on the programme's last day, the finding goes.
    services.measure_update(actor=register_actor, participant=participant,
                            measure_id=measure.pk, measure="norwegian",
                            start_date=measure.start_date, end_date=participant.end_date)
    participant.refresh_from_db()
    assert not [f for f in participant_checks(participant).findings
                if f.code == "measure_after_end"]
    assert participant.check_state != "blocked"


def test_a_measure_ending_after_the_programme_is_a_finding_too(participant, register_actor):
    end(register_actor, participant, days_ago=20)
    services.measure_add(actor=register_actor, participant=participant, measure="mentor",
                         start_date=participant.start_date, end_date=TODAY)
    assert "measure_after_end" in {f.code for f in participant_checks(participant).findings}


def test_the_register_cites_public_documents_not_seeds(register_actor, fresh_number):
    start = TODAY - datetime.timedelta(days=365 * 2 + 30)
    p = services.participant_create(actor=register_actor, national_id=fresh_number(),
                                    start_date=start, financing="allowance")
    duration = [f for f in participant_checks(p).findings if f.code == "duration"]
    assert duration and "seed" not in duration[0].source.lower()
    assert "Rundskriv 23-15067" in duration[0].source


# -- 6. after discharge the id number is masked --------------------------------------------

def test_after_discharge_the_id_number_is_masked_and_the_duration_not_shown(
        jonas, participant, register_actor):
    detail = reverse("register:participant_detail", kwargs={"pk": participant.pk})
    assert "Programmet kan vare til" in jonas.get(detail).content.decode()
    end(register_actor, participant, days_ago=20)
    services.participant_discharge(actor=register_actor, participant=participant)
    number = participant.national_id
    masked = f"{number[:6]} *****"
    for url in (detail, page_url(participant, "person"), page_url(participant, "tiltak"),
                reverse("register:participant_discharge", kwargs={"pk": participant.pk}),
                reverse("register:participant_delete", kwargs={"pk": participant.pk})):
        html = jonas.get(url).content.decode()
        assert number not in html and number[6:] not in html, url
    html = jonas.get(detail).content.decode()
    assert masked in html
    assert "Programmet kan vare til" not in html
    overview = jonas.get(reverse("register:overview"), {"status": "discharged"})
    assert masked in overview.content.decode() and number[6:] not in overview.content.decode()
    body = job_download(jonas, reverse("register:export_csv"),
                        {"status": "discharged"}).content.decode("utf-8-sig")
    assert number not in body and masked in body
    # Whole in the database, for statistics.
    assert Participant.objects.get(pk=participant.pk).national_id == number


# -- 7. downloads in the access log, per participant; bounded parameters -------------------

def test_each_download_records_the_participants_it_contained(client, jonas, drammen):
    job_download(jonas, reverse("register:export_xlsx"), {"status": "ended"})
    job_download(jonas, reverse("register:export_csv"), {"status": "active"})
    csv_event, xlsx_event = AuditEvent.objects.filter(
        event_type="register.exported").order_by("-id")[:2]
    active = set(Participant.objects.filter(organization=drammen, status="active")
                 .values_list("pk", flat=True))
    ended = set(Participant.objects.filter(organization=drammen, status="ended")
                .values_list("pk", flat=True))
    assert set(ExportedParticipant.objects.filter(event=csv_event)
               .values_list("participant_id", flat=True)) == active
    assert set(ExportedParticipant.objects.filter(event=xlsx_event)
               .values_list("participant_id", flat=True)) == ended

    login_as(client, "mona.kommuneadmin", organization=drammen)
    one = min(active)
    rows = client.get(reverse("register:access_log"),
                      {"deltaker": f"D-{one:06d}"}).context["rows"]
    downloads = [r["event"].pk for r in rows if r["event"].event_type == "register.exported"]
    assert downloads == [csv_event.pk]
    assert [r["participant"] for r in rows if r["event"].pk == csv_event.pk] == [one]
    other = min(ended)
    rows = client.get(reverse("register:access_log"), {"deltaker": str(other)}).context["rows"]
    assert [r["event"].pk for r in rows
            if r["event"].event_type == "register.exported"] == [xlsx_event.pk]


def test_a_deleted_participants_downloads_stay_in_the_access_log(client, jonas, drammen,
                                                                 register_actor, participant):
    job_download(jonas, reverse("register:export_csv"))
    pk = participant.pk
    services.participant_delete(actor=register_actor, participant=participant)
    login_as(client, "mona.kommuneadmin", organization=drammen)
    rows = client.get(reverse("register:access_log"), {"deltaker": str(pk)}).context["rows"]
    assert any(r["event"].event_type == "register.exported" for r in rows)


@pytest.mark.parametrize("name", ["deltaker", "bruker"])
@pytest.mark.parametrize("value", ["99999999999999999999999", "abc", "-1", "١٢٣",
                                   "1" * 41, "D-0000000000000000000001"])
def test_bad_access_log_parameters_give_a_clear_message_not_an_error(client, drammen, name,
                                                                     value):
    login_as(client, "mona.kommuneadmin", organization=drammen)
    response = client.get(reverse("register:access_log"), {name: value, "side": value})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["problems"][name]
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_large_but_well_formed_number_is_simply_not_found(client, drammen):
    login_as(client, "mona.kommuneadmin", organization=drammen)
    for name in ("deltaker", "bruker"):
        response = client.get(reverse("register:access_log"), {name: "999999999999999"})
        assert response.status_code == 200 and response.context["rows"] == []
        assert not response.context["problems"]


# -- 8. downloads show labels in the user's language ---------------------------------------

def _csv(client, **params):
    body = job_download(client, reverse("register:export_csv"), params).content.decode(
        "utf-8-sig")
    return list(csv.DictReader(io.StringIO(body), delimiter=";"))


def test_downloads_show_labels_in_the_users_language_not_codes(jonas):
    rows = _csv(jonas)
    assert rows
    coded = {"Finansiering": codes.Financing, "Status": codes.Status}
    for column, choices in coded.items():
        values = {row[column] for row in rows}
        assert not values & set(choices.values), (column, values)
    assert "Jobbsjansestønad (minst 1G)" in {row["Finansiering"] for row in rows}
    assert "Utskrevet" in {row["Status"] for row in rows}
    measure_codes = set(codes.Measure.values)
    for row in rows:
        assert not set(row["Tiltak"].split("; ")) & measure_codes
        assert row["Næring (SN2007)"] == "" or " " in row["Næring (SN2007)"]

    jonas.post(reverse("shell:set_language"), {"language": "en", "next": "/"})
    rows = _csv(jonas)
    assert "Jobbsjansen allowance (at least 1G)" in {row["Financing"] for row in rows}
    assert "Discharged" in {row["Status"] for row in rows}
    assert not {row["Status"] for row in rows} & set(codes.Status.values)


def test_excel_shows_labels_too(jonas):
    from openpyxl import load_workbook

    response = job_download(jonas, reverse("register:export_xlsx"))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    header, *rows = list(book.active.iter_rows(values_only=True))
    status = header.index("Status")
    assert {row[status] for row in rows} <= {"I programmet", "Avsluttet, i etteroppfølging",
                                             "Utskrevet"}


@pytest.mark.parametrize("references", ["D-²", "١٢٣", "1" * 30])
def test_participant_numbers_to_move_are_ascii_digits(references):
    from register.forms import MoveForm

    form = MoveForm({"source": "3301", "target": "4202", "references": references})
    assert not form.is_valid() and "references" in form.errors
