"""A case officer's inbox and case page in the browser, with axe."""

from __future__ import annotations

import pytest

from applications.models import Application

from .conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_officer_takes_a_case_and_writes_a_note(page):
    submitted = Application.objects.get(organization__code="3301", status="submitted")
    log_in(page, "ola.saksbehandler")
    visit(page, f"/saksbehandling/?utlysning={submitted.round_id}")
    assert submitted.title in page.content()
    visit(page, f"/saksbehandling/soknader/{submitted.pk}/")
    page.locator("#assign-officer").select_option("me")
    page.locator("form[action$='/tildel/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.locator("#note-text").fill("Ringte kommunen om budsjettet.")
    page.locator("form[action$='/notat/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert "Ringte kommunen om budsjettet." in page.content()
    submitted.refresh_from_db()
    assert submitted.case.assigned_to.username == "ola.saksbehandler"
    visit(page, f"/saksbehandling/?utlysning={submitted.round_id}&tildelt=me")
    assert submitted.title in page.content()


def test_a_case_officer_rejects_an_application_with_a_letter(page):
    submitted = Application.objects.get(organization__code="3301", status="submitted")
    log_in(page, "ola.saksbehandler")
    visit(page, f"/saksbehandling/soknader/{submitted.pk}/")
    page.locator("#outcome-rejected").check()
    page.locator("#reject-reason").select_option("conditions")
    page.locator("#reject-text").fill("Egenfinansieringen er under 20 %.")
    page.locator("form[action$='/formell-kontroll/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    submitted.refresh_from_db()
    letter = submitted.case.letters.get()
    response = page.request.get(f"/saksbehandling/soknader/{submitted.pk}/brev/{letter.pk}/")
    assert response.body() == letter.read_pdf()
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("load")

    # The municipality appeals in time; the directorate forwards; the ministry reverses.
    import datetime

    log_in(page, "tor.kommunedirektor")
    visit(page, f"/soknader/{submitted.pk}/")
    page.locator("#appeal-received").fill(datetime.date.today().isoformat())
    page.locator("#appeal-text").fill("Egenfinansieringen er over 20 prosent; se budsjettet.")
    page.locator("form[action$='/klage/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    appeal = submitted.case.appeals.get()
    assert appeal.in_time
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("load")

    # Another officer (a second log-in within the same 30 s would reuse Ola's code, which
    # two-factor log-in refuses as a replay).
    log_in(page, "kari.saksbehandler")
    visit(page, f"/saksbehandling/soknader/{submitted.pk}/")
    page.locator(f"#prep-{appeal.pk}").fill("Direktoratet har vurdert klagen og oversender den.")
    page.locator(f"form[action$='/klager/{appeal.pk}/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.locator(f"#outcome-{appeal.pk}").select_option("reversed")
    page.locator(f"form[action$='/klager/{appeal.pk}/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    submitted.case.refresh_from_db()
    assert submitted.case.status == "in_assessment"


def test_a_case_officer_passes_the_screening_and_assesses(page):
    submitted = Application.objects.get(organization__code="3301", status="submitted")
    log_in(page, "ola.saksbehandler")
    visit(page, f"/saksbehandling/soknader/{submitted.pk}/")
    page.locator("#outcome-passed").check()
    page.locator("form[action$='/formell-kontroll/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.locator("#score-purpose").select_option("5")
    page.locator("#just-purpose").fill("Treffer målgruppen og formålet godt.")
    page.locator("form[action$='/vurdering/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert submitted.case.assessments.get().score == 5
    visit(page, f"/saksbehandling/utlysninger/{submitted.round_id}/vurderinger/")
    assert submitted.title in page.content()


def test_two_officers_decide_a_grant_with_four_eyes(page):
    from casework import services
    from organizations.models import Organization
    from tests.register.conftest import actor_for

    submitted = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=actor_for("ola.saksbehandler",
                                         Organization.objects.get(code="IMDI-SOR")),
                         application=submitted, passed=True)
    log_in(page, "ola.saksbehandler")
    visit(page, f"/saksbehandling/soknader/{submitted.pk}/")
    page.locator("#kind-commitment").check()
    page.locator("#decision-amount").fill("4000000")
    page.locator("#decision-reasons").fill("Redusert for å holde budsjettrammen.")
    page.locator("form[action$='/vedtak/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.locator("form[action$='/godkjenn/']").count() == 0  # not for the proposer
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("load")

    log_in(page, "kari.saksbehandler")
    visit(page, f"/saksbehandling/soknader/{submitted.pk}/")
    page.locator("form[action$='/godkjenn/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    submitted.case.refresh_from_db()
    assert submitted.case.status == "granted"
    assert submitted.case.letters.get(kind="grant").read_pdf()
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("load")

    # The chief executive accepts the grant in the portal.
    log_in(page, "tor.kommunedirektor")
    visit(page, f"/soknader/{submitted.pk}/")
    page.locator("form[action$='/aksepter/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    submitted.case.refresh_from_db()
    assert submitted.case.status == "accepted"

    # And asks to change the budget; the request waits for the directorate.
    page.locator("summary", has_text="budsjett").click()
    page.locator("#change-kind").select_option("budget")
    page.locator("#change-description").fill("Vi ønsker å flytte 200 000 kr fra lokaler til "
                                             "tiltak.")
    page.locator("form[action$='/endring/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert submitted.case.change_requests.get().status == "pending"
