"""An application in the browser: the editor fixes what the checklist says (too few
places, own financing under 20 %), sends it for signing; the chief executive signs with
two-factor; the receipt is a PDF whose hash is the stored one. Axe on every page."""

from __future__ import annotations

import hashlib

import pytest

from applications.models import Application
from shell.demo import DEMO_PASSWORD, demo_totp_code

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
    page.locator("#id_budget_staff").fill("-5")  # a bad value: the rest is saved
    save(page)
    assert page.locator("#id_budget_staff").get_attribute("aria-invalid") == "true"
    draft.refresh_from_db()
    assert draft.content["places_with_g"] == 5
    assert "minst 10 plasser" in page.content()
    assert "Egenfinansieringen er" in page.content()

    page.locator("#id_places_with_g").fill("20")
    page.locator("#id_budget_staff").fill("3600000")
    page.locator("#id_own_premises").fill("500000")
    page.locator("#id_own_other").fill("300000")
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
    assert_first_page_is_not_blank(receipt.body())


def assert_first_page_is_not_blank(pdf: bytes) -> None:
    """Render page 1 with poppler's pdftoppm and check that it has ink on it."""
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "receipt.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(source),
                        str(Path(folder) / "page")], check=True)
        image = Image.open(next(Path(folder).glob("page*.png"))).convert("L")
        dark = sum(count for value, count in enumerate(image.histogram()) if value < 128)
        assert dark > 500, f"page 1 looks blank ({dark} dark pixels)"


def test_a_bad_account_number_is_refused_and_a_partner_reads_read_only(page):
    # The account number comes from the organisation's profile: its administrator keeps it.
    drammen = Application.objects.filter(organization__code="3301").first().organization
    log_in(page, "mona.kommuneadmin")
    visit(page, f"/organisasjoner/{drammen.pk}/endre/")
    page.locator("#id_account_number").fill("1234.56.78901")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.locator("#id_account_number").get_attribute("aria-invalid") == "true"
    drammen.refresh_from_db()
    assert drammen.account_number != "12345678901"
    log_out(page)

    joint = Application.objects.get(organization__code="3301", status="submitted")
    log_in(page, "maria.grimstad")
    visit(page, "/soknader/")
    assert joint.reference in page.content()
    visit(page, f"/soknader/{joint.pk}/")
    assert page.locator("form[action$='/signer/']").count() == 0
    assert page.locator("form[action$='/trekk/']").count() == 0
    assert page.locator("#id_project_title").count() == 0


def test_a_city_district_applies_for_a_development_grant_and_signs_itself(page):
    from schemes.models import Round

    round_ = Round.objects.get(scheme__key="utviklingstilskudd", historical=False)
    log_in(page, "fatima.gamleoslo")
    visit(page, f"/utlysninger/{round_.pk}/")
    page.locator(f"form[action$='/soknader/ny/{round_.pk}/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    application = Application.objects.get(round=round_, organization__code="030101")
    assert page.url.endswith(f"/soknader/{application.pk}/")
    fields = {"#id_project_title": "Psykososial støtte i Gamle Oslo",
              "#id_target_group": "Nyankomne familier i bydelen.",
              "#id_participants": "25", "#id_measures": "Samtalegrupper og veiledning.",
              "#id_expected_effects": "Bedre helse og mestring.",
              "#id_goals_quantitative": "25 deltakere fullfører.",
              "#id_goals_qualitative": "Deltakerne opplever støtte.",
              "#id_cooperation_form": "Samarbeidsavtale med helsestasjonen.",
              "#id_knowledge_transfer": "Rapport og nettverksmøter.",
              "#id_budget_staff": "800000", "#id_own_staff": "250000",
              "#id_amount_applied": "550000"}
    for selector, value in fields.items():
        page.locator(selector).fill(value)
    page.locator("#id_focus_area").select_option("1")
    page.locator("input[name=partner_kinds][value=voluntary]").check()
    save(page)
    page.locator("form[action$='/send/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.locator("form[action$='/signer/'] button").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.signature.role == "chief_executive"
