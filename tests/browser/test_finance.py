"""Money in the browser, with axe on every page: the demo's advances are paid; the chief
executive certifies the used-places report and the case officer accepts it, which
settles the grant; one finance officer makes a run of what is due, another approves it,
the payment file is downloaded and the bank's status file read back; the ledger balances."""

from __future__ import annotations

import pytest
from django.utils import timezone

from finance.demo import build_finance_demo
from finance.iso20022 import pain002_for
from finance.models import JournalLine, LineStatus, PaymentRun, PlanLine
from reporting.demo import build_reporting_demo
from reporting.models import ReportObligation

from .conftest import ARTIFACTS, log_in, log_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grant_is_settled_paid_through_a_run_and_the_ledger_balances(page, tmp_path):
    build_reporting_demo()
    build_finance_demo()
    obligation = ReportObligation.objects.get(organization__code="4202", kind="used_places",
                                              round__title="Jobbsjansen 2026")
    log_in(page, "bjorn.grimstad")
    visit(page, f"/rapportering/rapporter/{obligation.pk}/")
    page.get_by_role("button", name="Attester og send inn").click()
    page.wait_for_load_state("load")
    log_out(page)
    log_in(page, "ola.saksbehandler")
    visit(page, f"/rapportering/rapporter/{obligation.pk}/")
    page.get_by_label("Godkjenn rapporten").check()
    page.get_by_role("button", name="Lagre vurderingen").click()
    page.wait_for_load_state("load")
    log_out(page)
    settlement = PlanLine.objects.get(case=obligation.case, kind="settlement")
    assert settlement.status in (LineStatus.DUE, LineStatus.SETTLED)

    log_in(page, "per.okonomi")
    visit(page, f"/okonomi/tilskudd/{obligation.case_id}/")
    page.axe.check(page)
    assert "Hvorfor: Sluttutbetaling 2026" in page.content() or \
        settlement.status == LineStatus.SETTLED
    visit(page, "/okonomi/til-utbetaling/")
    page.axe.check(page)
    if settlement.status == LineStatus.DUE:
        page.get_by_role("button", name="Lag en utbetalingskjøring").click()
        page.wait_for_load_state("load")
        page.axe.check(page)
        run = PaymentRun.objects.latest("pk")
        log_out(page)
        log_in(page, "nina.okonomi")
        visit(page, f"/okonomi/kjoringer/{run.pk}/")
        page.axe.check(page)
        page.get_by_role("button", name="Godkjenn utbetalingskjøringen").click()
        page.wait_for_load_state("load")
        page.axe.check(page)
        with page.expect_download() as download:
            page.get_by_role("link", name=f"pain001-{run.reference}.xml").click()
        data = (tmp_path / "pain001.xml")
        download.value.save_as(data)
        page.get_by_role("button", name="Merk som sendt til banken").click()
        page.wait_for_load_state("load")
        status = tmp_path / "pain002.xml"
        status.write_bytes(pain002_for(data.read_bytes(), msg_id="BANK-BROWSER",
                                       created_at=timezone.now()))
        page.get_by_label("Statusfil fra banken (pain.002 eller camt.054)").set_input_files(
            str(status))
        page.get_by_role("button", name="Les statusfilen").click()
        page.wait_for_load_state("load")
        page.axe.check(page)
        assert "1 betalt, 0 feilet" in page.content()
        settlement.refresh_from_db()
        assert settlement.status == LineStatus.PAID
    visit(page, "/okonomi/hovedbok/")
    page.axe.check(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "finance-ledger.png"), full_page=True)
    assert "<strong>nei</strong>" not in page.content()
    assert sum(JournalLine.objects.values_list("amount_ore", flat=True)) == 0
