"""Pages of the participant register (Jobbsjanseregisteret)."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from audit.events import EventType
from audit.models import AuditEvent
from core.decorators import require
from core.pdf import render_pdf
from rules.findings import Severity
from rules.register import after_care_ends

from . import codes, permissions, selectors, services, tasks
from .checks import follow_up_due, participant_checks
from .forms import (
    BackgroundForm,
    EndForm,
    FollowUpForm,
    JustificationForm,
    MeasureForm,
    ParticipantCreateForm,
    PersonForm,
)
from .models import CheckState, ExportedParticipant, Participant

# Page slug (Norwegian, in the URL) → (key, title, form)
PAGES = {
    "person": ("person", gettext_lazy("Person and project"), PersonForm),
    "bakgrunn": ("background", gettext_lazy("Background"), BackgroundForm),
    "tiltak": ("measures", gettext_lazy("Measures"), None),
    "avslutning": ("end", gettext_lazy("End and transition"), EndForm),
    "etteroppfolging": ("after_care", gettext_lazy("After-care"), None),
}
SLUG_BY_KEY = {key: slug for slug, (key, _t, _f) in PAGES.items()}
PAGE_SIZE = 50


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, 2015, -1))


def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("aar", default))
    except ValueError:
        return default
    return year if year in _years() else default


def _page_links(participant: Participant, checks=None) -> list[dict]:
    links = []
    for slug, (key, title, _form) in PAGES.items():
        missing = len(checks.missing_on(key)) if checks else 0
        links.append({"slug": slug, "key": key, "title": title, "missing": missing})
    return links


# -- start page and overview ---------------------------------------------------------------

@require(permissions.can_view_register_home)
def home_view(request):
    actor = request.actor
    today = timezone.localdate()
    can_use = permissions.can_use_register(actor)
    years = []
    if can_use:
        # The year just ended (until its deadline has passed) and this year.
        years = [selectors.year_status(actor.organization, today.year)]
        last = selectors.year_status(actor.organization, today.year - 1)
        if last.participants or last.submission:
            years.insert(0, last)
    return render(request, "register/home.html", {
        "agreement": selectors.agreement_current(actor.organization),
        "can_use": can_use, "can_register": permissions.can_register_participants(actor),
        "can_view_access_log": permissions.can_view_access_log(actor),
        "years": years,
    })


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("All")), *codes.Status.choices])
    year = forms.TypedChoiceField(label=gettext_lazy("In the programme in"), required=False,
                                  coerce=int, empty_value=None)
    financing = forms.ChoiceField(label=gettext_lazy("Financing"), required=False,
                                  choices=[("", gettext_lazy("All")), *codes.Financing.choices])
    measure = forms.ChoiceField(label=gettext_lazy("Measure"), required=False,
                                choices=[("", gettext_lazy("All")), *codes.Measure.choices])
    check = forms.ChoiceField(label=gettext_lazy("Checks"), required=False,
                              choices=[("", gettext_lazy("All")),
                                       ("open", gettext_lazy("Not complete (all kinds)")),
                                       *CheckState.choices])
    start_from = forms.DateField(label=gettext_lazy("Start from"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    start_to = forms.DateField(label=gettext_lazy("Start to"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    end_from = forms.DateField(label=gettext_lazy("End from"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    end_to = forms.DateField(label=gettext_lazy("End to"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=[
        ("-start_date", gettext_lazy("Start, newest first")),
        ("start_date", gettext_lazy("Start, oldest first")),
        ("-end_date", gettext_lazy("End, newest first")),
        ("end_date", gettext_lazy("End, oldest first")),
        ("status", gettext_lazy("Status")),
        ("id", gettext_lazy("Participant number")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *[(y, y) for y in _years()]]

    def filters(self) -> selectors.Filters:
        if not self.is_bound:
            return selectors.Filters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items()
                if name not in self.errors and value not in (None, "")}
        return selectors.Filters(**data)


class SearchForm(forms.Form):
    hide_optional = True
    q = forms.CharField(
        label=gettext_lazy("Id number or name"), max_length=100, required=False,
        help_text=gettext_lazy("The whole id number (11 digits), or one or more words of the "
                               "name. Discharged participants are not found."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


# The overview's search is posted, never put in the address (no personal data in URLs),
# and the session keeps only its result: the participant ids, never the term.
SEARCH_SESSION_KEY = "register_search"


def _held_search(request) -> selectors.Search | None:
    held = request.session.get(SEARCH_SESSION_KEY)
    if not isinstance(held, dict) or held.get("organization") != request.actor.organization.pk:
        return None
    ids = held.get("ids")
    if held.get("by") not in ("national_id", "name") or not isinstance(ids, list):
        return None
    return selectors.Search(held["by"], tuple(i for i in ids if isinstance(i, int)))


def _described(filters: selectors.Filters, search: selectors.Search | None) -> list[str]:
    """The filters for the access log; a search by how it searched, never by its term."""
    return [*filters.described(), *([f"search={search.by}"] if search else [])]


def _filtered(request):
    form = FilterForm(request.GET or None)
    filters = form.filters()
    search = _held_search(request)
    return form, filters, search, selectors.participant_list(request.actor, filters, search)


def _overview(request, search_form: SearchForm | None = None):
    form, filters, search, queryset = _filtered(request)
    page = Paginator(queryset.only(
        "id", "name", "name_source", "national_id", "start_date", "end_date", "status",
        "financing", "check_state"), PAGE_SIZE).get_page(request.GET.get("side"))
    counts = selectors.status_counts(queryset)
    services.overview_viewed(actor=request.actor,
                             participant_ids=[p.pk for p in page.object_list],
                             page=page.number, filters=_described(filters, search))
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "register/overview.html", {
        "form": form, "page": page, "counts": counts, "query": query.urlencode(),
        "search": search, "search_form": search_form or SearchForm(),
        "can_register": permissions.can_register_participants(request.actor),
    })


@require(permissions.can_use_register)
def overview_view(request):
    return _overview(request)


@require(permissions.can_use_register)
@require_POST
def overview_search_view(request):
    """Search by id number or name (posted: the term is in no address and no log)."""
    query = request.GET.urlencode()
    target = reverse("register:overview") + (f"?{query}" if query else "")
    if "clear" in request.POST:
        request.session.pop(SEARCH_SESSION_KEY, None)
        return redirect(target)
    form = SearchForm(request.POST)
    if form.is_valid():
        try:
            search = selectors.participant_search(request.actor, form.cleaned_data["q"])
        except selectors.SearchError as error:
            form.add_error("q", str(error))
        else:
            request.session[SEARCH_SESSION_KEY] = {
                "organization": request.actor.organization.pk, "by": search.by,
                "ids": list(search.ids)}
            return redirect(target)
    messages.error(request, _("The search was not made. Correct the field marked below."))
    return _overview(request, search_form=form)


def _export_name(request, extension: str) -> str:
    return (f"jobbsjanseregisteret-{request.actor.organization.code}-"
            f"{timezone.localdate():%Y%m%d}.{extension}")


@require(permissions.can_use_register)
def export_csv_view(request):
    return _export_job(request, "csv")


@require(permissions.can_use_register)
def export_xlsx_view(request):
    return _export_job(request, "xlsx")


def _export_job(request, fmt: str):
    """The file is written by a job (register.tasks): its page shows the progress, then
    the download; the access log records the participants it contains when the file is
    written."""
    _form, filters, search, _queryset = _filtered(request)
    job = tasks.export_start(actor=request.actor, fmt=fmt, filters=filters, search=search,
                             described=_described(filters, search),
                             file_name=_export_name(request, fmt))
    return redirect("jobs:detail", pk=job.pk)


# -- one participant -------------------------------------------------------------------------

@require(permissions.can_register_participants)
def participant_create_view(request):
    form = ParticipantCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_create(
                actor=request.actor, national_id=form.cleaned_data["national_id"],
                start_date=form.cleaned_data["start_date"],
                financing=form.cleaned_data["financing"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if participant.name_source == codes.NameSource.UNKNOWN:
                messages.warning(request, _(
                    "The number is not in the National Population Register, so the name is "
                    "shown as unknown. Check the number; the participant is registered."))
            else:
                messages.success(request, _("The participant is registered with the name "
                                            "from the National Population Register."))
            return redirect("register:participant_page", pk=participant.pk, page="bakgrunn")
    if request.method == "POST":
        messages.error(request, _("The participant was not registered. Correct the fields "
                                  "marked below."))
    return render(request, "register/create.html", {"form": form})


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _participant(request, pk: int) -> Participant:
    return selectors.participant_get(request.actor, pk)


def _context(participant: Participant, **extra) -> dict:
    measures = list(participant.measures.all())
    follow_ups = list(participant.follow_ups.all())
    assessments = list(participant.assessments.all())
    checks = participant_checks(participant, justified={a.code: a.justification
                                                        for a in assessments},
                                measures=measures)
    return {"participant": participant, "measures": measures, "follow_ups": follow_ups,
            "assessments": assessments, "checks": checks,
            "pages": _page_links(participant, checks), **extra}


def _detail(request, participant: Participant, bound: JustificationForm | None = None):
    services.participant_viewed(actor=request.actor, participant=participant, page="summary")
    context = _context(participant)
    forms_by_code = {}
    for finding in context["checks"].findings:
        if finding.severity != Severity.NEEDS_ASSESSMENT:
            continue
        code = finding.code
        if bound is not None and bound.data.get("code") == code:
            form = bound
        else:
            form = JustificationForm(initial={"code": code, "justification":
                                              context["checks"].justified.get(code, "")},
                                     auto_id=f"id_{code}_%s")
        # The text box is described by the finding it answers.
        form.fields["justification"].widget.attrs["aria-describedby"] = f"finding-{code}"
        forms_by_code[code] = form
    context["justification_forms"] = forms_by_code
    return render(request, "register/detail.html", context)


@require(permissions.can_use_register)
def participant_detail_view(request, pk: int):
    return _detail(request, _participant(request, pk))


@require(permissions.can_use_register)
def participant_page_view(request, pk: int, page: str):
    if page not in PAGES:
        raise Http404
    key, title, form_class = PAGES[page]
    participant = _participant(request, pk)
    slugs = list(PAGES)
    next_slug = slugs[slugs.index(page) + 1] if page != slugs[-1] else None
    extra = {"page_key": key, "page_slug": page, "page_title": title, "next_slug": next_slug}
    if key == "measures":
        return _measures_page(request, participant, extra)
    if key == "after_care":
        return _after_care_page(request, participant, extra)
    if request.method == "POST":
        # The form works on its own copy, so the service sees what really changed.
        form = form_class(request.POST, instance=Participant.objects.get(pk=participant.pk),
                          participant=participant)
        form.is_valid()
        try:
            services.participant_update(actor=request.actor, participant=participant,
                                        page=key, data=form.savable())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        if not form.errors:
            messages.success(request, _("Saved."))
            if "continue" in request.POST and next_slug:
                return redirect("register:participant_page", pk=pk, page=next_slug)
            return redirect("register:participant_page", pk=pk, page=page)
        messages.error(request, _("What was valid is saved. Correct the fields marked below; "
                                  "what you typed is kept."))
        services.participant_viewed(actor=request.actor, participant=participant, page=key)
    else:
        services.participant_viewed(actor=request.actor, participant=participant, page=key)
        form = form_class(instance=participant, participant=participant)
    return render(request, "register/page.html", _context(participant, form=form, **extra))


@require(permissions.can_use_register)
def measure_edit_view(request, pk: int, measure_id: int):
    participant = _participant(request, pk)
    measure = participant.measures.filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    form = MeasureForm(request.POST or None, participant=participant, initial={
        "measure": measure.measure, "start_date": measure.start_date,
        "end_date": measure.end_date})
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.measure_update(actor=request.actor, participant=participant,
                                                  measure_id=measure.pk, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The measure is changed.") if changed
                                 else _("Nothing was changed."))
                return redirect("register:participant_page", pk=participant.pk, page="tiltak")
        messages.error(request, _("The measure was not changed. Correct the fields marked "
                                  "below."))
    services.participant_viewed(actor=request.actor, participant=participant, page="measures")
    key, title, _form = PAGES["tiltak"]
    return render(request, "register/page.html", _context(
        participant, form=form, editing=measure, page_key=key, page_slug="tiltak",
        page_title=title, next_slug="avslutning"))


def _measures_page(request, participant, extra):
    form = MeasureForm(request.POST or None, participant=participant)
    if request.method == "POST":
        if form.is_valid():
            services.measure_add(actor=request.actor, participant=participant, **form.cleaned_data)
            messages.success(request, _("The measure is added."))
            return redirect("register:participant_page", pk=participant.pk, page="tiltak")
        messages.error(request, _("The measure was not added. Correct the fields marked "
                                  "below."))
    services.participant_viewed(actor=request.actor, participant=participant, page="measures")
    return render(request, "register/page.html", _context(participant, form=form, **extra))


def _after_care_page(request, participant, extra):
    form = FollowUpForm(request.POST or None, participant=participant,
                        initial={"recorded_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_record(actor=request.actor, participant=participant,
                                          **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The after-care status is saved."))
                return redirect("register:participant_page", pk=participant.pk,
                                page="etteroppfolging")
        messages.error(request, _("The status was not saved. Correct the fields marked "
                                  "below."))
    services.participant_viewed(actor=request.actor, participant=participant, page="after_care")
    ends = after_care_ends(participant.end_date) if participant.end_date else None
    due = [(label, follow_up_due(participant.end_date, point))
           for point, label in codes.FollowUpPoint.choices] if participant.end_date else []
    return render(request, "register/page.html",
                  _context(participant, form=form, after_care_ends=ends, follow_up_due=due,
                           **extra))


@require(permissions.can_use_register)
@require_POST
def measure_remove_view(request, pk: int, measure_id: int):
    participant = _participant(request, pk)
    if services.measure_remove(actor=request.actor, participant=participant,
                               measure_id=measure_id):
        messages.success(request, _("The measure is removed."))
    else:
        messages.info(request, _("The measure was already removed."))
    return redirect("register:participant_page", pk=pk, page="tiltak")


@require(permissions.can_use_register)
@require_POST
def justify_view(request, pk: int):
    participant = _participant(request, pk)
    form = JustificationForm(request.POST)
    codes_needing = {f.code for f in participant_checks(participant).findings
                     if f.severity == Severity.NEEDS_ASSESSMENT}
    if form.is_valid() and form.cleaned_data["code"] in codes_needing:
        try:
            services.finding_justify(actor=request.actor, participant=participant,
                                     **form.cleaned_data)
        except ValidationError as error:
            form.add_error("justification", error.message_dict.get("justification",
                                                                   error.messages))
        else:
            messages.success(request, _("The justification is recorded."))
            return redirect("register:participant_detail", pk=pk)
    elif form.is_valid():
        messages.error(request, _("This finding needs no justification any more."))
        return redirect("register:participant_detail", pk=pk)
    # Shown again with what was typed and the error.
    form = JustificationForm(request.POST, auto_id=f"id_{request.POST.get('code', '')}_%s"[:60])
    form.is_valid()
    if "justification" not in form.errors:
        form.add_error("justification", _(
            "Write a justification of at least 10 characters: what the municipality assessed "
            "and why the participant belongs in the programme."))
    messages.error(request, _("The justification was not recorded."))
    return _detail(request, participant, bound=form)


@require(permissions.can_use_register)
def discharge_view(request, pk: int):
    participant = _participant(request, pk)
    if request.method == "POST":
        try:
            services.participant_discharge(actor=request.actor, participant=participant)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The participant is discharged and the name is "
                                        "deleted."))
        return redirect("register:participant_detail", pk=pk)
    services.participant_viewed(actor=request.actor, participant=participant, page="discharge")
    return render(request, "register/discharge.html", _context(participant))


@require(permissions.can_use_register)
def delete_view(request, pk: int):
    participant = _participant(request, pk)
    if request.method == "POST":
        reference = participant.reference
        services.participant_delete(actor=request.actor, participant=participant)
        messages.success(request, _("Participant %(ref)s and everything registered about "
                                    "them is deleted.") % {"ref": reference})
        return redirect("register:overview")
    services.participant_viewed(actor=request.actor, participant=participant, page="delete")
    return render(request, "register/delete.html", _context(participant))


# -- submission, help, information letter ------------------------------------------------------

@require(permissions.can_use_register)
def submission_view(request):
    today = timezone.localdate()
    refusal = None
    if request.method == "POST":
        raw = request.POST.get("year", "")
        year = int(raw) if re.fullmatch(r"[0-9]{4}", raw) else None
        try:
            if year is None:
                raise ValueError
            services.year_submit(actor=request.actor, year=year)
        except (ValueError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [])) or
                           _("Choose a year."))
            if getattr(error, "code", None) != "incomplete":
                return redirect("register:submission")
            refusal = _refusal(request, year)
        else:
            messages.success(request, _("%(year)s is submitted to the directorate.")
                             % {"year": year})
            return redirect("register:submission")
    years = [selectors.year_status(request.actor.organization, y)
             for y in range(today.year, today.year - 3, -1)]
    return render(request, "register/submission.html", {"years": years, "refusal": refusal})


REFUSAL_LIST = 100


def _refusal(request, year: int) -> dict:
    """The records that keep the year from being submitted, each linked (the list is a
    read of those participants, logged like an overview page)."""
    queryset = selectors.incomplete_in_year(request.actor, year)
    listed = list(queryset.only("id", "name", "name_source", "status", "check_state",
                                "start_date")[:REFUSAL_LIST])
    services.overview_viewed(actor=request.actor, participant_ids=[p.pk for p in listed],
                             page=1, filters=[f"year={year}", "check=open"])
    total = queryset.count()
    return {"year": year, "participants": listed, "total": total,
            "more": total - len(listed)}


@require(permissions.can_view_register_home)
def help_view(request):
    return render(request, "register/help.html", {})


INFO_LETTER_LANGUAGES = ("nb", "nn", "en")


@require(permissions.can_view_register_home)
def info_letter_view(request, language: str):
    if language not in INFO_LETTER_LANGUAGES:
        raise Http404
    pdf = render_pdf("register/info_letter.html", {
        "organization": request.actor.organization, "today": timezone.localdate()},
        language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="informasjon-jobbsjanseregisteret-{language}.pdf"')
    return response


# -- the municipality administrator's access log ---------------------------------------------

REGISTER_EVENTS = [e for e in EventType.values if e.startswith("register.")
                   and e != EventType.AGREEMENT_RECORDED]


# Bounds of the access log's query parameters: a participant number (D-000123, or the
# digits) and a user's id. Anything else is a clear message and an empty result, never a
# server error.
_REFERENCE = re.compile(r"(?:D-?)?([0-9]{1,15})")
_USER_ID = re.compile(r"[0-9]{1,15}")


@require(permissions.can_view_access_log)
def access_log_view(request):
    org = request.actor.organization
    # The municipality's own users' register events, and the directorate's moves of
    # participants into or out of the municipality.
    events = AuditEvent.objects.filter(
        Q(actor_organization=org, event_type__in=REGISTER_EVENTS)
        | Q(event_type=EventType.PARTICIPANT_MOVED, payload__to_organization_id=org.pk)
        | Q(event_type=EventType.PARTICIPANT_MOVED, payload__from_organization_id=org.pk))
    problems = {}
    reference = request.GET.get("deltaker", "").strip()[:40]
    match = _REFERENCE.fullmatch(reference.upper()) if reference else None
    pid = None
    if reference and not match:
        problems["deltaker"] = _("“%(value)s” is not a participant number. Write it as "
                                 "D-000123 or 123.") % {"value": reference[:20]}
    elif match:
        # Events about the participant, overview pages that listed them and downloads
        # that contained them.
        pid = int(match.group(1))
        listed = (AuditEvent.objects.filter(pk=OuterRef("pk"))
                  .annotate(text=Cast("payload", TextField()))
                  .filter(text__regex=rf'"participant_ids": \[([0-9]+, )*{pid}[],]'))
        events = events.filter(
            Q(object_type="register.participant", object_id=str(pid))
            | Q(event_type=EventType.REGISTER_OVERVIEW_VIEWED, pk__in=listed.values("pk"))
            | Q(event_type=EventType.REGISTER_EXPORTED, pk__in=ExportedParticipant.objects
                .filter(participant_id=pid).values("event_id")))
    user_id = request.GET.get("bruker", "").strip()[:40]
    if user_id and not _USER_ID.fullmatch(user_id):
        problems["bruker"] = _("Choose a user from the list.")
    elif user_id:
        events = events.filter(actor_id=int(user_id))
    if problems:
        events = events.none()
    page = Paginator(events.order_by("-occurred_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("side"))
    actors = {u.pk: u for u in User.objects.filter(
        pk__in={e.actor_id for e in page.object_list if e.actor_id})}
    staff = User.objects.filter(role_assignments__organization=org).distinct().order_by(
        "first_name", "last_name")
    contained = {EventType.REGISTER_OVERVIEW_VIEWED, EventType.REGISTER_EXPORTED}
    rows = [{"event": e, "actor": actors.get(e.actor_id),
             "participant": e.payload.get("participant_id")
             or (pid if e.event_type in contained else None)} for e in page.object_list]
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "register/access_log.html", {
        "page": page, "rows": rows, "staff": staff, "reference": reference,
        "user_id": user_id, "problems": problems, "query": query.urlencode()})
