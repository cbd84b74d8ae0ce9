"""The shell in a real browser: log-in with two-factor as each role, navigation,
organisation and language switches, with axe on every page."""

import pytest

from .conftest import log_in, log_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Role → (demo user, the sections the main menu must show, in order).
EXPECTED_MENU = {
    "system_admin": ("ingrid.admin", ["Start", "Saksbehandling", "Økonomi", "Rapportering",
                                      "Innsikt", "Administrasjon"]),
    "case_officer": ("ola.saksbehandler", ["Start", "Saksbehandling", "Rapportering",
                                           "Innsikt"]),
    "finance_officer": ("per.okonomi", ["Start", "Økonomi", "Rapportering"]),
    "analyst": ("aisha.analytiker", ["Start", "Innsikt"]),
    "auditor": ("lars.revisor", ["Start", "Saksbehandling", "Økonomi", "Rapportering",
                                 "Innsikt", "Administrasjon"]),
    "municipality_admin": ("mona.kommuneadmin", ["Start", "Søknader", "Deltakerregisteret",
                                                 "Rapportering", "Administrasjon"]),
    "register_user": ("jonas.registrering", ["Start", "Deltakerregisteret", "Rapportering"]),
    "chief_executive": ("tor.kommunedirektor", ["Start", "Søknader", "Rapportering"]),
    "delegated_signer": ("hilde.fullmakt", ["Start", "Søknader", "Rapportering"]),
}


def menu(page) -> list[str]:
    return page.locator("nav.main-nav a").all_inner_texts()


@pytest.mark.parametrize("role", sorted(EXPECTED_MENU))
def test_each_role_logs_in_with_two_factor_and_sees_its_menu(page, role):
    username, expected = EXPECTED_MENU[role]
    log_in(page, username)
    assert menu(page) == expected
    # Every section in the menu opens, and the page says what it is.
    for label in expected[1:]:
        page.locator("nav.main-nav").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state("load")
        page.axe.check(page)
        assert page.get_by_role("heading", level=1).inner_text() == label
    visit(page, "/konto/")
    log_out(page)
    assert "/konto/logg-inn/" in page.url


def test_an_application_editor_logs_in_with_password_only(page):
    log_in(page, "eva.soknad", code=False)
    assert menu(page) == ["Start", "Søknader", "Rapportering"]


def test_switch_organisation_and_language(page):
    log_in(page, "jonas.registrering")
    assert "3301 Drammen" in page.locator(".org-bar").inner_text()
    page.get_by_label("Jobber for").select_option(label="4202 Grimstad")
    page.get_by_role("button", name="Bytt organisasjon").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.locator("#org-select option:checked").inner_text() == "4202 Grimstad"
    assert "Grimstad" in page.get_by_role("status").first.inner_text()

    page.get_by_role("combobox", name="Språk").select_option("nn")
    page.get_by_role("button", name="Bytt språk").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("button", name="Logg ut").count() == 1
    visit(page, "/hjelp/")
    assert page.get_by_role("heading", level=1).inner_text() == "Brukarrettleiing"

    page.get_by_role("combobox", name="Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "User guide"
    # Remembered: a new page in the same browser keeps English.
    visit(page, "/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_municipality_administrator_pages(page):
    log_in(page, "mona.kommuneadmin")
    page.locator("nav.main-nav").get_by_role("link", name="Administrasjon").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_role("link", name="Brukere og roller").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.get_by_role("link", name="Eva Nilsen").count() == 1
    assert page.get_by_role("link", name="Siri Aune").count() == 0  # Namsos
    page.get_by_role("link", name="Eva Nilsen").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    visit(page, "/konto/brukere/inviter/")
    page.get_by_role("button", name="Send invitasjon").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert page.locator(".ds-validation-message").count() >= 3


def test_directorate_pages_and_public_pages(page):
    log_in(page, "ingrid.admin")
    visit(page, "/organisasjoner/")
    page.get_by_label("Navn eller nummer").fill("1507")
    page.get_by_role("button", name="Søk").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert "1580 Haram" in page.locator("#results").inner_text()
    page.get_by_role("link", name="Ålesund").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    visit(page, "/revisjonslogg/")
    assert page.locator("table tbody tr").count() > 0
    visit(page, "/administrasjon/utboks/")
    for path in ("/hjelp/", "/hjelp/sporsmal/", "/hjelp/kontakt/", "/tilgjengelighet/",
                 "/personvern/", "/finnes-ikke/"):
        visit(page, path)
    log_out(page)
    visit(page, "/konto/passord/glemt/")
