"""A whole reporting cycle in the browser, with axe on every page: the chief executive
opens the used-places report computed from the register, certifies exactly what it shows,
and the case officer accepts it from the round's reports."""

from __future__ import annotations

import pytest

from reporting.demo import build_reporting_demo
from reporting.models import ReportObligation, UsageSnapshot

from .conftest import ARTIFACTS, log_in, log_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_used_places_report_is_certified_and_accepted(page):
    build_reporting_demo()
    obligation = ReportObligation.objects.get(organization__code="4202", kind="used_places",
                                              round__title="Jobbsjansen 2026")
    log_in(page, "bjorn.grimstad")
    visit(page, "/rapportering/")
    assert page.url.endswith("/rapportering/rapporter/")
    page.get_by_role("link", name="Brukte plasser").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert "Fra deltakerregisteret" in page.content()
    assert page.get_by_role("table", name="Deltakere").locator("tbody tr").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reporting-used-places.png"), full_page=True)
    page.get_by_role("button", name="Attester og send inn").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert "Rapporten er attestert og sendt inn" in page.content()
    snapshot = UsageSnapshot.objects.get(obligation=obligation)
    assert snapshot.verifies()
    log_out(page)

    log_in(page, "ola.saksbehandler")
    visit(page, "/rapportering/")
    assert "/rapportering/utlysning/" in page.url
    page.get_by_role("link", name="Sendt inn").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_role("link", name="Brukte plasser").first.click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_label("Godkjenn rapporten").check()
    page.get_by_role("button", name="Lagre vurderingen").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    obligation.refresh_from_db()
    assert obligation.status == "accepted"
