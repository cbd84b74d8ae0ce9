"""Demo: the money of the reporting demo's grants (``manage.py demo_seed``; demo mode only).

The grants' advances and terms are due when the grants are accepted. Here Per makes a
payment run of them, Nina approves it (four eyes), the file is made, the run is sent and
the bank's answer — made by the local stand-in for the bank (finance.iso20022.pain002_for)
— is read: the advances are paid. So on a fresh demo ``manage.py payment_file --latest``
prints a payment file, and a used-places report accepted in the browser settles its grant
at once (the settlement waits for the advance to be paid)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.actor import Actor
from accounts.models import User
from accounts.selectors import user_memberships
from organizations.models import Organization

from . import runs
from .iso20022 import pain002_for
from .models import LineStatus, PaymentRun, PlanLine

# Made-up account numbers with valid check digits for the demo's grant recipients.
DEMO_ACCOUNTS = {"4202": "15032080119", "5007": "97100411117"}


def _actor(username: str) -> Actor:
    user = User.objects.get(username=username)
    memberships = user_memberships(user)
    current = memberships[0]
    return Actor(user=user, organization=current.organization, roles=current.roles,
                 memberships=memberships)


def build_finance_demo() -> None:
    if PaymentRun.objects.exists() or not PlanLine.objects.filter(
            status=LineStatus.DUE).exists():
        return
    for code, account in DEMO_ACCOUNTS.items():
        Organization.objects.filter(kind="municipality", code=code, account_number="").update(
            account_number=account, account_changed_at=None)
    per, nina = _actor("per.okonomi"), _actor("nina.okonomi")
    with transaction.atomic():
        run = runs.run_create(actor=per)
        run = runs.run_approve(actor=nina, run=run, seen=run.fingerprint)
        runs.run_mark_sent(actor=per, run=run)
        answer = pain002_for(runs.payment_file_bytes(run), msg_id=f"DEMOBANK-{run.pk}",
                             created_at=timezone.now())
        runs.status_import(actor=per, data=answer)
