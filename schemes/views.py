"""Rounds: the public list of open rounds, and the directorate's administration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.decorators import public, require
from rules.errors import RuleError
from rules.params import default_parameters

from . import selectors, services
from .forms import FocusAreaForm, ReportingDutyForm, RoundForm
from .models import GrantModel, Round, Scheme
from .permissions import can_manage_schemes


def _eligibility_for(request, rounds):
    actor = getattr(request, "actor", None)
    org = getattr(actor, "organization", None)
    if org is None or org.is_directorate:
        return {}
    return {r.pk: selectors.round_may_apply(r, org) for r in rounds}


@public
def open_rounds_view(request):
    rounds = list(selectors.rounds_open().prefetch_related("named_applicants", "focus_areas"))
    closed = list(selectors.rounds_public().exclude(pk__in=[r.pk for r in rounds])[:20])
    return render(request, "schemes/open_rounds.html", {
        "rounds": rounds, "closed": closed, "eligibility": _eligibility_for(request, rounds)})


@public
def round_detail_view(request, pk: int):
    round_ = get_object_or_404(Round.objects.select_related("scheme"), pk=pk)
    actor = getattr(request, "actor", None)
    if round_.status == Round.Status.DRAFT and not (actor and can_manage_schemes(actor)):
        raise Http404
    named = list(round_.named_applicants.order_by("code"))
    return render(request, "schemes/round_detail.html", {
        "round": round_, "focus_areas": round_.focus_areas.all(),
        "duties": round_.reporting_duties.all(),
        "named": named, "who_may_apply": _who_may_apply(round_, named),
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.path})}",
        "eligibility": _eligibility_for(request, [round_]).get(round_.pk, False),
        "can_manage": bool(actor and can_manage_schemes(actor)),
        "problems": services.round_problems(round_) if round_.status == "draft" else [],
        "area_form": FocusAreaForm(), "duty_form": ReportingDutyForm(),
        "parameter_rates": _parameter_rates(round_),
    })


APPLICANT_KINDS = {"municipality": gettext_lazy("municipalities"),
                   "city_district": gettext_lazy("Oslo's city districts"),
                   "county": gettext_lazy("county municipalities")}


def _who_may_apply(round_: Round, named: list) -> str:
    kinds = [str(APPLICANT_KINDS.get(kind, kind)) for kind in round_.applicant_kinds]
    text = ", ".join(kinds)
    if named:
        names = ", ".join(str(org) for org in named)
        text = (_("%(kinds)s; only %(names)s") if kinds else _("only %(names)s")) % {
            "kinds": text, "names": names}
    return text


def _parameter_rates(round_: Round) -> list[tuple[str, object]]:
    """Per-capita rounds take their yearly rates from the rules core's dated parameters."""
    from django.utils.translation import gettext as _

    if round_.scheme.grant_model != GrantModel.PER_CAPITA_2024:
        return []
    params, on = default_parameters(), round_.deadline_local.date()
    try:
        return [(label, params.get(name, on)) for label, name in (
            (_("Start rate with 1G allowance"), "percapita.start_rate_with_g"),
            (_("Start rate without allowance"), "percapita.start_rate_without_g"),
            (_("Base rate with 1G allowance"), "percapita.base_rate_with_g"),
            (_("Base rate without allowance"), "percapita.base_rate_without_g"))]
    except RuleError:
        return []


@require(can_manage_schemes)
def manage_view(request):
    schemes = Scheme.objects.prefetch_related("rounds").order_by("name")
    return render(request, "schemes/manage.html", {"schemes": schemes})


@require(can_manage_schemes)
def round_edit_view(request, pk: int | None = None):
    round_ = get_object_or_404(Round, pk=pk) if pk else Round()
    form = RoundForm(request.POST or None, instance=Round.objects.get(pk=pk) if pk else None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in RoundForm.Meta.fields}
        data["applicant_kinds"] = form.cleaned_data["applicant_kinds"]
        try:
            round_ = services.round_save(actor=request.actor, round_=round_, data=data,
                                         named_applicants=form.named_organizations)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("schemes:round_detail", pk=round_.pk)
    if request.method == "POST":
        messages.error(request, _("The round was not saved. Correct the fields marked below."))
    return render(request, "schemes/round_edit.html", {"form": form, "round": round_})


def _transition(request, pk, service, done):
    round_ = get_object_or_404(Round, pk=pk)
    try:
        service(actor=request.actor, round_=round_)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("schemes:round_detail", pk=pk)


@require(can_manage_schemes)
@require_POST
def round_publish_view(request, pk: int):
    return _transition(request, pk, services.round_publish, _("The round is published."))


@require(can_manage_schemes)
@require_POST
def round_close_view(request, pk: int):
    return _transition(request, pk, services.round_close, _("The round is closed."))


def _add_part(request, pk, form_class, service, done):
    round_ = get_object_or_404(Round, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.actor, round_=round_, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("schemes:round_detail", pk=pk)


@require(can_manage_schemes)
@require_POST
def focus_area_add_view(request, pk: int):
    return _add_part(request, pk, FocusAreaForm, services.focus_area_add,
                     _("The focus area is added."))


@require(can_manage_schemes)
@require_POST
def reporting_duty_add_view(request, pk: int):
    return _add_part(request, pk, ReportingDutyForm, services.reporting_duty_add,
                     _("The reporting duty is added."))
