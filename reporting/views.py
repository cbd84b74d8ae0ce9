"""The reporting pages: a recipient's reports with their deadlines, and the directorate's
reports of a round (due, overdue, submitted, accepted, changes requested). Every query
parameter is bounded: an unknown value means no filter, a page out of range the last."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from core.decorators import require
from schemes.models import Round

from . import permissions, selectors
from .models import ObligationKind, ObligationStatus, ReportObligation

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
    context = {"rounds": rounds, "round": round_, "status": status, "kind": kind,
               "kinds": ObligationKind.choices}
    if round_ is not None:
        now = timezone.now()
        reports = selectors.round_obligations(request.actor, round_, status=status,
                                              kind=kind, now=now)
        page = Paginator(reports.rows, PER_PAGE).get_page(request.GET.get("side"))
        query = {"utlysning": round_.pk, **({"status": status} if status else {}),
                 **({"type": kind} if kind else {})}
        context.update({
            "reports": reports, "page": page, "rows": list(_rows(page.object_list, now)),
            "statuses": [(value, label, reports.counts.get(value, 0))
                         for value, label in ObligationStatus.choices],
            "query": urlencode(query),
            "base_query": urlencode({"utlysning": round_.pk, **({"type": kind} if kind
                                                                 else {})})})
    return render(request, "reporting/round.html", context)
