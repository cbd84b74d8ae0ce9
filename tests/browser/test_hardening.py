"""This round's new journeys in the browser, with axe on every page: a partner accepts being
named from its to-do list; a signer withdraws before a decision; four eyes in the inbox."""

from __future__ import annotations

from decimal import Decimal

import pytest

from applications import services as application_services
from applications.models import Application, PartnerConsent
from casework import services
from organizations.models import Organization
from tests.register.conftest import actor_for

from .conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_accepts_being_named_from_the_start_page(page):
    drammen = Organization.objects.get(kind="municipality", code="3301")
    namsos = Organization.objects.get(kind="municipality", code="5007")
    draft = Application.objects.get(organization=drammen, status="draft")
    application_services.application_partner_add(actor=actor_for("eva.soknad", drammen),
                                                 application=draft, organization=namsos)
    log_in(page, "anders.namsos")
    visit(page, "/")
    page.locator("#todo-heading").wait_for()
    page.get_by_role("link", name="samarbeidspartner").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_role("button", name="Godta").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert PartnerConsent.objects.get(application=draft, organization=namsos).answer == \
        "accepted"


def test_the_chief_executive_withdraws_before_a_decision(page):
    submitted = Application.objects.get(organization__code="3301", status="submitted")
    log_in(page, "tor.kommunedirektor")
    visit(page, f"/soknader/{submitted.pk}/")
    page.get_by_role("button", name="Trekk søknaden").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


def test_the_second_officer_finds_the_proposal_waiting_and_approves_it(page):
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    submitted = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=submitted, passed=True)
    services.decision_propose(actor=ola, application=submitted, kind="commitment",
                              amount=Decimal(4_000_000), reasons="Redusert for å holde rammen.")
    log_in(page, "kari.saksbehandler")
    visit(page, "/")
    page.locator("a[href*='godkjenning=meg']").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_role("link", name=submitted.title).click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_role("button", name="Godkjenn vedtaket").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    submitted.case.refresh_from_db()
    assert submitted.case.status == "granted"


def test_the_excel_download_runs_as_a_job_with_a_page_of_its_own(page):
    """The register's Excel download opens the job page (in the test settings the task runs
    at once, so the page shows the finished file), which passes axe and offers the file."""
    log_in(page, "jonas.registrering")
    visit(page, "/register/deltakere/")
    page.get_by_role("link", name="Last ned som Excel").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert "/jobber/" in page.url
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
