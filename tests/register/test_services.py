"""Register services: creation with the population register, pages, discharge, deletion,
submission and moves — each with its audit event and nothing personal in it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import RoleAssignment, User
from audit.models import AuditEvent
from organizations.models import Organization
from register import codes, services
from register.checks import participant_checks
from register.models import (
    CheckState,
    DataProcessingAgreement,
    FindingAssessment,
    FollowUp,
    Participant,
    ParticipantMeasure,
)
from register.population import LocalPopulationRegister, Person, person_from_folkeregisteret

from .conftest import actor_for, recent_start, unknown_number

pytestmark = pytest.mark.django_db

COMPLETE_BACKGROUND = {
    "family_situation": "married", "children": 2, "youngest_child_age": 4,
    "education_home_country": "primary", "education_norway": "none",
    "norwegian_level": "a2", "work_experience": "home_country", "literacy": "yes",
    "introduction": "never", "qualification_programme": False,
    "social_assistance": "none", "transitional_benefit": False,
}


def create(actor, number, **kwargs):
    return services.participant_create(actor=actor, national_id=number,
                                       start_date=kwargs.pop("start_date", recent_start()),
                                       financing=kwargs.pop("financing", "allowance"), **kwargs)


def events_for(participant_id):
    return list(AuditEvent.objects.filter(object_type="register.participant",
                                          object_id=str(participant_id)))


def test_create_fetches_the_name_from_the_population_register(register_actor, fresh_number):
    number = fresh_number()
    person = LocalPopulationRegister().lookup(number)
    p = create(register_actor, number)
    assert (p.name, p.birth_date) == (person.name, person.birth_date)
    assert p.name_source == codes.NameSource.POPULATION_REGISTER
    assert p.organization == register_actor.organization
    event = events_for(p.pk)[0]
    assert event.event_type == "register.participant_created"
    assert event.payload == {"participant_id": p.pk, "name_found": True}


def test_an_unknown_number_is_registered_with_the_name_unknown(register_actor):
    p = create(register_actor, unknown_number())
    assert p.name == "" and p.name_source == codes.NameSource.UNKNOWN
    findings = {f.code for f in participant_checks(p).findings}
    assert "age_unknown" in findings  # the age must then be assessed


def test_a_bad_number_names_the_field(register_actor):
    with pytest.raises(ValidationError) as error:
        create(register_actor, "12345678901")
    assert "national_id" in error.value.message_dict
    assert "Kontrollsifrene" in error.value.message_dict["national_id"][0]
    assert not Participant.objects.filter(national_id="12345678901").exists()


def test_synthetic_numbers_are_refused_outside_demo_mode(register_actor, fresh_number,
                                                         settings):
    settings.TILSKUDD_DEMO_MODE = False
    with pytest.raises(ValidationError) as error:
        create(register_actor, fresh_number())
    assert "syntetisk" in error.value.message_dict["national_id"][0]


def test_the_same_person_and_start_twice_is_a_clear_error(register_actor, fresh_number):
    number = fresh_number()
    create(register_actor, number, start_date=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        create(register_actor, number, start_date=datetime.date(2025, 3, 1))
    assert "start_date" in error.value.message_dict


def test_no_registration_without_a_signed_agreement(fresh_number):
    namsos = Organization.objects.get(kind="municipality", code="5007")
    user = User.objects.get(username="siri.namsos")
    RoleAssignment.objects.create(user=user, organization=namsos, role="register_user")
    actor = actor_for("siri.namsos", namsos)
    with pytest.raises(PermissionDenied, match="databehandleravtale|data processing"):
        create(actor, fresh_number())
    admin = actor_for("ingrid.admin", Organization.objects.get(code="IMDI"))
    services.agreement_record(actor=admin, organization=namsos,
                              signed_on=datetime.date(2026, 1, 5), reference="26/00001-1")
    assert create(actor, fresh_number()).organization == namsos
    assert AuditEvent.objects.filter(event_type="register.agreement_recorded").exists()


def test_only_the_directorate_records_agreements(register_actor, drammen):
    with pytest.raises(PermissionDenied):
        services.agreement_record(actor=register_actor, organization=drammen,
                                  signed_on=datetime.date(2026, 1, 5), reference="x")
    assert DataProcessingAgreement.objects.filter(organization=drammen).count() == 1


def test_a_page_saves_only_its_own_fields_and_logs_field_names(register_actor, fresh_number):
    p = create(register_actor, fresh_number())
    changed = services.participant_update(
        actor=register_actor, participant=p, page="background",
        data={**COMPLETE_BACKGROUND, "end_date": datetime.date(2026, 1, 1)})
    p.refresh_from_db()
    assert p.end_date is None  # not a background field
    assert set(changed) == set(COMPLETE_BACKGROUND)
    event = [e for e in events_for(p.pk) if e.event_type == "register.participant_updated"][0]
    assert event.payload["page"] == "background"
    assert sorted(event.payload["fields"]) == sorted(COMPLETE_BACKGROUND)
    dumped = json.dumps(event.payload)
    assert p.national_id not in dumped and p.name.split()[0] not in dumped


def test_check_state_follows_the_rules(register_actor, fresh_number):
    p = create(register_actor, fresh_number())
    assert p.check_state == CheckState.INCOMPLETE
    services.participant_update(actor=register_actor, participant=p, page="background",
                                data=COMPLETE_BACKGROUND)
    services.measure_add(actor=register_actor, participant=p, measure="norwegian",
                         start_date=p.start_date, end_date=None)
    p.refresh_from_db()
    assert p.check_state == CheckState.COMPLETE
    services.participant_update(actor=register_actor, participant=p, page="background",
                                data={"qualification_programme": True})
    p.refresh_from_db()
    assert p.check_state == CheckState.BLOCKED
    checks = participant_checks(p)
    kvp = [f for f in checks.blocking if f.code == "kvp"][0]
    assert "sosialtjenesteloven § 29" in kvp.source


def test_needs_assessment_is_cleared_by_a_justification(register_actor, fresh_number):
    p = create(register_actor, fresh_number())
    services.participant_update(actor=register_actor, participant=p, page="background",
                                data={**COMPLETE_BACKGROUND, "introduction": "unknown"})
    services.measure_add(actor=register_actor, participant=p, measure="mentor",
                         start_date=p.start_date, end_date=None)
    p.refresh_from_db()
    assert p.check_state == CheckState.NEEDS_ASSESSMENT
    with pytest.raises(ValidationError):
        services.finding_justify(actor=register_actor, participant=p,
                                 code="introduction_unknown", justification="ok")
    services.finding_justify(actor=register_actor, participant=p, code="introduction_unknown",
                             justification="Bekreftet fra NAV at programmet ble avsluttet 2019.")
    p.refresh_from_db()
    assert p.check_state == CheckState.COMPLETE


def test_the_duration_rule_blocks_an_overlong_programme(register_actor, fresh_number):
    start = datetime.date.today() - datetime.timedelta(days=365 * 2 + 30)
    p = create(register_actor, fresh_number(), start_date=start)
    duration = [f for f in participant_checks(p).findings if f.code == "duration"]
    assert duration and duration[0].severity == "blocks"
    services.participant_update(actor=register_actor, participant=p, page="person",
                                data={"duration_extended": True})
    assert not [f for f in participant_checks(p).findings if f.code == "duration"]


def _ended(actor, number, *, days_ago: int = 10):
    p = create(actor, number)
    services.participant_update(actor=actor, participant=p, page="end", data={
        "end_date": datetime.date.today() - datetime.timedelta(days=days_ago),
        "end_reason": "work", "transition": "work", "position_percent": 80,
        "industry": "86", "employment": "permanent", "absence_percent": 5})
    p.refresh_from_db()
    return p


def test_registering_the_end_ends_and_discharge_deletes_the_name(register_actor, fresh_number):
    p = _ended(register_actor, fresh_number())
    assert p.status == codes.Status.ENDED and p.name
    services.participant_discharge(actor=register_actor, participant=p)
    p.refresh_from_db()
    assert p.status == codes.Status.DISCHARGED
    assert p.name == "" and p.name_source == codes.NameSource.DELETED
    assert p.national_id  # stays for statistics
    assert p.discharged_at is not None


def test_discharge_needs_the_end_first(register_actor, fresh_number):
    p = create(register_actor, fresh_number())
    with pytest.raises(ValidationError):
        services.participant_discharge(actor=register_actor, participant=p)
    p.refresh_from_db()
    assert p.name


def test_the_nightly_job_discharges_after_the_after_care_year(register_actor, fresh_number):
    p = _ended(register_actor, fresh_number())
    end = p.end_date
    services.participants_discharge_due(today=end + datetime.timedelta(days=300))
    p.refresh_from_db()
    assert p.name and p.status == codes.Status.ENDED
    count = services.participants_discharge_due(today=end + datetime.timedelta(days=367))
    assert count >= 1
    p.refresh_from_db()
    assert p.name == "" and p.status == codes.Status.DISCHARGED
    event = [e for e in events_for(p.pk) if e.event_type == "register.participant_discharged"]
    assert event[0].payload == {"participant_id": p.pk, "automatic": True}


def test_delete_removes_everything_tied_to_the_participant(register_actor, fresh_number):
    p = _ended(register_actor, fresh_number(), days_ago=100)
    services.measure_add(actor=register_actor, participant=p, measure="norwegian",
                         start_date=p.start_date, end_date=None)
    services.follow_up_record(actor=register_actor, participant=p, point=3, status="work",
                              recorded_on=datetime.date.today())
    services.finding_justify(actor=register_actor, participant=p, code="x",
                             justification="Vurdert av kommunen etter samtale.")
    pk = p.pk
    services.participant_delete(actor=register_actor, participant=p)
    assert not Participant.objects.filter(pk=pk).exists()
    for model in (ParticipantMeasure, FollowUp, FindingAssessment):
        assert not model.objects.filter(participant_id=pk).exists()
    deleted = AuditEvent.objects.get(event_type="register.participant_deleted",
                                     object_id=str(pk))
    assert deleted.payload == {"participant_id": pk}


def test_another_municipalitys_user_cannot_change_a_participant(register_actor, fresh_number,
                                                                grimstad):
    p = create(register_actor, fresh_number())
    other = actor_for("jonas.registrering", grimstad)
    for call in (
        lambda: services.participant_update(actor=other, participant=p, page="person",
                                            data={"financing": "other"}),
        lambda: services.participant_delete(actor=other, participant=p),
        lambda: services.measure_add(actor=other, participant=p, measure="mentor",
                                     start_date=p.start_date, end_date=None),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert Participant.objects.filter(pk=p.pk, financing="allowance").exists()


def test_a_year_is_submitted_only_when_complete(register_actor, drammen):
    year = datetime.date.today().year
    with pytest.raises(ValidationError, match=str(year)):
        services.year_submit(actor=register_actor, year=year)
    Participant.objects.filter(organization=drammen).update(check_state="complete")
    submission = services.year_submit(actor=register_actor, year=year)
    assert submission.participant_count > 0
    from register.selectors import year_status

    status = year_status(drammen, year)
    assert status.submission == submission and status.changed_since == 0
    assert status.deadline.day == datetime.date(year + 1, 2, 15)
    p = Participant.objects.filter(organization=drammen, status="active").first()
    services.participant_update(actor=register_actor, participant=p, page="person",
                                data={"financing": "other"})
    assert year_status(drammen, year).changed_since == 1


def test_a_future_year_cannot_be_submitted(register_actor):
    with pytest.raises(ValidationError):
        services.year_submit(actor=register_actor, year=datetime.date.today().year + 1)


def test_moving_participants_after_a_split(register_actor, fresh_number):
    alesund = Organization.objects.get(kind="municipality", code="1508")
    haram = Organization.objects.get(kind="municipality", code="1580")
    DataProcessingAgreement.objects.create(organization=alesund, signed_on=datetime.date(2020,
                                                                                         1, 1),
                                           reference="20/1")
    user = User.objects.get(username="mona.kommuneadmin")
    RoleAssignment.objects.create(user=user, organization=alesund, role="register_user")
    actor = actor_for("mona.kommuneadmin", alesund)
    first, second = create(actor, fresh_number()), create(actor, fresh_number())
    admin = actor_for("ingrid.admin", Organization.objects.get(code="IMDI"))
    with pytest.raises(ValidationError, match="databehandleravtale|processing agreement"):
        services.participants_move(actor=admin, participant_ids=[first.pk], source=alesund,
                                   target=haram)
    services.agreement_record(actor=admin, organization=haram,
                              signed_on=datetime.date(2024, 1, 2), reference="24/9")
    with pytest.raises(PermissionDenied):
        services.participants_move(actor=actor, participant_ids=[first.pk], source=alesund,
                                   target=haram)
    moved = services.participants_move(actor=admin, participant_ids=[first.pk, 999999],
                                       source=alesund, target=haram)
    assert moved == 1
    first.refresh_from_db(), second.refresh_from_db()
    assert first.organization == haram and second.organization == alesund
    event = AuditEvent.objects.get(event_type="register.participant_moved",
                                   object_id=str(first.pk))
    assert event.payload["to_organization_id"] == haram.pk
    # Both municipalities' administrators see the move in their access log.
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import login_as

    for org in (alesund, haram):
        client = Client()
        login_as(client, "mona.kommuneadmin", organization=org)
        RoleAssignment.objects.get_or_create(user=user, organization=org,
                                             role="municipality_admin", revoked_at=None)
        login_as(client, "mona.kommuneadmin", organization=org)
        rows = client.get(reverse("register:access_log")).context["rows"]
        assert any(r["event"].pk == event.pk for r in rows), org


def test_renumbered_municipalities_keep_their_participants(drammen):
    """Drammen was 3005 before 2024: its participants are found under 3301 and via 3005."""
    from organizations.selectors import organization_resolve_code

    assert organization_resolve_code("3005") == [drammen]
    assert drammen.participants.exists()


def test_folkeregisteret_document_is_read_for_the_current_name():
    document = {
        "navn": [{"erGjeldende": False, "fornavn": "Gammel", "etternavn": "Navn"},
                 {"erGjeldende": True, "fornavn": "Amina", "mellomnavn": "S.",
                  "etternavn": "Hassan"}],
        "foedsel": [{"erGjeldende": True, "foedselsdato": "1990-05-17"}],
    }
    assert person_from_folkeregisteret(document) == Person("Amina S. Hassan",
                                                           datetime.date(1990, 5, 17))
    assert person_from_folkeregisteret({}) is None


def test_the_production_adapter_refuses_plain_http():
    from django.core.exceptions import ImproperlyConfigured

    from register.population import FolkeregisteretPopulationRegister

    with pytest.raises(ImproperlyConfigured):
        FolkeregisteretPopulationRegister("http://example.test", tokens=None)


def test_an_unreachable_population_register_registers_nothing(register_actor, fresh_number):
    from register.population import PopulationRegisterUnavailable

    class Down:
        def lookup(self, national_id):
            raise PopulationRegisterUnavailable("timeout")

    number = fresh_number()
    with pytest.raises(ValidationError, match="Folkeregisteret|Population Register"):
        create(register_actor, number, register=Down())
    assert not Participant.objects.filter(national_id=number).exists()
