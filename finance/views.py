"""The finance pages: what is due, payment runs (made by one finance officer, approved by
another), the payment file, the bank's status file, a payment and the ledger (each grant's
money and the decisions on it: grant_views.py).
Every POST goes through a bounded form; a refusal is a message, never a 500."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import Decision, allow, deny
from accounts.reauth import reauthentication_required
from accounts.roles import MUNICIPAL_ROLES
from audit.events import EventType
from audit.services import audit_record
from core import files
from core.decorators import require
from core.forms import posted
from core.http import download_response
from organizations.models import Organization

from . import payers, permissions, plans, runs, selectors
from .models import (
    Account,
    Payment,
    PaymentRun,
    PlanLine,
    RunStatus,
)

PER_PAGE = 50


def can_view_money(actor) -> Decision:
    """The finance section, the case officers (reactions), or a recipient reading its own
    grants' money (each grant is checked again: its own organisation's only)."""
    allowed = permissions.can_view_finance(actor)
    if allowed:
        return allowed
    if permissions.can_propose_reaction(actor):
        return allow()
    if any(m.roles & MUNICIPAL_ROLES for m in actor.memberships):
        return allow()
    return deny(_("You see your own organisation's grants only."))


@require(permissions.can_view_finance)
def home_view(request):
    return redirect("finance:due")


class RunForm(forms.Form):
    execution_date = forms.DateField(label=_("Payment date"), input_formats=["%Y-%m-%d",
                                                                           "%d.%m.%Y"])


class ApproveForm(forms.Form):
    seen = forms.RegexField(regex=r"^[0-9a-f]{64}$", max_length=64)


class StatusFileForm(forms.Form):
    file = forms.FileField(label=_("Status file from the bank (pain.002 or camt.054)"),
                           help_text=_("XML, at most 5 MB."))


class AppropriationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    reference = forms.CharField(label=_("Reference"), max_length=200, help_text=_(
        "For example the budget proposition or the allocation letter."))


@require(permissions.can_view_finance)
def due_view(request):
    """What is due: each line with payee, grant and amount; payees held out for a changed
    account are marked, with the confirmation beside them."""
    page = Paginator(selectors.due_lines(), PER_PAGE).get_page(request.GET.get("side"))
    today = timezone.localdate()
    lines = list(page.object_list)
    held = runs.held_out_many({line.organization for line in lines}, today)
    rows = [{"line": line, "held": line.organization_id in held,
             "no_account": not line.organization.account_number} for line in lines]
    return render(request, "finance/due.html", {
        "page": page, "rows": rows, "summary": selectors.due_summary(),
        "can_manage": bool(permissions.can_manage_payments(request.actor)),
        "today": today.isoformat(), "run_form": RunForm(initial={"execution_date": today})})


@require(permissions.can_manage_payments)
@require_POST
def run_create_view(request):
    form = posted(request, RunForm)
    if form is None:
        return redirect("finance:due")
    try:
        run = runs.run_create(actor=request.actor,
                              execution_date=form.cleaned_data["execution_date"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("finance:due")
    messages.success(request, _("The payment run is made. Another finance officer approves "
                                "it."))
    return redirect("finance:run", pk=run.pk)


@require(permissions.can_manage_payments)
@require_POST
def account_confirm_view(request, org_id: int):
    organization = get_object_or_404(Organization, pk=org_id)
    runs.account_confirm(actor=request.actor, organization=organization)
    messages.success(request, _("The account is confirmed; payments to it are no longer "
                                "held out."))
    return redirect("finance:due")


@require(permissions.can_view_finance)
def runs_view(request):
    page = Paginator(selectors.runs(), PER_PAGE).get_page(request.GET.get("side"))
    return render(request, "finance/runs.html", {"page": page, "rows": page.object_list})


@require(permissions.can_view_finance)
def run_view(request, pk: int):
    run = get_object_or_404(PaymentRun.objects.select_related("created_by", "approved_by"),
                            pk=pk)
    page = Paginator(selectors.run_payments(run), PER_PAGE).get_page(request.GET.get("side"))
    actor = request.actor
    return render(request, "finance/run.html", {
        "run": run, "page": page, "rows": page.object_list,
        "can_approve": run.status == RunStatus.DRAFT
        and bool(permissions.can_approve_run(actor, run)),
        "can_change": run.status == RunStatus.DRAFT
        and bool(permissions.can_manage_payments(actor)),
        "is_creator": run.created_by_id == actor.user.pk,
        "can_send": run.status == RunStatus.FILE_MADE
        and bool(permissions.can_manage_payments(actor)),
        "can_import": run.status in (RunStatus.FILE_MADE, RunStatus.SENT)
        and bool(permissions.can_manage_payments(actor)),
        "status_form": StatusFileForm(),
        "imports": list(run.status_imports.select_related("imported_by"))})


@require(permissions.can_manage_payments)
@require_POST
def run_remove_view(request, pk: int, payment_id: int):
    run = get_object_or_404(PaymentRun, pk=pk)
    try:
        runs.run_remove_payment(actor=request.actor, run=run, payment_id=payment_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The payment is taken out of the run and is due again."))
    return redirect("finance:run", pk=pk)


@require(permissions.can_manage_payments)
@require_POST
@reauthentication_required
def run_approve_view(request, pk: int):
    run = get_object_or_404(PaymentRun, pk=pk)
    form = posted(request, ApproveForm)
    if form is None:
        return redirect("finance:run", pk=pk)
    try:
        runs.run_approve(actor=request.actor, run=run, seen=form.cleaned_data["seen"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The run is approved and its payment file is made."))
    return redirect("finance:run", pk=pk)


@require(permissions.can_manage_payments)
@require_POST
def run_sent_view(request, pk: int):
    run = get_object_or_404(PaymentRun, pk=pk)
    try:
        runs.run_mark_sent(actor=request.actor, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The run is marked as sent to the bank."))
    return redirect("finance:run", pk=pk)


@require(permissions.can_manage_payments)
def run_file_view(request, pk: int):
    """The run's pain.001: the stored bytes, checked against their hash — the same file
    every time, never a second payment."""
    run = get_object_or_404(PaymentRun, pk=pk)
    if not run.file_sha256:
        messages.error(request, _("The run has no payment file yet: it is made when the run "
                                  "is approved."))
        return redirect("finance:run", pk=pk)
    data = files.read_or_404(run.file_name, run.file_sha256)
    with transaction.atomic():
        audit_record(event_type=EventType.PAYMENT_FILE_DOWNLOADED, actor=request.actor.user,
                     organization=request.actor.organization, target=run,
                     payload={"run_id": run.pk, "sha256": run.file_sha256,
                              "bytes": len(data)})
    return download_response(data, f"pain001-{run.reference}.xml", "application/xml")


@require(permissions.can_manage_payments)
def run_vouchers_view(request, pk: int):
    """The run's payment vouchers for the state's ERP (CSV; finance/payers.py), made from
    the approved run alone: the same file every time."""
    run = get_object_or_404(PaymentRun, pk=pk)
    if run.status == RunStatus.DRAFT:
        messages.error(request, _("The vouchers are made once the run is approved."))
        return redirect("finance:run", pk=pk)
    data = payers.ERP.make(run)
    with transaction.atomic():
        audit_record(event_type=EventType.PAYMENT_FILE_DOWNLOADED, actor=request.actor.user,
                     organization=request.actor.organization, target=run,
                     payload={"run_id": run.pk, "sha256": hashlib.sha256(data).hexdigest(),
                              "bytes": len(data)})
    return download_response(data, payers.ERP.filename(run), payers.ERP.content_type)


@require(permissions.can_manage_payments)
@require_POST
def status_import_view(request, pk: int):
    form = StatusFileForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("finance:run", pk=pk)
    upload = form.cleaned_data["file"]
    if upload.size > runs.MAX_STATUS_BYTES:
        messages.error(request, _("The file is larger than 5 MB."))
        return redirect("finance:run", pk=pk)
    try:
        record = runs.status_import(actor=request.actor, data=upload.read())
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("finance:run", pk=pk)
    messages.success(request, _("The status file is read: %(paid)s paid, %(failed)s "
                                "failed.") % {"paid": record.paid, "failed": record.failed})
    return redirect("finance:run", pk=record.run_id)


@require(can_view_money)
def payment_view(request, pk: int):
    payment = get_object_or_404(Payment.objects.select_related(
        "run", "organization", "plan_line__case__application"), pk=pk)
    case = selectors.grant_or_404(request.actor, payment.plan_line.case_id)
    return render(request, "finance/payment.html", {
        "payment": payment, "line": payment.plan_line, "case": case,
        "application": case.application})


@require(permissions.can_view_finance)
def ledger_view(request):
    """The ledger's balances in all and per round, and every grant's reconciliation."""
    cases = (PlanLine.objects.values("case_id").annotate(planned=Sum("amount_ore"))
             .order_by("case_id"))
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("side"))
    ids = [row["case_id"] for row in page.object_list]
    overview = selectors.ledger_overview()
    return render(request, "finance/ledger.html", {
        "balance_rows": [(label, overview["total"][name]) for name, label in Account.choices],
        "page": page,
        "grants": selectors.reconciliations(ids),
        "appropriation_form": AppropriationForm(
            initial={"year": timezone.localdate().year + 1}),
        "can_manage": bool(permissions.can_manage_payments(request.actor))})


@require(permissions.can_manage_payments)
@require_POST
def appropriation_view(request):
    form = posted(request, AppropriationForm)
    if form is None:
        return redirect("finance:ledger")
    try:
        plans.appropriation_record(actor=request.actor, year=form.cleaned_data["year"],
                                   reference=form.cleaned_data["reference"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The appropriation for %(year)s is recorded; the year's "
                                    "payments can become due.") % {
            "year": form.cleaned_data["year"]})
    return redirect("finance:ledger")
