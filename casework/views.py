"""Case handling: the inbox per round and the case page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.reauth import reauthentication_required
from applications.checks import application_checklist
from applications.forms import ApplicationForm
from applications.models import Application, Status
from core import files
from core.decorators import require
from core.forms import keep_draft, posted, take_drafts
from core.http import download_response, pdf_response
from schemes.models import Round

from . import forms, selectors, services
from .letters import letter_filename
from .models import SCORES, Appeal, CaseStatus, ChangeRequest, Criterion, Letter, RejectionReason
from .permissions import can_view_cases, can_work_cases


def _submitted(pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("round__scheme", "organization"), pk=pk)
    # A withdrawal after submission stays visible to the directorate.
    if application.status != Status.SUBMITTED and not (
            application.status == Status.WITHDRAWN and application.submitted_at is not None):
        raise Http404
    return application


@require(can_view_cases)
def inbox_view(request):
    """The round's cases, 50 a page; counts, sums, sorting and filters in SQL. Every query
    parameter is bounded: an unknown value means no filter, a page out of range the last
    page."""
    rounds = list(selectors.rounds_with_applications())
    wanted = request.GET.get("utlysning", "")
    round_ = next((r for r in rounds if str(r.pk) == wanted), rounds[0] if rounds else None)
    regions = list(selectors.regional_offices())
    filters = selectors.InboxFilters.from_query(request.GET, {o.pk for o in regions})
    page, totals = (selectors.inbox_page(round_, filters, user=request.user,
                                         page=request.GET.get("side"), regions=regions)
                    if round_ else (None, None))
    query = {"utlysning": round_.pk, **filters.as_query()} if round_ else {}
    return render(request, "casework/inbox.html", {
        "rounds": rounds, "round": round_, "page": page, "totals": totals,
        "rows": page.object_list if page else [], "regions": regions, "filters": filters,
        "statuses": [(value, label, totals.per_status[value] if totals else 0)
                     for value, label in CaseStatus.choices],
        "page_links": selectors.page_links(page) if page else [],
        "query": urlencode(query),
    })


@require(can_view_cases)
def case_view(request, pk: int):
    application = _submitted(pk)
    form = ApplicationForm(round_=application.round)
    labels = {name: str(field.label) for name, field in form.fields.items()}
    case = getattr(application, "case", None)
    timeline = selectors.timeline(application)
    # What was typed in a refused form, to fill it in again.
    drafts = take_drafts(request, f"case:{pk}:")
    decision = getattr(case, "decision", None) if case else None
    amount = selectors.amount_applied(application)
    appeals = list(case.appeals.all()) if case else []
    for appeal in appeals:
        appeal.draft = drafts.get(f"appeal:{appeal.pk}", {})
    changes = list(case.change_requests.all()) if case else []
    for change in changes:
        change.draft = drafts.get(f"change:{change.pk}", {})
    return render(request, "casework/case.html", {
        "application": application, "case": case,
        "rows": [(labels.get(n, n), application.content.get(n)) for n in labels],
        "checklist": application_checklist(application),
        "amount": amount,
        "proposal": _proposal_form(decision, amount, drafts.get("propose", {})),
        "attachments": application.attachments.defer("data"),
        "versions": application.versions.select_related("saved_by")[:20],
        "timeline": timeline, "last_step": timeline[-1] if timeline else None,
        "notes": case.notes.select_related("author") if case else [],
        "officers": selectors.officers(), "region": application.organization.region(),
        "can_work": can_work_cases(request.actor),
        "signature": getattr(application, "signature", None),
        "screening": selectors.screening_facts(application),
        "reasons": RejectionReason.choices,
        "letters": case.letters.all() if case else [],
        "criteria": _criteria_with_mine(case, request.user, drafts.get("assess", {})),
        "assessments": case.assessments.select_related("assessor") if case else [],
        "decision": decision, "appeals": appeals, "changes": changes,
        "outcomes": Appeal.Outcome.choices,
        "committed": selectors.committed_in_round(application.round),
        "drafts": drafts,
    })


def _criteria_with_mine(case, user, draft: dict):
    """Each criterion with the user's saved score — or what they typed in a refused form."""
    mine = {a.criterion: a for a in case.assessments.filter(assessor=user)} if case else {}
    rows = []
    for value, label in Criterion.choices:
        saved = mine.get(value)
        if draft:
            score = draft.get(f"score_{value}", "")
            text = draft.get(f"justification_{value}", "")
        else:
            score = str(saved.score) if saved else ""
            text = saved.justification if saved else ""
        rows.append((value, label, saved, score, text))
    return rows


def _proposal_form(decision, amount, draft: dict) -> dict:
    """What the proposal form shows: what was typed in a refused form, else the pending
    proposal (so a new proposal starts from it), else the amount applied for."""
    if draft:
        return draft
    if decision is not None and not decision.approved:
        return {"kind": decision.kind,
                "amount": "" if decision.amount is None else f"{decision.amount:.0f}",
                "years": str(decision.years), "conditions": decision.conditions,
                "reasons": decision.reasons}
    return {"kind": "", "amount": "" if amount is None else f"{amount:.0f}", "years": "1",
            "conditions": "", "reasons": ""}


@require(can_work_cases)
@require_POST
def assign_view(request, pk: int):
    application = _submitted(pk)
    form = posted(request, forms.AssignForm)
    if form is None:
        return redirect("casework:case", pk=pk)
    value = form.cleaned_data["officer"]
    if value == "me":
        user = request.user
    elif value:
        user = get_object_or_404(User, pk=value)
    else:
        user = None
    try:
        services.case_assign(actor=request.actor, application=application, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is assigned.") if user else
                         _("The case is unassigned."))
    return redirect("casework:case", pk=pk)


@require(can_work_cases)
@require_POST
def note_view(request, pk: int):
    application = _submitted(pk)
    form = posted(request, forms.NoteForm, draft_key=f"case:{pk}:note")
    if form is None:
        return redirect("casework:case", pk=pk)
    try:
        services.case_note_add(actor=request.actor, application=application,
                               text=form.cleaned_data["text"])
    except ValidationError as error:
        keep_draft(request, f"case:{pk}:note", request.POST)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The note is saved."))
    return redirect("casework:case", pk=pk)


@require(can_view_cases)
def attachment_view(request, pk: int, attachment_id: int):
    application = _submitted(pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    return download_response(files.read_or_404(attachment.file, attachment.sha256),
                             attachment.name, attachment.content_type)


@require(can_view_cases)
def receipt_view(request, pk: int):
    application = _submitted(pk)
    signature = getattr(application, "signature", None)
    if signature is None:
        raise Http404
    return pdf_response(files.read_or_404(signature.receipt_file, signature.receipt_hash),
                        f"kvittering-{application.reference}.pdf")


@require(can_work_cases)
@require_POST
def screen_view(request, pk: int):
    application = _submitted(pk)
    form = posted(request, forms.ScreenForm, draft_key=f"case:{pk}:screen")
    if form is None:
        return redirect("casework:case", pk=pk)
    outcome = form.cleaned_data["outcome"]
    try:
        services.case_screen(actor=request.actor, application=application,
                             passed=outcome == "passed", reason=form.cleaned_data["reason"],
                             reason_text=form.cleaned_data["reason_text"])
    except ValidationError as error:
        keep_draft(request, f"case:{pk}:screen", request.POST)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application goes on to assessment.")
                         if outcome == "passed" else
                         _("The application is rejected and the letter is sent."))
    return redirect("casework:case", pk=pk)


@require(can_view_cases)
def letter_view(request, pk: int, letter_id: int):
    application = _submitted(pk)
    letter = get_object_or_404(Letter, pk=letter_id, case__application=application)
    return pdf_response(files.read_or_404(letter.file, letter.sha256),
                        letter_filename(letter, application))


@require(can_work_cases)
@require_POST
def assess_view(request, pk: int):
    application = _submitted(pk)
    form = posted(request, forms.AssessForm, draft_key=f"case:{pk}:assess")
    if form is None:
        return redirect("casework:case", pk=pk)
    scores = form.scores()
    if not scores:
        keep_draft(request, f"case:{pk}:assess", request.POST)
        messages.error(request, _("Give a score for at least one criterion."))
        return redirect("casework:case", pk=pk)
    try:
        services.case_assess(actor=request.actor, application=application, scores=scores)
    except ValidationError as error:
        keep_draft(request, f"case:{pk}:assess", request.POST)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your assessment is saved."))
    return redirect("casework:case", pk=pk)


@require(can_view_cases)
def summary_view(request, round_pk: int):
    round_ = get_object_or_404(Round, pk=round_pk)
    return render(request, "casework/summary.html", {
        "round": round_, "rows": selectors.assessment_summary(round_),
        "criteria": Criterion.choices, "scores": SCORES})


@require(can_work_cases)
@require_POST
@reauthentication_required
def propose_view(request, pk: int):
    application = _submitted(pk)
    form = posted(request, forms.ProposeForm, draft_key=f"case:{pk}:propose")
    if form is None:
        return redirect("casework:case", pk=pk)
    data = form.cleaned_data
    try:
        services.decision_propose(actor=request.actor, application=application,
                                  kind=data["kind"], amount=data["amount"], years=data["years"],
                                  conditions=data["conditions"], reasons=data["reasons"])
    except ValidationError as error:
        keep_draft(request, f"case:{pk}:propose", request.POST)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision is proposed. Another case officer "
                                    "approves it."))
    return redirect("casework:case", pk=pk)


@require(can_work_cases)
@require_POST
@reauthentication_required
def approve_view(request, pk: int):
    application = _submitted(pk)
    form = posted(request, forms.ApproveForm)
    if form is None:
        return redirect("casework:case", pk=pk)
    try:
        services.decision_approve(actor=request.actor, application=application,
                                  seen=form.cleaned_data["seen"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision is approved and the letter is sent."))
    return redirect("casework:case", pk=pk)


@require(can_work_cases)
@require_POST
def extend_view(request, pk: int):
    application = _submitted(pk)
    form = posted(request, forms.ExtendForm, draft_key=f"case:{pk}:extend")
    if form is None:
        return redirect("casework:case", pk=pk)
    try:
        services.acceptance_extend(actor=request.actor, application=application,
                                   accept_by=form.cleaned_data["accept_by"],
                                   reason=form.cleaned_data["reason"])
    except ValidationError as error:
        keep_draft(request, f"case:{pk}:extend", request.POST)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The deadline for acceptance is extended."))
    return redirect("casework:case", pk=pk)


@require(can_work_cases)
@require_POST
def appeal_action_view(request, pk: int, appeal_id: int):
    application = _submitted(pk)
    appeal = get_object_or_404(Appeal, pk=appeal_id, case__application=application)
    key = f"case:{pk}:appeal:{appeal.pk}"
    form = posted(request, forms.AppealActionForm, draft_key=key)
    if form is None:
        return redirect("casework:case", pk=pk)
    try:
        if form.cleaned_data["action"] == "forward":
            services.appeal_forward(actor=request.actor, appeal=appeal,
                                    preparation=form.cleaned_data["preparation"])
            messages.success(request, _("The appeal is forwarded to the ministry."))
        else:
            services.appeal_decide(actor=request.actor, appeal=appeal,
                                   outcome=form.cleaned_data["outcome"])
            messages.success(request, _("The outcome of the appeal is recorded."))
    except ValidationError as error:
        keep_draft(request, key, request.POST)
        for message in error.messages:
            messages.error(request, message)
    return redirect("casework:case", pk=pk)


@require(can_work_cases)
@require_POST
def change_decide_view(request, pk: int, change_id: int):
    application = _submitted(pk)
    change = get_object_or_404(ChangeRequest, pk=change_id, case__application=application)
    key = f"case:{pk}:change:{change.pk}"
    form = posted(request, forms.ChangeDecideForm, draft_key=key)
    if form is None:
        return redirect("casework:case", pk=pk)
    try:
        services.change_request_decide(actor=request.actor, change=change,
                                       consent=form.cleaned_data["answer"] == "consent",
                                       response=form.cleaned_data["response"])
    except ValidationError as error:
        keep_draft(request, key, request.POST)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The change request is answered and the letter is sent."))
    return redirect("casework:case", pk=pk)
