"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against the live
test server; axe-core checks every page a test visits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from shell.demo import DEMO_PASSWORD, build_demo, demo_totp_code

CHROMIUM = os.environ.get("TILSKUDD_CHROMIUM", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
    # the test itself (setting up data) are still synchronous and safe there.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Axe:
    """Runs axe-core on a page and fails the test on serious or critical violations."""

    def __init__(self):
        self.checked: list[str] = []

    def check(self, page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                'best-practice']}})"""
        )
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
        self.checked.append(page.url)
        assert not blocking, "axe: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in blocking
        ) + f" on {page.url}"


@pytest.fixture
def demo_world(purgeable_audit):
    build_demo()


@pytest.fixture
def page(browser, live_server, demo_world, request):
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", bypass_csp=True,  # bypass: to inject axe
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.axe = Axe()
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def visit(page, path: str):
    """Go to a page and check it with axe."""
    response = page.goto(path)
    page.axe.check(page)
    return response


def log_in(page, username: str, *, code: bool = True) -> None:
    visit(page, "/konto/logg-inn/")
    page.get_by_label("Brukernavn eller e-postadresse").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state("load")
    if code:
        page.axe.check(page)
        page.get_by_label("Kode").fill(demo_totp_code())
        page.get_by_role("button", name="Bekreft").click()
        page.wait_for_load_state("load")
    page.axe.check(page)


def log_out(page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
