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


def test_the_development_grants_annual_report_is_written_approved_certified_and_accepted(page):
    """The annual report with accounts of Namsos' development grant (seed 003): the
    application editor writes it and approves the accounts as project lead, the chief
    executive approves as the superior and certifies, the case officer accepts it."""
    build_reporting_demo()
    obligation = ReportObligation.objects.get(organization__code="5007", kind="grant_report",
                                              round__title="Utviklingstilskudd 2025")
    log_in(page, "siri.namsos")
    visit(page, f"/rapportering/rapporter/{obligation.pk}/")
    page.axe.check(page)
    page.get_by_role("link", name="Skriv rapporten").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    texts = {"results_quantitative": "14 av 20 i arbeid eller utdanning.",
             "results_qualitative": "Fast samarbeid med Nav.",
             "activities": "Språkpraksis og norskopplæring.",
             "cooperation": "Nav og tre bedrifter.",
             "learning": "Tett oppfølging virker; delt i nettverket."}
    for name, value in texts.items():
        page.locator(f"[name={name}]").fill(value)
    accounts = {"grant_received": "600000", "grant_used": "600000", "actual_staff": "450000",
                "actual_measures": "225000", "actual_premises": "75000", "actual_other": "0",
                "own_financing": "150000", "other_funding": "0"}
    for name, value in accounts.items():
        page.locator(f"[name={name}]").fill(value)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_role("link", name="Fortsett å skrive").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Send til attestasjon").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    assert "Sendt til attestasjon" in page.content()
    page.get_by_label("Prosjektansvarlig", exact=True).check()
    page.get_by_role("button", name="Godkjenn regnskapet").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reporting-annual-report.png"), full_page=True)
    log_out(page)

    log_in(page, "anders.namsos")
    visit(page, f"/rapportering/rapporter/{obligation.pk}/")
    page.get_by_role("button", name="Godkjenn regnskapet").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    page.get_by_role("button", name="Attester og send inn").click()
    page.wait_for_load_state("load")
    page.axe.check(page)
    obligation.refresh_from_db()
    assert obligation.status == "submitted"
    log_out(page)

    log_in(page, "ola.saksbehandler")
    visit(page, f"/rapportering/rapporter/{obligation.pk}/")
    page.axe.check(page)
    page.get_by_label("Godkjenn rapporten").check()
    page.get_by_role("button", name="Lagre vurderingen").click()
    page.wait_for_load_state("load")
    obligation.refresh_from_db()
    assert obligation.status == "accepted"
