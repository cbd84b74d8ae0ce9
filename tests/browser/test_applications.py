"""An application in the browser: the editor fixes what the checklist says (too few
places, own financing under 20 %), sends it for signing; the chief executive signs with
two-factor; the receipt is a PDF whose hash is the stored one. Axe on every page."""

from __future__ import annotations

import hashlib

import pytest

from applications.models import Application
from core.demo import DEMO_PASSWORD, demo_totp_code

from .conftest import log_in, log_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page):
    page.locator("main form.form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)


def test_an_editor_writes_and_the_chief_executive_signs(page):
    draft = Application.objects.get(organization__code="3301", status="draft")
    log_in(page, "eva.soknad", code=False)
    visit(page, "/soknader/")
    visit(page, f"/soknader/{draft.pk}/")
    assert page.locator("form[action$='/send/']").count() == 0  # not complete yet

    page.locator("#id_places_with_g").fill("5")
    page.locator("#id_places_without_g").fill("0")
    page.locator("#id_goals_qualitative").fill("Deltakerne opplever økt mestring.")
    page.locator("#id_knowledge_transfer").fill("Erfaringene deles i regionale nettverk.")
    page.locator("#id_budget_total").fill("-5")  # a bad value: the rest is saved
    save(page)
    assert page.locator("#id_budget_total").get_attribute("aria-invalid") == "true"
    draft.refresh_from_db()
    assert draft.content["places_with_g"] == 5
    assert "minst 10 plasser" in page.content()
    assert "Egenfinansieringen er" in page.content()

    page.locator("#id_places_with_g").fill("20")
    page.locator("#id_budget_total").fill("6000000")
    page.locator("#id_own_premises").fill("800000")
    save(page)
    page.locator("form[action$='/send/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    draft.refresh_from_db()
    assert draft.status == "for_signing"
    assert page.locator("#id_project_title").count() == 0  # frozen: no form
    log_out(page)

    log_in(page, "tor.kommunedirektor")
    visit(page, f"/soknader/{draft.pk}/")
    page.locator("form[action$='/signer/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    if "/konto/bekreft/" in page.url:  # re-authentication with the second factor
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.locator("#id_code").fill(demo_totp_code())
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")
        page.axe.check(page)
        page.locator("form[action$='/signer/'] button").click()
        page.wait_for_load_state("load")
        page.axe.check(page)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    receipt = page.request.get(f"/soknader/{draft.pk}/kvittering.pdf")
    assert receipt.body().startswith(b"%PDF")
    assert hashlib.sha256(receipt.body()).hexdigest() == draft.signature.receipt_hash
    assert draft.signature.content_hash in page.content()
