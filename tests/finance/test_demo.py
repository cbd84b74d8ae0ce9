"""The demo's money: the advances of the reporting demo's grants paid through an approved
run, so `payment_file --latest` prints a file that validates; built twice, nothing new."""

import io

import pytest
from django.core.management import call_command

from finance.demo import build_finance_demo
from finance.models import JournalLine, LineStatus, PaymentRun, PlanLine
from reporting.demo import build_reporting_demo

pytestmark = pytest.mark.django_db


def test_the_demo_pays_the_advances_and_leaves_an_approved_run():
    build_reporting_demo()
    build_finance_demo()
    run = PaymentRun.objects.get()
    assert run.approved_by.username == "nina.okonomi" and run.created_by.username == "per.okonomi"
    advance = PlanLine.objects.get(organization__code="4202", kind="advance")
    assert advance.status == LineStatus.PAID
    assert sum(JournalLine.objects.values_list("amount_ore", flat=True)) == 0
    out = io.StringIO()
    call_command("payment_file", "--latest", stdout=out)
    assert "pain.001.001.03" in out.getvalue() and run.message_id in out.getvalue()
    again = io.StringIO()
    call_command("payment_file", run.reference, stdout=again)
    assert again.getvalue() == out.getvalue()
    build_finance_demo()
    assert PaymentRun.objects.count() == 1
