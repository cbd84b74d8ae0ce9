"""Schemes and rounds: publishing rules, the public list, who may apply, deadlines in
Norwegian time."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from organizations.models import Organization
from schemes import services
from schemes.models import OSLO, Round, Scheme
from schemes.selectors import round_may_apply, rounds_open
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return actor_for("ingrid.admin", Organization.objects.get(code="IMDI"))


def draft(admin, scheme_key="jobbsjansen", **extra) -> Round:
    now = timezone.now()
    data = {"scheme": Scheme.objects.get(key=scheme_key), "title": "Jobbsjansen test",
            "year": now.year + 1, "opens_at": now - datetime.timedelta(days=1),
            "deadline": now + datetime.timedelta(days=30), "budget_frame": Decimal(1_000_000),
            "conditions": "Minst 10 plasser.", "applicant_kinds": ["municipality"], **extra}
    return services.round_save(actor=admin, round_=Round(), data=data)


def test_the_demo_has_the_four_schemes_with_historical_and_relative_rounds():
    assert Scheme.objects.count() == 4
    assert Round.objects.filter(historical=True).count() == 4
    open_now = list(rounds_open())
    assert len(open_now) == 3 and any(r.closes_soon() for r in open_now)
    assert {r.scheme.key for r in Round.objects.filter(historical=False)} == {
        s.key for s in Scheme.objects.all()}  # every variant has a demo round
    assert Round.objects.filter(historical=False, status="closed").exists()
    pilot = Round.objects.get(title="Jobbsjansen – pilot per capita 2024")
    assert pilot.budget_frame == Decimal(10_600_000)
    assert {o.name.split(" ")[0] for o in pilot.named_applicants.all()} == {
        "Namsos", "Grimstad", "Sandefjord", "Ullensaker", "Færder"}
    assert pilot.deadline_local.date() == datetime.date(2024, 1, 26)


def test_a_2026_round_cannot_open_without_its_rates(admin):
    r = draft(admin)
    with pytest.raises(ValidationError, match="rates|satsene"):
        services.round_publish(actor=admin, round_=r)
    services.round_save(actor=admin, round_=r, data={
        "rate_start_with_g": Decimal(16000), "rate_start_without_g": Decimal(8000),
        "rate_base_with_g": Decimal(14500), "rate_base_without_g": Decimal(6500),
        "rates_source": "Rundskriv Q-xx/2026 punkt 5"})
    services.round_publish(actor=admin, round_=r)
    r.refresh_from_db()
    assert r.is_open() and r in rounds_open()
    assert AuditEvent.objects.filter(event_type="schemes.round_published",
                                     object_id=str(r.pk)).exists()


def test_a_published_round_keeps_its_deadline(admin):
    r = draft(admin, "utviklingstilskudd")
    services.round_publish(actor=admin, round_=r)
    with pytest.raises(ValidationError):
        services.round_save(actor=admin, round_=r,
                            data={"deadline": r.deadline + datetime.timedelta(days=1)})
    services.round_save(actor=admin, round_=r, data={"criteria": "Nye kriterier."})
    services.round_close(actor=admin, round_=r)
    r.refresh_from_db()
    assert r.status == "closed" and not r.is_open() and r.deadline <= timezone.now()


def test_only_system_administrators_manage_rounds(admin):
    r = draft(admin)
    officer = actor_for("ola.saksbehandler",
                        Organization.objects.get(code="IMDI-SOR"))
    with pytest.raises(PermissionDenied):
        services.round_publish(actor=officer, round_=r)


def test_who_may_apply():
    pilot = Round.objects.get(title="Jobbsjansen – pilot per capita 2024")
    namsos = Organization.objects.get(kind="municipality", code="5007")
    drammen = Organization.objects.get(kind="municipality", code="3301")
    assert round_may_apply(pilot, namsos) is None
    assert round_may_apply(pilot, drammen).code == "not_named"
    development = Round.objects.get(title="Utviklingstilskudd 2025")
    vestland = Organization.objects.get(kind="county", code="46")
    assert round_may_apply(development, vestland) is None
    jobbsjansen = Round.objects.get(title="Jobbsjansen 2026")
    assert round_may_apply(jobbsjansen, vestland).code == "wrong_kind"


@pytest.mark.parametrize("day", [datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)])
def test_a_deadline_on_a_daylight_saving_day_ends_at_norwegian_midnight(admin, day):
    deadline = datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=OSLO)
    r = Round(status="open", opens_at=deadline - datetime.timedelta(days=30),
              deadline=deadline)
    assert r.is_open(deadline - datetime.timedelta(minutes=1))
    assert not r.is_open(deadline)
    assert r.deadline_local.hour == 23 and r.deadline_local.minute == 59


def test_the_public_list_shows_open_rounds_and_says_who_may_apply(client):
    response = client.get(reverse("schemes:open_rounds"))
    html = response.content.decode()
    assert response.status_code == 200
    for r in rounds_open():
        assert r.title in html
    login_as(client, "knut.vestland")
    html = client.get(reverse("schemes:open_rounds")).content.decode()
    assert "kan ikke søke" in html.lower() or "cannot apply" in html.lower()


def test_a_draft_is_hidden_from_the_public(client, admin):
    r = draft(admin)
    assert client.get(reverse("schemes:round_detail", kwargs={"pk": r.pk})).status_code == 404
    login_as(client, "ingrid.admin")
    response = client.get(reverse("schemes:round_detail", kwargs={"pk": r.pk}))
    assert response.status_code == 200 and response.context["problems"]


def test_creating_a_round_through_the_form(client):
    login_as(client, "ingrid.admin")
    response = client.post(reverse("schemes:round_create"), {
        "scheme": Scheme.objects.get(key="utviklingstilskudd").pk,
        "title": "Utviklingstilskudd test", "year": "2027",
        "opens_at": "2026-12-01T09:00", "deadline": "2026-11-30T12:00",
        "budget_frame": "5000000", "applicant_kinds": ["county"], "named_codes": "9999"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "deadline" in form.errors and "named_codes" in form.errors
    response = client.post(reverse("schemes:round_create"), {
        "scheme": Scheme.objects.get(key="utviklingstilskudd").pk,
        "title": "Utviklingstilskudd test", "year": "2027",
        "opens_at": "2026-12-01T09:00", "deadline": "2027-02-19T23:59",
        "budget_frame": "5000000", "applicant_kinds": ["county"], "named_codes": "46",
        "conditions": "Vilkår."})
    r = Round.objects.get(title="Utviklingstilskudd test")
    assert response.status_code == 302
    assert r.deadline_local == datetime.datetime(2027, 2, 19, 23, 59, tzinfo=OSLO)
    assert [o.code for o in r.named_applicants.all()] == ["46"]
    assert r.status == "draft"


def test_focus_areas_and_reporting_duties_are_added_to_a_draft(client, admin):
    r = draft(admin, "utviklingstilskudd")
    login_as(client, "ingrid.admin")
    client.post(reverse("schemes:focus_area_add", kwargs={"pk": r.pk}), {
        "area-number": "4", "area-title": "Velkomsttjenester",
        "area-applicant_kinds": ["county"]})
    client.post(reverse("schemes:focus_area_add", kwargs={"pk": r.pk}), {
        "area-number": "4", "area-title": "Igjen", "area-applicant_kinds": ["county"]})
    client.post(reverse("schemes:reporting_duty_add", kwargs={"pk": r.pk}), {
        "duty-title": "Statusrapport", "duty-due_on": "2027-09-01"})
    assert [(a.number, a.applicant_kinds) for a in r.focus_areas.all()] == [(4, ["county"])]
    assert r.reporting_duties.get().due_on == datetime.date(2027, 9, 1)
    drammen = Organization.objects.get(kind="municipality", code="3301")
    assert round_may_apply(r, drammen).code == "wrong_kind"
