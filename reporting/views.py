"""The reporting pages: a recipient's reports with their deadlines, and the directorate's
reports of a round (due, overdue, submitted, accepted, changes requested). Every query
parameter is bounded: an unknown value means no filter, a page out of range the last."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.reauth import reauthentication_required
from accounts.roles import SIGNER_ROLES, Role
from casework.models import Case
from core import files
from core.decorators import require
from core.forms import NOTE_LENGTH, keep_draft, posted, take_drafts
from core.http import pdf_response
from organizations.models import APPLICANT_KINDS
from rules.errors import RuleError
from schemes.models import Round

from . import permissions, selectors, services, written
from .forms import WRITTEN_KINDS
from .models import (
    AccountsApproval,
    ObligationKind,
    ObligationStatus,
    ReportObligation,
    UsageSnapshot,
)

PER_PAGE = 50


def can_use_reporting(actor: Actor) -> Decision:
    """The section: a recipient's own reports, or the directorate's."""
    own = permissions.can_view_organization_obligations(actor, actor.organization)
    return own if own else permissions.can_view_round_obligations(actor)


def can_view_own_reports(actor: Actor) -> Decision:
    """A recipient's list: a municipal role in the organisation acted for."""
    if actor.organization is not None and actor.organization.pk in permissions.organizations_of(
            actor):
        return allow()
    return deny(_("This list shows an organisation's own reports; the directorate sees the "
                  "reports of a round."))


def can_certify_reports(actor: Actor) -> Decision:
    """The chief executive or a delegate of a grant recipient (each report is checked
    again in the service: its own organisation's only)."""
    if actor.organization is not None and actor.organization.kind in APPLICANT_KINDS \
            and actor.has(*SIGNER_ROLES):
        return allow()
    return deny(_("Only the organisation's chief executive or a person with delegated "
                  "authority certifies a report."))


@require(can_use_reporting)
def home_view(request):
    if can_view_own_reports(request.actor):
        return redirect("reporting:list")
    return redirect("reporting:round")


def _rows(obligations, now):
    for obligation in obligations:
        obligation.overdue_now = obligation.is_overdue(now)
        yield obligation


@require(can_view_own_reports)
def list_view(request):
    """The organisation's reports, by deadline: what is due, overdue, submitted."""
    obligations = selectors.obligations_of_organization(
        request.actor, request.actor.organization).order_by("deadline", "kind", "pk")
    page = Paginator(obligations, PER_PAGE).get_page(request.GET.get("side"))
    now = timezone.now()
    return render(request, "reporting/list.html", {
        "page": page, "rows": list(_rows(page.object_list, now)),
        "overdue": selectors.overdue_of_organization(
            request.actor, request.actor.organization, now=now).count()})


@require(permissions.can_view_round_obligations)
def round_view(request):
    """A round's reports for the directorate, with counts by status and filters."""
    rounds = list(Round.objects.filter(pk__in=ReportObligation.objects.values("round"))
                  .select_related("scheme").order_by("-deadline"))
    wanted = request.GET.get("utlysning", "")
    round_ = next((r for r in rounds if str(r.pk) == wanted), rounds[0] if rounds else None)
    status = request.GET.get("status", "")
    status = status if status in ("overdue", *ObligationStatus.values) else ""
    kind = request.GET.get("type", "")
    kind = kind if kind in ObligationKind.values else ""
    regions, region = selectors.region_filter(request.GET.get("region", ""))
    context = {"rounds": rounds, "round": round_, "status": status, "kind": kind,
               "kinds": ObligationKind.choices, "regions": regions, "region": region}
    if round_ is not None:
        now = timezone.now()
        reports = selectors.round_obligations(request.actor, round_, status=status,
                                              kind=kind, region=region, now=now)
        page = Paginator(reports.rows, PER_PAGE).get_page(request.GET.get("side"))
        # The filters but the status (for the status links), and with it (for the pages).
        base = {"utlysning": round_.pk, **({"type": kind} if kind else {}),
                **({"region": region} if region else {})}
        context.update({
            "reports": reports, "page": page, "rows": list(_rows(page.object_list, now)),
            "statuses": [(value, label, reports.counts.get(value, 0))
                         for value, label in ObligationStatus.choices],
            "query": urlencode({**base, **({"status": status} if status else {})}),
            "base_query": urlencode(base)})
    return render(request, "reporting/round.html", context)


# -- one report ---------------------------------------------------------------------------

REVIEWABLE = (ObligationStatus.SUBMITTED, ObligationStatus.RESUBMITTED)


class CertifyForm(forms.Form):
    # The fingerprint of the report as the page showed it (four eyes on what was seen).
    seen = forms.RegexField(regex=r"^[0-9a-f]{64}$", max_length=64)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=(
        ("accept", _("Accept the report")), ("changes", _("Ask for changes"))))
    comment = forms.CharField(label=_("Comment to the recipient"), required=False,
                              max_length=NOTE_LENGTH)


def obligation_visible_or_404(request, pk: int) -> ReportObligation:
    """The recipient's own report, or any for the directorate; otherwise 404."""
    obligation = get_object_or_404(
        ReportObligation.objects.select_related("organization", "round__scheme",
                                                "case__application__round"), pk=pk)
    if not permissions.can_view_organization_obligations(request.actor,
                                                         obligation.organization):
        raise Http404
    return obligation


def _participants(report, register_link: bool, attention: dict[int, str]) -> list[dict]:
    rows = []
    for p in report.participants:
        pk = int(p.reference.removeprefix("D-"))
        rows.append({"row": p, "first": p.months[0] if p.months else None,
                     "last": p.months[-1] if p.months else None, "count": len(p.months),
                     "pk": pk if register_link else None, "attention": attention.get(pk, "")})
    return rows


@require(can_use_reporting)
def detail_view(request, pk: int):
    """A report: what it covers and its deadline; for the used-places and participant
    reports, the computation from the register as it is now, with each participant; the
    certification for the signer, the review for the directorate, the certified copies."""
    obligation = obligation_visible_or_404(request, pk)
    actor = request.actor
    report, error = None, ""
    if obligation.kind in selectors.USAGE_KINDS:
        try:
            report = selectors.usage_report(obligation)
        except RuleError as exc:
            error = str(exc)
    own = actor.organization is not None and actor.organization.pk == obligation.organization_id
    pending = obligation.status in (ObligationStatus.OPEN, ObligationStatus.DRAFT,
                                    ObligationStatus.AWAITING_CERTIFICATION,
                                    ObligationStatus.CHANGES_REQUESTED)
    attention = selectors.participants_needing_attention(report) if report else {}
    context = _written_context(actor, obligation) if obligation.kind in WRITTEN_KINDS else {}
    if obligation.kind == ObligationKind.REGISTER:
        context = {"register_report": True,
                   "submissions": list(selectors.register_submissions(obligation)),
                   "can_submit_register": own and actor.has(Role.REGISTER_USER)}
    return render(request, "reporting/detail.html", {
        "obligation": obligation, "report": report, "error": error,
        "no_data": str(selectors.NO_DATA),
        "participants": _participants(report, own and actor.has(Role.REGISTER_USER),
                                      attention) if report else [],
        "attention": len(attention),
        "fingerprint": report.fingerprint() if report and report.has_data else "",
        "can_certify": bool(report and report.has_data and pending
                            and permissions.can_certify_report(actor, obligation)),
        "can_review": bool(obligation.status in REVIEWABLE
                           and permissions.can_review_reports(actor)),
        "snapshots": list(selectors.usage_snapshots(obligation)),
        "overdue": obligation.is_overdue(),
        "back": reverse("reporting:list") if can_view_own_reports(actor) and own else
        f"{reverse('reporting:round')}?utlysning={obligation.round_id}",
        "drafts": take_drafts(request, f"report:{pk}:"),
        **context})


def _written_context(actor, obligation: ReportObligation) -> dict:
    """A written report on its page: the latest version as a document; for a frozen one
    its hash (what approvers and the signer act on) and the approvals given."""
    version = selectors.report_latest_version(obligation)
    frozen = obligation.status == ObligationStatus.AWAITING_CERTIFICATION and bool(
        version and version.frozen_at)
    approvals = list(version.approvals.select_related("approved_by")) if frozen else []
    given = {a.capacity for a in approvals}
    mine = any(a.approved_by_id == actor.user.pk for a in approvals)
    approved = not obligation.accounts_two_approvers or given == set(
        AccountsApproval.Capacity.values)
    return {
        "written": True, "version": version,
        "document": selectors.report_document(obligation, version),
        "frozen": frozen, "fingerprint": version.sha256 if frozen else "",
        "approvals": approvals, "accounts_approved": approved,
        "can_write": bool(obligation.status in written.EDITABLE
                          and permissions.can_write_report(actor, obligation)),
        "can_return": bool(frozen and permissions.can_write_report(actor, obligation)),
        "can_approve": bool(frozen and obligation.accounts_two_approvers and not mine
                            and len(given) < 2
                            and permissions.can_approve_accounts(actor, obligation)),
        "capacities": [(v, label) for v, label in AccountsApproval.Capacity.choices
                       if v not in given],
        "can_certify_written": bool(frozen and approved
                                    and permissions.can_certify_report(actor, obligation)),
        "certified_versions": list(selectors.report_versions_certified(obligation)),
    }


@require(can_certify_reports)
@require_POST
@reauthentication_required
def certify_view(request, pk: int):
    obligation = obligation_visible_or_404(request, pk)
    form = posted(request, CertifyForm)
    if form is None:
        return redirect("reporting:detail", pk=pk)
    certify = (written.report_certify if obligation.kind in WRITTEN_KINDS
               else services.usage_report_certify)
    try:
        snapshot = certify(actor=request.actor, obligation=obligation,
                           seen_hash=form.cleaned_data["seen"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The report is certified and submitted. The receipt is "
                                    "e-mailed to you.") if not snapshot.late else
                         _("The report is certified and submitted after the deadline: it is "
                           "received and marked as late. The receipt is e-mailed to you."))
    return redirect("reporting:detail", pk=pk)


@require(permissions.can_review_reports)
@require_POST
def review_view(request, pk: int):
    obligation = obligation_visible_or_404(request, pk)
    form = posted(request, ReviewForm, draft_key=f"report:{pk}:review")
    if form is None:
        return redirect("reporting:detail", pk=pk)
    outcome, comment = form.cleaned_data["outcome"], form.cleaned_data["comment"]
    try:
        if outcome == "accept":
            services.report_accept(actor=request.actor, obligation=obligation, comment=comment)
        else:
            services.report_request_changes(actor=request.actor, obligation=obligation,
                                            comment=comment)
    except ValidationError as error:
        keep_draft(request, f"report:{pk}:review", request.POST)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is accepted.") if outcome == "accept" else
                         _("The recipient is asked to change the report and is e-mailed."))
    return redirect("reporting:detail", pk=pk)


@require(can_use_reporting)
def receipt_view(request, pk: int, snapshot_id: int):
    obligation = obligation_visible_or_404(request, pk)
    snapshot = get_object_or_404(UsageSnapshot, pk=snapshot_id, obligation=obligation)
    return pdf_response(files.read_or_404(snapshot.receipt_name, snapshot.receipt_sha256),
                        f"kvittering-{obligation.case.application.reference}-rapport-"
                        f"{obligation.pk}-{snapshot.pk}.pdf")


# -- one grant's reports, and a report added by the directorate ------------------------------

class ObligationAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ObligationKind.choices)
    period_start = forms.DateField(label=_("Period from"), input_formats=["%Y-%m-%d",
                                                                         "%d.%m.%Y"])
    period_end = forms.DateField(label=_("Period to"), input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    deadline = forms.DateField(label=_("Deadline (23:59 Norwegian time)"),
                               input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    reason = forms.CharField(label=_("Reason (stricter reporting)"), max_length=2000)


def _case(request, case_pk: int) -> Case:
    case = get_object_or_404(Case.objects.select_related(
        "application__organization", "application__round"), pk=case_pk)
    if not permissions.can_view_organization_obligations(request.actor,
                                                         case.application.organization):
        raise Http404
    return case


@require(can_use_reporting)
def grant_view(request, case_pk: int):
    """Every report one grant owes, by deadline; the case officer may add one."""
    case = _case(request, case_pk)
    now = timezone.now()
    obligations = (ReportObligation.objects.filter(case=case).select_related("round")
                   .order_by("deadline", "kind", "pk"))
    return render(request, "reporting/grant.html", {
        "case": case, "application": case.application,
        "rows": list(_rows(obligations, now)),
        "can_add": bool(permissions.can_add_obligation(request.actor)),
        "kinds": ObligationKind.choices,
        "drafts": take_drafts(request, f"grant:{case_pk}:")})


@require(permissions.can_add_obligation)
@require_POST
def obligation_add_view(request, case_pk: int):
    case = _case(request, case_pk)
    key = f"grant:{case_pk}:add"
    form = posted(request, ObligationAddForm, draft_key=key)
    if form is None:
        return redirect("reporting:grant", case_pk=case_pk)
    data = form.cleaned_data
    try:
        services.obligation_add(actor=request.actor, case=case, kind=data["kind"],
                                period=(data["period_start"], data["period_end"]),
                                deadline=data["deadline"], reason=data["reason"])
    except ValidationError as error:
        keep_draft(request, key, request.POST)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is added to the grant, and the recipient is "
                                    "e-mailed with the reason."))
    return redirect("reporting:grant", case_pk=case_pk)
