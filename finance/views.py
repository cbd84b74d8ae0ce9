"""The finance pages: what is due, payment runs (made by one finance officer, approved by
another), the payment file, the bank's status file, each grant's money and the ledger.
Every POST goes through a bounded form; a refusal is a message, never a 500."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import Decision, allow, deny
from accounts.reauth import reauthentication_required
from accounts.roles import MUNICIPAL_ROLES
from audit.events import EventType
from audit.services import audit_record
from casework.letters import letter_filename
from core import files
from core.decorators import require
from core.forms import keep_draft, posted, take_drafts
from core.http import download_response, pdf_response
from organizations.models import Organization

from . import payers, permissions, plans, reactions, runs, selectors
from .models import (
    Account,
    Payment,
    PaymentRun,
    PlanLine,
    Reaction,
    Receivable,
    RunStatus,
    kroner_to_ore,
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


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=Reaction.Kind.choices)
    amount = forms.DecimalField(label=_("Amount to claim back (NOK)"), required=False,
                                min_value=Decimal("0.01"), max_value=Decimal(999_999_999),
                                max_digits=12, decimal_places=2, help_text=_(
                                    "For a claw-back. A hold-back holds what is not yet paid."))
    reason = forms.CharField(label=_("Reason (in the letter)"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}))


@require(can_view_money)
def grant_view(request, case_pk: int):
    """Why each krone of a grant is what it is: its plan line by line with the rule and
    its explanation, the payments, the claims, the reactions, the ledger entries and the
    reconciliation."""
    case = selectors.grant_or_404(request.actor, case_pk)
    actor = request.actor
    money = selectors.grant_money(case)
    found = list(reactions.reactions_of(case))
    for reaction in found:
        reaction.may_approve = (reaction.status == Reaction.Status.PROPOSED
                                and bool(permissions.can_approve_reaction(actor, reaction)))
        reaction.may_lift = (reaction.status == Reaction.Status.APPROVED
                             and reaction.kind == Reaction.Kind.HOLD_BACK
                             and bool(permissions.can_approve_reaction(actor, reaction)))
    can_propose = bool(permissions.can_propose_reaction(actor)) and case.status == "accepted"
    suggested = next((line for line in money["lines"] if line.status == "settled"
                      and Decimal(line.explanation.get("total", "0") or 0) < 0
                      and not any(r.plan_line_id == line.pk and r.status in ("proposed",
                                                                              "approved")
                                  for r in found)), None)
    return render(request, "finance/grant.html", {
        "case": case, "application": case.application, **money, "reactions": found,
        "can_propose": can_propose, "suggested": suggested,
        "suggested_amount": (-Decimal(suggested.explanation["total"])) if suggested else "",
        "drafts": take_drafts(request, f"money:{case_pk}:"),
        "can_manage": bool(permissions.can_manage_payments(actor)),
        "today": timezone.localdate().isoformat(),
        "finance": bool(permissions.can_view_finance(actor))})


@require(permissions.can_propose_reaction)
@require_POST
def reaction_propose_view(request, case_pk: int):
    case = selectors.grant_or_404(request.actor, case_pk)
    key = f"money:{case_pk}:reaction"
    form = posted(request, ReactionForm, draft_key=key)
    if form is None:
        return redirect("finance:grant", case_pk=case_pk)
    data = form.cleaned_data
    if data["kind"] == Reaction.Kind.CLAW_BACK:
        if data["amount"] is None:
            keep_draft(request, key, request.POST)
            messages.error(request, _("Give the amount to claim back."))
            return redirect("finance:grant", case_pk=case_pk)
        amount_ore = kroner_to_ore(data["amount"])
    else:
        amount_ore = reactions.unpaid_ore(case)
    try:
        reactions.reaction_propose(actor=request.actor, case=case, kind=data["kind"],
                                   amount_ore=amount_ore, reason=data["reason"])
    except ValidationError as error:
        keep_draft(request, key, request.POST)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision is proposed. Another officer approves it; "
                                    "then the letter goes out."))
    return redirect("finance:grant", case_pk=case_pk)


def _reaction(request, pk: int) -> Reaction:
    reaction = get_object_or_404(Reaction.objects.select_related("case"), pk=pk)
    selectors.grant_or_404(request.actor, reaction.case_id)
    return reaction


@require(permissions.can_propose_reaction)
@require_POST
@reauthentication_required
def reaction_approve_view(request, pk: int):
    reaction = _reaction(request, pk)
    form = posted(request, ApproveForm)
    if form is None:
        return redirect("finance:grant", case_pk=reaction.case_id)
    try:
        reactions.reaction_approve(actor=request.actor, reaction=reaction,
                                   seen=form.cleaned_data["seen"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The decision is approved, and the letter is sent to the "
                                    "recipient."))
    return redirect("finance:grant", case_pk=reaction.case_id)


@require(permissions.can_propose_reaction)
@require_POST
def reaction_withdraw_view(request, pk: int):
    reaction = _reaction(request, pk)
    try:
        reactions.reaction_withdraw(actor=request.actor, reaction=reaction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposal is withdrawn."))
    return redirect("finance:grant", case_pk=reaction.case_id)


@require(permissions.can_propose_reaction)
@require_POST
@reauthentication_required
def reaction_lift_view(request, pk: int):
    reaction = _reaction(request, pk)
    try:
        reactions.reaction_lift(actor=request.actor, reaction=reaction)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The hold-back is lifted; the held payments are due "
                                    "again."))
    return redirect("finance:grant", case_pk=reaction.case_id)


class ReceivedForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), input_formats=["%Y-%m-%d", "%d.%m.%Y"])


@require(permissions.can_manage_payments)
@require_POST
def receivable_paid_view(request, pk: int):
    receivable = get_object_or_404(Receivable, pk=pk)
    form = posted(request, ReceivedForm)
    if form is None:
        return redirect("finance:grant", case_pk=receivable.case_id)
    try:
        reactions.receivable_paid(actor=request.actor, receivable=receivable,
                                  paid_on=form.cleaned_data["paid_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The claim is recorded as paid back."))
    return redirect("finance:grant", case_pk=receivable.case_id)


@require(can_view_money)
def reaction_letter_view(request, pk: int):
    reaction = _reaction(request, pk)
    if reaction.letter is None:
        raise Http404
    letter = reaction.letter
    return pdf_response(files.read_or_404(letter.file, letter.sha256),
                        letter_filename(letter, reaction.case.application))


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
