"""Rounds in the browser: the public list and a round's page, and an administrator who
creates a round (with a mistake, corrected), sees what is missing and publishes it."""

from __future__ import annotations

import datetime

import pytest

from schemes.models import Round

from .conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_rounds_and_an_administrator_publishing_one(page):
    visit(page, "/utlysninger/")
    open_round = Round.objects.filter(status="open", historical=False).order_by("deadline")[0]
    assert open_round.title in page.content()
    visit(page, f"/utlysninger/{open_round.pk}/")

    log_in(page, "ingrid.admin")
    visit(page, "/ordninger/")
    visit(page, "/ordninger/runder/ny/")
    today = datetime.date.today()
    page.locator("#id_scheme").select_option(label="Utviklingstilskudd")
    page.locator("#id_title").fill("Utviklingstilskudd nettlesertest")
    page.locator("#id_year").fill(str(today.year + 1))
    page.locator("#id_opens_at").fill(f"{(today - datetime.timedelta(days=2)).isoformat()}T09:00")
    page.locator("#id_deadline").fill(f"{(today - datetime.timedelta(days=3)).isoformat()}"
                                      "T12:00")
    page.locator("#id_budget_frame").fill("5000000")
    page.locator("input[name=applicant_kinds][value=county]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.locator("#id_deadline").get_attribute("aria-invalid") == "true"
    page.locator("#id_deadline").fill(f"{(today + datetime.timedelta(days=60)).isoformat()}"
                                      "T23:59")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    r = Round.objects.get(title="Utviklingstilskudd nettlesertest")
    assert page.url.endswith(f"/utlysninger/{r.pk}/") and r.status == "draft"

    # No conditions yet: publishing is refused with the reason.
    page.locator("form[action$='/publiser/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    r.refresh_from_db()
    assert r.status == "draft"
    visit(page, f"/ordninger/runder/{r.pk}/endre/")
    page.locator("#id_conditions").fill("Søkeren må være en fylkeskommune.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.locator("form[action$='/publiser/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    r.refresh_from_db()
    assert r.status == "open" and r.is_open()
    visit(page, "/utlysninger/")
    assert "Utviklingstilskudd nettlesertest" in page.content()


def test_the_public_list_of_grant_recipients_is_accessible(page):
    closed = Round.objects.filter(status="closed").order_by("deadline").first()
    visit(page, f"/utlysninger/{closed.pk}/")
    visit(page, f"/utlysninger/{closed.pk}/tilskuddsmottakere/")
    assert closed.title in page.content()
