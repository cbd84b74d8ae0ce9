"""The directorate's pages of the participant register: data processing agreements,
submissions per year, pseudonymised analysis and moving participants. No page here shows
a name or an id number."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decorators import require
from organizations.models import Organization
from rules.errors import RuleError
from rules.goals import Ended, Transition, goal_achievement

from . import permissions, selectors, services
from .forms import AgreementForm, MoveForm
from .models import DataProcessingAgreement, Participant
from .views import PAGE_SIZE, _year_param, _years


@require(permissions.can_manage_agreements)
def agreements_view(request):
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.agreement_record(actor=request.actor, organization=form.organization,
                                      signed_on=form.cleaned_data["signed_on"],
                                      reference=form.cleaned_data["reference"])
            messages.success(request, _("The agreement with %(org)s is recorded.")
                             % {"org": form.organization})
            return redirect("register:agreements")
        messages.error(request, _("The agreement was not recorded. Correct the fields marked "
                                  "below."))
    agreements = DataProcessingAgreement.objects.select_related("organization").order_by(
        "organization__code", "-signed_on")
    return render(request, "register/agreements.html", {"form": form,
                                                          "agreements": agreements})


@require(permissions.can_view_submissions)
def submissions_view(request):
    year = _year_param(request, timezone.localdate().year - 1)
    return render(request, "register/submissions.html", {
        "year": year, "years": _years(), "rows": selectors.submissions_overview(year),
        "deadline": selectors.submission_deadline(year)})


@require(permissions.can_view_pseudonymised)
def analysis_view(request):
    today = timezone.localdate()
    year = _year_param(request, today.year - 1)
    base = Participant.objects.all()
    summary = []
    for y in range(today.year, today.year - 6, -1):
        ended = [Ended(end_date, reason, Transition(transition or "none")) for
                 end_date, reason, transition in base.filter(end_date__year=y).values_list(
                     "end_date", "end_reason", "transition")]
        try:
            goal = goal_achievement(ended, y)
        except RuleError:  # a year before the rules' first dated value
            goal = None
        summary.append({"year": y, "participants": selectors.in_year(base, y).count(),
                        "ended": len(ended), "goal": goal})
    queryset = selectors.in_year(base, year).select_related("organization").order_by("id")
    page = Paginator(queryset.only(
        "id", "national_id", "birth_date", "start_date", "end_date", "financing", "status",
        "end_reason", "transition", "organization__code", "organization__name"),
        PAGE_SIZE).get_page(request.GET.get("side"))
    rows = [{"pseudonym": selectors.pseudonym(p.national_id),
             "birth_year": p.birth_date.year if p.birth_date else None, "p": p}
            for p in page.object_list]
    services.pseudonymised_viewed(actor=request.actor, rows=len(rows), year=year)
    return render(request, "register/analysis.html", {
        "summary": summary, "rows": rows, "page": page, "year": year, "years": _years(),
        "query": f"aar={year}"})


@require(permissions.can_move_participants)
def move_view(request):
    form = MoveForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                moved = services.participants_move(
                    actor=request.actor, participant_ids=form.cleaned_data["references"],
                    source=form.cleaned_data["source"], target=form.cleaned_data["target"])
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                asked = len(form.cleaned_data["references"])
                messages.success(request, _("%(moved)s of %(asked)s participants moved to "
                                            "%(org)s.") % {"moved": moved, "asked": asked,
                                                           "org": form.cleaned_data["target"]})
                if moved < asked:
                    messages.warning(request, _("The others are not registered in the "
                                                "municipality you moved from."))
                return redirect("register:move")
        if form.errors:
            messages.error(request, _("Nothing was moved. Correct the fields marked below."))
    counts = (Organization.objects.filter(participants__isnull=False)
              .values("code", "name").order_by("code")
              .annotate(n=Count("participants")))
    return render(request, "register/move.html", {"form": form, "counts": counts})
