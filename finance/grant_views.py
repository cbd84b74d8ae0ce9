"""One grant's money and the decisions on it: the plan with why each amount is what it is,
the payments, the claims, the reactions (hold-back, claw-back: proposed, approved by
another officer, withdrawn, lifted), a claim recorded as paid back, and the decision
letters. Every POST goes through a bounded form; a refusal is a message, never a 500."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.reauth import reauthentication_required
from casework.letters import letter_filename
from core import files
from core.decorators import require
from core.forms import keep_draft, posted, take_drafts
from core.http import pdf_response

from . import permissions, reactions, selectors
from .models import Reaction, Receivable, kroner_to_ore
from .views import ApproveForm, can_view_money


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
