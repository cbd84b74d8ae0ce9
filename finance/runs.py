"""Payment runs: collect what is due, approved by a second finance officer, handed to the
bank as a pain.001 file, read back from the bank's status file.

The run is a state machine (models.RUN_TRANSITIONS): draft → approved → file made →
sent → confirmed. Approval names the run's fingerprint (its lines and total as the
approver saw them): a run changed since cannot be approved from a stale page. The file is
made from the run alone with a deterministic message id, so making it again — after a
crash, or downloading it twice — gives the same bytes, and never a second payment. A plan
line is in at most one live payment (a database constraint)."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import EventType
from audit.services import audit_record
from core import files
from organizations.models import Organization

from . import ledger
from .iso20022 import Debtor, PaymentFileError, StatusFileError, Transfer, pain001, parse_status
from .ledger import move
from .models import (
    RUN_TRANSITIONS,
    Account,
    AccountConfirmation,
    EntryKind,
    LineStatus,
    Payment,
    PaymentRun,
    PaymentStatus,
    PlanLine,
    RunStatus,
    StatusImport,
)
from .permissions import can_approve_run, can_manage_payments
from .plans import plan_refresh

MAX_RUN = 5000  # payments in one run (a bounded file; the bank takes far more)
MAX_STATUS_BYTES = 5 * 1024 * 1024


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def held_out(organization: Organization, today: datetime.date) -> bool:
    """A payee whose account changed in the last 30 days is held out of runs until a
    finance officer confirms the account (AccountConfirmation of this account number)."""
    if not organization.payout_hold(today):
        return False
    return not AccountConfirmation.objects.filter(
        organization=organization, account_number=organization.account_number,
        confirmed_at__gte=organization.account_changed_at).exists()


def held_out_many(organizations, today: datetime.date) -> set[int]:
    """Of these payees, those held out for a changed account (one query for all)."""
    changed = {o.pk: o for o in organizations if o.payout_hold(today)}
    if not changed:
        return set()
    confirmed = {(c.organization_id, c.account_number, c.confirmed_at) for c in
                 AccountConfirmation.objects.filter(organization_id__in=list(changed))}
    return {pk for pk, o in changed.items()
            if not any(org == pk and account == o.account_number and at >= o.account_changed_at
                       for org, account, at in confirmed)}


def account_confirm(*, actor, organization: Organization) -> AccountConfirmation:
    """The finance officer has checked the changed account with the recipient (by a
    channel other than the change itself) and lets payments go to it."""
    _require(can_manage_payments(actor))
    with transaction.atomic():
        confirmation = AccountConfirmation.objects.create(
            organization=organization, account_number=organization.account_number,
            confirmed_by=actor.user, confirmed_at=timezone.now())
        audit_record(event_type=EventType.PAYOUT_ACCOUNT_CONFIRMED, actor=actor.user,
                     organization=actor.organization, target=organization,
                     payload={"organization_id": organization.pk})
    return confirmation


def run_fingerprint(run: PaymentRun) -> str:
    """What the approver sees: each payment's line, payee account and amount, the total."""
    rows = list(run.payments.exclude(status=PaymentStatus.REMOVED).order_by("pk").values_list(
        "plan_line_id", "account_number", "amount_ore", "kid", "text"))
    data = {"run": run.pk, "version": run.version, "date": run.execution_date.isoformat(),
            "payments": [list(row) for row in rows]}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _refresh_totals(run: PaymentRun) -> None:
    live = run.payments.exclude(status=PaymentStatus.REMOVED)
    run.count = live.count()
    run.total_ore = sum(live.values_list("amount_ore", flat=True))
    run.fingerprint = run_fingerprint(run)
    run.save(update_fields=["count", "total_ore", "fingerprint", "version"])


def _end_to_end(line: PlanLine, run: PaymentRun) -> str:
    return f"TS-{run.pk}-{line.pk}"


def run_create(*, actor, line_ids: list[int] | None = None,
               execution_date: datetime.date | None = None) -> PaymentRun:
    """Collect due lines (all of them, or those chosen) into a new draft run; payees held
    out for a changed account are left out. Refused when nothing can be paid."""
    _require(can_manage_payments(actor))
    today = timezone.localdate()
    execution_date = execution_date or today
    if execution_date < today or execution_date > today + datetime.timedelta(days=60):
        raise ValidationError({"execution_date": _(
            "Choose a payment date from today and at most 60 days ahead.")})
    with transaction.atomic():
        due = PlanLine.objects.select_for_update().select_related(
            "organization", "case__application").filter(status=LineStatus.DUE)
        if line_ids is not None:
            due = due.filter(pk__in=line_ids[:MAX_RUN])
        found = list(due.order_by("organization__name", "pk")[:MAX_RUN])
        held = held_out_many({line.organization for line in found}, today)
        lines = [line for line in found
                 if line.organization_id not in held and line.organization.account_number]
        if not lines:
            raise ValidationError(_("Nothing due can be paid: no payment is due, or every "
                                    "payee is held out for a changed account or has no "
                                    "account number."))
        run = PaymentRun.objects.create(execution_date=execution_date, created_by=actor.user,
                                        created_at=timezone.now())
        payments = []
        for line in lines:
            application = line.case.application
            payments.append(Payment(
                run=run, plan_line=line, organization=line.organization,
                amount_ore=line.amount_ore, account_number=line.organization.account_number,
                text=f"IMDi tilskudd {application.reference} {line.label}"[:140],
                end_to_end_id=_end_to_end(line, run)))
        try:
            Payment.objects.bulk_create(payments)
        except IntegrityError:
            raise ValidationError(_("A payment in the run is already in another run. "
                                    "Reload the list of what is due.")) from None
        PlanLine.objects.filter(pk__in=[line.pk for line in lines]).update(
            status=LineStatus.IN_RUN, updated_at=timezone.now())
        _refresh_totals(run)
        audit_record(event_type=EventType.PAYMENT_RUN_CREATED, actor=actor.user,
                     organization=actor.organization, target=run,
                     payload={"run_id": run.pk, "count": run.count, "total_ore": run.total_ore})
    return run


def run_remove_payment(*, actor, run: PaymentRun, payment_id: int) -> PaymentRun:
    """Take a payment out of a draft run: its line is due again; the run's version rises
    (an approval of what was seen before is refused)."""
    _require(can_manage_payments(actor))
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.DRAFT:
            raise ValidationError(_("Only a draft run can be changed."))
        payment = run.payments.filter(pk=payment_id, status=PaymentStatus.IN_RUN).first()
        if payment is None:
            raise ValidationError(_("The payment is not in the run."))
        payment.status = PaymentStatus.REMOVED
        payment.save(update_fields=["status"])
        PlanLine.objects.filter(pk=payment.plan_line_id).update(status=LineStatus.DUE,
                                                                updated_at=timezone.now())
        run.version += 1
        _refresh_totals(run)
        audit_record(event_type=EventType.PAYMENT_RUN_CHANGED, actor=actor.user,
                     organization=actor.organization, target=run,
                     payload={"run_id": run.pk, "count": run.count, "total_ore": run.total_ore})
    return run


def _step(run: PaymentRun, to: str) -> None:
    if to not in RUN_TRANSITIONS[run.status]:
        raise ValidationError(_("A run that is “%(from)s” cannot become “%(to)s”.") % {
            "from": RunStatus(run.status).label, "to": RunStatus(to).label})
    run.status = to


def run_approve(*, actor, run: PaymentRun, seen: str) -> PaymentRun:
    """A second finance officer approves exactly the run they saw (re-authenticated in the
    view); the payment file is made at once."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        _require(can_approve_run(actor, run))
        if run.status != RunStatus.DRAFT:
            raise ValidationError(_("The run is already approved."))
        if not seen or seen != run.fingerprint or seen != run_fingerprint(run):
            raise ValidationError(_("The run changed after you opened it. Nothing is "
                                    "approved: read the run again."))
        if not run.count:
            raise ValidationError(_("The run has no payments."))
        _step(run, RunStatus.APPROVED)
        run.approved_by, run.approved_at = actor.user, timezone.now()
        run.message_id = f"TILSKUDD-{run.pk}-{run.version}"
        run.save(update_fields=["status", "approved_by", "approved_at", "message_id"])
        audit_record(event_type=EventType.PAYMENT_RUN_APPROVED, actor=actor.user,
                     organization=actor.organization, target=run,
                     payload={"run_id": run.pk, "count": run.count, "total_ore": run.total_ore,
                              "fingerprint": run.fingerprint})
    return run_make_file(run=run)


def debtor() -> Debtor:
    """The directorate as payer (settings.TILSKUDD_PAYER)."""
    payer = settings.TILSKUDD_PAYER
    return Debtor(name=payer["name"], org_number=payer["org_number"],
                  account=payer["account"], bic=payer["bic"])


def payment_file_bytes(run: PaymentRun) -> bytes:
    """The run's pain.001, made from the run alone: the same bytes every time."""
    payments = run.payments.exclude(status=PaymentStatus.REMOVED).select_related(
        "organization").order_by("pk")
    transfers = [Transfer(end_to_end_id=p.end_to_end_id, amount=p.amount,
                          creditor_name=p.organization.official_name[:70],
                          creditor_org_number=p.organization.org_number,
                          creditor_account=p.account_number, kid=p.kid, text=p.text)
                 for p in payments]
    return pain001(msg_id=run.message_id, created_at=run.approved_at,
                   execution_date=run.execution_date, debtor=debtor(), transfers=transfers)


def run_make_file(*, run: PaymentRun) -> PaymentRun:
    """Make and store the approved run's payment file (again after a crash: the same)."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.APPROVED:
            return run
        try:
            data = payment_file_bytes(run)
        except PaymentFileError as error:
            raise ValidationError(str(error)) from None
        name = f"pain001-{run.reference}.xml"
        run.file_name, run.file_sha256 = files.store("payment-files", name, data)
        _step(run, RunStatus.FILE_MADE)
        run.file_made_at = timezone.now()
        run.save(update_fields=["status", "file_name", "file_sha256", "file_made_at"])
    return run


def run_mark_sent(*, actor, run: PaymentRun) -> PaymentRun:
    """The finance officer has handed the file to the bank."""
    _require(can_manage_payments(actor))
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        _step(run, RunStatus.SENT)
        run.sent_at = timezone.now()
        run.save(update_fields=["status", "sent_at"])
        run.payments.filter(status=PaymentStatus.IN_RUN).update(status=PaymentStatus.SENT)
        audit_record(event_type=EventType.PAYMENT_RUN_SENT, actor=actor.user,
                     organization=actor.organization, target=run,
                     payload={"run_id": run.pk, "count": run.count, "total_ore": run.total_ore})
    return run


def status_import(*, actor, data: bytes) -> StatusImport:
    """Read the bank's status file (pain.002 or camt.054): each payment named by its
    EndToEndId becomes paid (its line paid, the ledger moved) or failed (its line due
    again, with the bank's reason). A file already read, malformed, or naming payments we
    never sent is refused and changes nothing."""
    _require(can_manage_payments(actor))
    if len(data) > MAX_STATUS_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    try:
        report = parse_status(data)
    except StatusFileError as error:
        raise ValidationError(str(error)) from None
    sha256 = hashlib.sha256(data).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        if StatusImport.objects.filter(sha256=sha256).exists():
            raise ValidationError(_("This status file has been read before. Nothing is "
                                    "changed."))
        ids = [line.end_to_end_id for line in report.lines]
        payments = {p.end_to_end_id: p for p in Payment.objects.select_for_update()
                    .select_related("plan_line__case__application", "run")
                    .filter(end_to_end_id__in=ids)}
        unknown = [i for i in ids if i not in payments]
        if unknown or not ids:
            raise ValidationError(_("The file names payments this system did not send "
                                    "(%(ids)s). Nothing is changed.") % {
                "ids": ", ".join(unknown[:5]) or "–"})
        runs = {p.run_id for p in payments.values()}
        if len(runs) != 1:
            raise ValidationError(_("The file answers more than one payment run. Nothing is "
                                    "changed."))
        run = PaymentRun.objects.select_for_update().get(pk=runs.pop())
        if run.status not in (RunStatus.SENT, RunStatus.FILE_MADE, RunStatus.CONFIRMED):
            raise ValidationError(_("The run has not been sent to the bank."))
        paid = failed = 0
        for line in report.lines:
            payment = payments[line.end_to_end_id]
            if line.outcome == "paid" and payment.status in (PaymentStatus.SENT,
                                                             PaymentStatus.IN_RUN):
                _paid(payment, actor=actor, now=now)
                paid += 1
            elif line.outcome == "failed" and payment.status in (PaymentStatus.SENT,
                                                                 PaymentStatus.IN_RUN):
                _failed(payment, f"{line.reason_code} {line.reason_text}".strip())
                failed += 1
        if run.status == RunStatus.FILE_MADE:
            _step(run, RunStatus.SENT)
            run.sent_at = now
        if not run.payments.filter(status__in=(PaymentStatus.SENT, PaymentStatus.IN_RUN)
                                   ).exists() and run.status == RunStatus.SENT:
            _step(run, RunStatus.CONFIRMED)
            run.confirmed_at = now
        run.save(update_fields=["status", "sent_at", "confirmed_at"])
        record = StatusImport.objects.create(
            kind=report.kind, message_id=report.message_id[:35], sha256=sha256, run=run,
            paid=paid, failed=failed, imported_by=actor.user, imported_at=now)
        audit_record(event_type=EventType.PAYMENT_STATUS_IMPORTED, actor=actor.user,
                     organization=actor.organization, target=run,
                     payload={"run_id": run.pk, "paid": paid, "failed": failed,
                              "kind": report.kind})
    # A settlement waits for its advance to be paid: look again at the grants paid now.
    for case in {p.plan_line.case_id: p.plan_line.case for p in payments.values()}.values():
        plan_refresh(case=case, actor=actor)
    return record


def _paid(payment: Payment, *, actor, now) -> None:
    payment.status, payment.paid_at = PaymentStatus.PAID, now
    payment.save(update_fields=["status", "paid_at"])
    line = payment.plan_line
    PlanLine.objects.filter(pk=line.pk).update(status=LineStatus.PAID, updated_at=now)
    ledger.post(kind=EntryKind.PAID, key=f"paid:{payment.pk}", case=line.case,
                grant_year=line.grant_year, plan_line=line, payment=payment,
                lines=move(Account.PAYABLE, Account.PAID, payment.amount_ore),
                text=f"{line.label} betalt", prepared_by=payment.run.created_by,
                approved_by=payment.run.approved_by)


def _failed(payment: Payment, reason: str) -> None:
    payment.status, payment.failure_reason = PaymentStatus.FAILED, reason[:300]
    payment.save(update_fields=["status", "failure_reason"])
    PlanLine.objects.filter(pk=payment.plan_line_id).update(status=LineStatus.DUE,
                                                            updated_at=timezone.now())
