"""Small faults in a real browser (issue 10): no horizontal scroll at 390 px, no CSP
error on the log-in page, the favicon, the audit log's scrolling table reachable by
keyboard, the searchable organisation field, and what an anonymous visitor sees."""

from __future__ import annotations

import pytest

from accounts.models import RoleAssignment, User
from schemes.models import Round

from .conftest import Axe, log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_no_horizontal_scroll(page, path: str) -> None:
    visit(page, path)
    width = scroll_width(page)
    assert width <= PHONE["width"], f"{path}: {width} px wide"


def test_no_horizontal_scroll_at_390_pixels(page):
    page.set_viewport_size(PHONE)
    open_round = Round.objects.filter(status="open").order_by("id").first()
    for path in ("/", "/konto/logg-inn/", "/utlysninger/", f"/utlysninger/{open_round.pk}/",
                 "/hjelp/"):
        assert_no_horizontal_scroll(page, path)
    log_in(page, "jonas.registrering")  # two organisations: the switcher is in the header
    for path in ("/", "/register/", "/register/deltakere/", "/konto/"):
        assert_no_horizontal_scroll(page, path)


def test_no_content_security_policy_errors_on_the_log_in_page(browser, live_server,
                                                            demo_world):
    # A context that enforces the CSP (the page fixture bypasses it to inject axe).
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    try:
        for path in ("/konto/logg-inn/", "/", "/utlysninger/"):
            page.goto(path)
            page.wait_for_load_state("load")
        assert not [e for e in errors if "Content Security Policy" in e], errors
        assert not errors, errors  # the favicon is found too
    finally:
        context.close()


def test_the_favicon(page):
    visit(page, "/konto/logg-inn/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(href).headers["content-type"].startswith("image/svg+xml")
    response = page.request.get("/favicon.ico")
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")


def test_the_audit_logs_scrolling_table_is_reachable_by_keyboard(page):
    log_in(page, "ingrid.admin")
    page.set_viewport_size(PHONE)  # the table scrolls sideways here
    visit(page, "/revisjonslogg/")  # axe: scrollable-region-focusable
    region = page.locator(".table-wrap").first
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-wrap')"):
            break
    else:
        raise AssertionError("the table never took the keyboard focus")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")


def test_the_organisation_of_a_role_is_found_by_typing(page):
    log_in(page, "ingrid.admin")
    eva = User.objects.get(username="eva.soknad")
    visit(page, f"/konto/brukere/{eva.pk}/")
    field = page.get_by_label("Organisasjon", exact=True)
    assert field.evaluate("el => el.list.options.length") > 300
    field.focus()
    page.keyboard.type("4202 Grims")
    page.keyboard.type("tad")
    page.get_by_label("Rolle", exact=True).select_option("application_editor")
    page.get_by_role("button", name="Gi rolle").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert RoleAssignment.objects.active().filter(
        user=eva, organization__code="4202", role="application_editor").exists()


def test_an_anonymous_visitor_sees_the_open_rounds_and_how_to_apply(page):
    visit(page, "/")
    assert page.get_by_role("link", name="Logg inn").count() >= 1
    open_round = Round.objects.filter(status="open").order_by("deadline").first()
    page.get_by_role("link", name=open_round.title).first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    how = page.locator("section[aria-labelledby=how-heading]")
    assert how.count() == 1
    how.get_by_role("link").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert "/konto/logg-inn/" in page.url and "next=" in page.url


_ = Axe  # the fixture's checker, used through page.axe
