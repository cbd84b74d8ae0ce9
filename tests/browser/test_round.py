"""A whole round in the browser, with axe on every page: four submitted applications —
one late (rejected as late, then appealed in time), one refused, two granted within the
frame; the grant letter is rendered; the municipality accepts one grant and the other
lapses by the nightly job."""

from __future__ import annotations

import datetime

import pytest

from applications import services as application_services
from applications.demo import CONTENT
from applications.models import Application
from casework import services
from organizations.models import Organization
from schemes.models import Round
from tests.register.conftest import actor_for

from .conftest import log_in, log_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def case_page(page, application):
    visit(page, f"/saksbehandling/soknader/{application.pk}/")


def click(page, selector):
    page.locator(selector).click()
    page.wait_for_load_state("load")
    page.axe.check(page)


def test_a_whole_round_from_submitted_to_accepted_and_lapsed(page):
    round_ = Round.objects.get(title="Jobbsjansen 2026", historical=True)
    drammen_app = Application.objects.get(organization__code="3301", status="submitted")
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    namsos = Organization.objects.get(kind="municipality", code="5007")
    late = application_services.application_register_late(
        actor=ola, round_=round_, organization=namsos, project_title="Jobbsjansen Namsos",
        received_at=round_.deadline + datetime.timedelta(days=2))
    others = {}
    for code in ("4202", "030101"):
        org = Organization.objects.get(code=code)
        others[code] = Application.objects.create(
            round=round_, organization=org, status="submitted", content=CONTENT,
            submitted_at=round_.deadline - datetime.timedelta(days=1))
    refused, lapsing = others["4202"], others["030101"]

    # The case officer screens all four and proposes the decisions.
    log_in(page, "ola.saksbehandler")
    visit(page, f"/saksbehandling/?utlysning={round_.pk}")
    assert page.locator("tbody tr").count() == 4
    case_page(page, late)
    page.locator("#outcome-rejected").check()
    page.locator("#reject-reason").select_option("late")
    page.locator("#reject-text").fill("Søknaden kom to dager etter fristen.")
    click(page, "form[action$='/formell-kontroll/'] button")
    for application in (drammen_app, refused, lapsing):
        case_page(page, application)
        page.locator("#outcome-passed").check()
        click(page, "form[action$='/formell-kontroll/'] button")
    case_page(page, refused)
    page.locator("#kind-refusal").check()
    page.locator("#decision-reasons").fill("Svakere enn de andre søknadene på alle kriterier.")
    click(page, "form[action$='/vedtak/'] button")
    for application, amount in ((drammen_app, "4000000"), (lapsing, "3000000")):
        case_page(page, application)
        page.locator("#kind-commitment").check()
        page.locator("#decision-amount").fill(amount)
        page.locator("#decision-reasons").fill("Tilpasset budsjettrammen for utlysningen.")
        click(page, "form[action$='/vedtak/'] button")
    visit(page, f"/saksbehandling/utlysninger/{round_.pk}/vurderinger/")
    log_out(page)

    # Another officer approves (four eyes); letters go out.
    log_in(page, "kari.saksbehandler")
    for application in (refused, drammen_app, lapsing):
        case_page(page, application)
        click(page, "form[action$='/godkjenn/'] button")
    statuses = {a.pk: a.case.status for a in Application.objects.filter(
        pk__in=[late.pk, refused.pk, drammen_app.pk, lapsing.pk]).select_related("case")}
    assert statuses == {late.pk: "rejected", refused.pk: "refused",
                        drammen_app.pk: "granted", lapsing.pk: "granted"}
    letter = drammen_app.case.letters.get(kind="grant")
    assert page.request.get(
        f"/saksbehandling/soknader/{drammen_app.pk}/brev/{letter.pk}/").body()[:4] == b"%PDF"
    log_out(page)

    # Drammen accepts its grant.
    log_in(page, "tor.kommunedirektor")
    visit(page, f"/soknader/{drammen_app.pk}/")
    click(page, "form[action$='/aksepter/'] button")
    log_out(page)

    # Namsos appeals the rejection in time.
    log_in(page, "siri.namsos")
    visit(page, f"/soknader/{late.pk}/")
    page.locator("#appeal-received").fill(datetime.date.today().isoformat())
    page.locator("#appeal-text").fill("Søknaden ble sendt i tide, men kom bort i posten.")
    click(page, "form[action$='/klage/'] button")
    assert late.case.appeals.get().in_time

    # The nightly job: the grant not accepted lapses; the accepted one stays.
    accept_by = lapsing.case.decision.accept_by
    assert services.grants_lapse_due(today=accept_by + datetime.timedelta(days=1)) == 1
    lapsing.case.refresh_from_db()
    drammen_app.case.refresh_from_db()
    assert lapsing.case.status == "lapsed" and drammen_app.case.status == "accepted"
