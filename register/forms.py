"""The register's forms. Every field has a help text (shown under the label, in the
user's language). Page forms have no required fields: a page saves what is valid and the
participant page lists what is still missing (register/checks.py)."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from organizations.selectors import organization_resolve_code
from rules.identifiers import InvalidIdNumber, validate_national_id

from . import codes
from .checks import follow_up_too_early
from .models import Participant
from .services import allow_synthetic_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EARLIEST_START = datetime.date(2016, 1, 1)


class YesNoSelect(forms.Select):
    def __init__(self, attrs=None):
        super().__init__(attrs, choices=(("", _("Not answered")), ("true", _("Yes")),
                                         ("false", _("No"))))

    def format_value(self, value):
        # A list, as ChoiceWidget expects (a bare string would match "" as a substring).
        return [{True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")]

    def value_from_datadict(self, data, files, name):
        return {"true": True, "false": False}.get(data.get(name))


HELP = {
    "national_id": _("Eleven digits: the fødselsnummer or D-number. The name is fetched from "
                     "the National Population Register; you do not type it."),
    "start_date": _("The first day of the Jobbsjansen programme for this participant."),
    "financing": _("What the participant lives on during the programme. Participants on "
                   "transitional benefit get no Jobbsjansen allowance in addition."),
    "duration_extended": _("Tick when the municipality has decided to extend the programme "
                           "by up to one year beyond two years."),
    "family_situation": _("The situation at the start of the programme."),
    "children": _("Children under 18 living with the participant. Write 0 if none."),
    "youngest_child_age": _("In whole years at the start. Matters for participants on "
                            "transitional benefit (active job seekers from the child's first "
                            "birthday)."),
    "education_home_country": _("The highest education completed before coming to Norway."),
    "education_norway": _("The highest education taken in Norway before the start."),
    "norwegian_level": _("The last tested level (Common European Framework), or “Not "
                         "tested”."),
    "work_experience": _("Paid work of at least three months, in all."),
    "literacy": _("Lacking basic literacy in the mother tongue gives up to one more year "
                  "in the programme."),
    "introduction": _("Former participants may take part when at least two years have "
                      "passed since the programme ended or the right was lost."),
    "introduction_ended_on": _("Only when the introduction programme has ended: the day it "
                               "was completed or the right was lost."),
    "qualification_programme": _("Participants in the qualification programme (KVP) are not "
                                 "in the target group."),
    "social_assistance": _("Social assistance is allowed, but Jobbsjansen can never be an "
                           "activity condition for it (social services act § 20 and § 20 a)."),
    "transitional_benefit": _("Whether the participant received transitional benefit "
                              "(overgangsstønad) in the period before the start."),
    "end_date": _("The last day in the programme. After the end, follow up for up to one "
                  "year; the name is deleted at discharge."),
    "end_reason": _("The main reason the programme ended."),
    "interruption_reason": _("Only when the programme was interrupted."),
    "transition": _("What the participant went on to directly after the programme. Counts "
                    "towards the goal of at least 70 % into work or education."),
    "position_percent": _("Only for work: the position as a percentage of full time, 1–100."),
    "industry": _("Only for work: the employer's industry, SN2007 division (Statistics "
                  "Norway)."),
    "employment": _("Only for work: whether the job is permanent or temporary."),
    "education_level": _("Only for education: the level of the education started."),
    "absence_percent": _("Absence as a percentage of the planned hours over the whole "
                         "programme, 0–100. Documented illness counts as absence too."),
    "measure": _("What the participant was offered as programme content."),
    "measure_start": _("The first day of the measure."),
    "measure_end": _("The last day, if the measure has ended."),
    "point": _("After-care covers up to one year after the end."),
    "follow_up_status": _("The participant's situation at this point."),
    "recorded_on": _("The day the municipality found this out."),
    "justification": _("What the municipality assessed and why the participant belongs in "
                       "the programme. Do not write names or other details that identify "
                       "anyone."),
}


def _help(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        if name in HELP and not field.help_text:
            field.help_text = HELP[name]


class ParticipantCreateForm(forms.Form):
    national_id = forms.CharField(
        label=_("National identity number or D-number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    start_date = forms.DateField(label=_("Programme start"), widget=DATE)
    financing = forms.ChoiceField(label=_("Financing"), choices=[("", "---------"),
                                                                   *codes.Financing.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _help(self)

    def clean_national_id(self):
        try:
            return validate_national_id(self.cleaned_data["national_id"],
                                        allow_synthetic=allow_synthetic_ids()).number
        except InvalidIdNumber as error:
            raise forms.ValidationError(error.message) from None

    def clean_start_date(self):
        return _check_start(self.cleaned_data["start_date"])


def _check_start(value: datetime.date) -> datetime.date:
    if value < EARLIEST_START:
        raise forms.ValidationError(_("The register starts in 2016. Check the year."))
    if value > timezone.localdate() + datetime.timedelta(days=366):
        raise forms.ValidationError(_("The start can be at most one year ahead."))
    return value


class _PageForm(forms.ModelForm):
    # When a field is wrong because of another (the youngest child's age when there are no
    # children), the other is not saved either, so the record never holds the conflict.
    CAUSES: dict[str, tuple[str, ...]] = {}
    # Nothing is required to save a page, but the answers are needed before the year is
    # submitted: "(optional)" would mislead. The summary lists what is missing.
    hide_optional = True

    def savable(self) -> dict:
        held = set(self.errors)
        for name in list(held):
            held |= set(self.CAUSES.get(name, ()))
        return {name: value for name, value in self.cleaned_data.items() if name not in held}

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        for field in self.fields.values():
            field.required = False
        _help(self)


class PersonForm(_PageForm):
    class Meta:
        model = Participant
        fields = ["start_date", "financing", "duration_extended"]
        widgets = {"start_date": DATE}

    def clean_start_date(self):
        value = self.cleaned_data.get("start_date")
        if value is None:
            raise forms.ValidationError(_("The programme start cannot be empty."))
        value = _check_start(value)
        p = self.participant
        if Participant.objects.filter(organization_id=p.organization_id,
                                      national_id=p.national_id, start_date=value
                                      ).exclude(pk=p.pk).exists():
            raise forms.ValidationError(_("This person is already registered in the "
                                          "municipality with this start date."))
        if p.end_date and value > p.end_date:
            raise forms.ValidationError(_("The start cannot be after the end (%(end)s).")
                                        % {"end": f"{p.end_date:%d.%m.%Y}"})
        return value

    def clean_financing(self):
        value = self.cleaned_data.get("financing")
        if not value:
            raise forms.ValidationError(_("Choose the financing."))
        return value


class BackgroundForm(_PageForm):
    CAUSES = {"youngest_child_age": ("children",),
              "introduction_ended_on": ("introduction",)}

    class Meta:
        model = Participant
        fields = ["family_situation", "children", "youngest_child_age",
                  "education_home_country", "education_norway", "norwegian_level",
                  "work_experience", "literacy", "introduction", "introduction_ended_on",
                  "qualification_programme", "social_assistance", "transitional_benefit"]
        widgets = {"introduction_ended_on": DATE, "qualification_programme": YesNoSelect,
                   "transitional_benefit": YesNoSelect,
                   "children": forms.NumberInput(attrs={"min": 0, "max": 20}),
                   "youngest_child_age": forms.NumberInput(attrs={"min": 0, "max": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("qualification_programme", "transitional_benefit"):
            self.fields[name] = forms.NullBooleanField(
                label=self.fields[name].label, required=False, widget=YesNoSelect,
                help_text=HELP[name])

    def clean(self):
        data = super().clean()
        children = data.get("children")
        if children == 0 and data.get("youngest_child_age") is not None:
            self.add_error("youngest_child_age", _("Leave this empty when there are no "
                                                   "children."))
        ended = data.get("introduction_ended_on")
        if ended and data.get("introduction") != codes.Introduction.ENDED:
            self.add_error("introduction_ended_on", _(
                "Give this date only when the introduction programme has ended."))
        elif ended and ended > self.participant.start_date:
            self.add_error("introduction_ended_on", _(
                "The introduction programme must have ended before the Jobbsjansen start "
                "(%(start)s).") % {"start": f"{self.participant.start_date:%d.%m.%Y}"})
        return data


class EndForm(_PageForm):
    CAUSES = {"interruption_reason": ("end_reason",), "position_percent": ("transition",),
              "industry": ("transition",), "employment": ("transition",),
              "education_level": ("transition",)}

    industry = forms.ChoiceField(label=_("Industry (SN2007)"), required=False)

    class Meta:
        model = Participant
        fields = ["end_date", "end_reason", "interruption_reason", "transition",
                  "position_percent", "industry", "employment", "education_level",
                  "absence_percent"]
        widgets = {"end_date": DATE,
                   "position_percent": forms.NumberInput(attrs={"min": 1, "max": 100}),
                   "absence_percent": forms.NumberInput(attrs={"min": 0, "max": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", "---------"), *codes.industries()]
        self.fields["industry"].help_text = HELP["industry"]

    def clean(self):
        data = super().clean()
        end = data.get("end_date")
        today = timezone.localdate()
        if end and end < self.participant.start_date:
            self.add_error("end_date", _("The end cannot be before the start (%(start)s).")
                           % {"start": f"{self.participant.start_date:%d.%m.%Y}"})
        elif end and end > today:
            self.add_error("end_date", _("The end cannot be in the future. Register it when "
                                         "it has happened."))
        if data.get("interruption_reason") and \
                data.get("end_reason") != codes.EndReason.INTERRUPTED:
            self.add_error("interruption_reason", _(
                "Give a reason for interruption only when the reason for ending is "
                "“Interrupted the programme”."))
        transition = data.get("transition")
        work = transition in (codes.Transition.WORK, codes.Transition.BOTH)
        education = transition in (codes.Transition.EDUCATION, codes.Transition.BOTH)
        for name in ("position_percent", "industry", "employment"):
            if data.get(name) not in (None, "") and not work:
                self.add_error(name, _("Only when the participant went on to work."))
        if data.get("education_level") and not education:
            self.add_error("education_level", _("Only when the participant went on to "
                                                "education."))
        return data


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=codes.Measure.choices)
    start_date = forms.DateField(label=_("From"), widget=DATE, help_text=HELP["measure_start"])
    end_date = forms.DateField(label=_("To"), widget=DATE, required=False,
                               help_text=HELP["measure_end"])

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, prefix="measure", **kwargs)
        self.participant = participant
        _help(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and start < self.participant.start_date:
            self.add_error("start_date", _("A measure cannot start before the programme "
                                           "(%(start)s).")
                           % {"start": f"{self.participant.start_date:%d.%m.%Y}"})
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        return data


class FollowUpForm(forms.Form):
    point = forms.TypedChoiceField(label=_("When"), coerce=int,
                                   choices=codes.FollowUpPoint.choices)
    status = forms.ChoiceField(label=_("Status"), choices=codes.FollowUpStatus.choices,
                               help_text=HELP["follow_up_status"])
    recorded_on = forms.DateField(label=_("Recorded"), widget=DATE)

    def __init__(self, *args, participant: Participant | None = None, **kwargs):
        super().__init__(*args, prefix="followup", **kwargs)
        self.participant = participant
        _help(self)

    def clean_recorded_on(self):
        value = self.cleaned_data["recorded_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        point, recorded_on = data.get("point"), data.get("recorded_on")
        if self.participant is not None and point and recorded_on:
            problem = follow_up_too_early(self.participant.end_date, point, recorded_on)
            if problem:
                self.add_error("recorded_on", problem)
        return data


class JustificationForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    justification = forms.CharField(label=_("Justification"), max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _help(self)


class AgreementForm(forms.Form):
    code = forms.CharField(label=_("Municipality or city district number"), max_length=6,
                           help_text=_("Four digits for a municipality (old numbers are "
                                       "resolved), six for an Oslo city district."))
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    reference = forms.CharField(label=_("Archive reference"), max_length=40,
                                help_text=_("The case number of the signed agreement in the "
                                            "directorate's archive."))

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        found = [org for org in organization_resolve_code(code)
                 if org.kind in ("municipality", "city_district")]
        if not found:
            found = list(Organization.objects.filter(code=code,
                                                     kind__in=["municipality",
                                                               "city_district"]))
        if len(found) != 1:
            raise forms.ValidationError(_("No single municipality or city district has this "
                                          "number."))
        self.organization = found[0]
        return code

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class MoveForm(forms.Form):
    source = forms.CharField(label=_("From municipality number"), max_length=4,
                             help_text=_("Today's number or an old one (for example 1507)."))
    target = forms.CharField(label=_("To municipality number"), max_length=4)
    references = forms.CharField(
        label=_("Participant numbers"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The participant numbers (D-000123) to move, separated by spaces or "
                    "commas, as the municipality has listed them."))

    def _org(self, name):
        code = self.cleaned_data[name].strip()
        found = [org for org in organization_resolve_code(code) if org.kind == "municipality"]
        if not found:
            raise forms.ValidationError(_("No municipality has this number."))
        if len(found) > 1:
            raise forms.ValidationError(_("The number was split: %(names)s. Use today's "
                                          "number.") % {"names": ", ".join(map(str, found))})
        return found[0]

    def clean_source(self):
        return self._org("source")

    def clean_target(self):
        return self._org("target")

    def clean_references(self):
        ids = []
        for token in self.cleaned_data["references"].replace(",", " ").split():
            digits = token.upper().removeprefix("D-")
            # ASCII digits only: "²" and other digits pass str.isdigit() but not int().
            if not re.fullmatch(r"[0-9]{1,15}", digits):
                raise forms.ValidationError(_("“%(value)s” is not a participant number.")
                                            % {"value": token[:20]})
            ids.append(int(digits))
        if not ids:
            raise forms.ValidationError(_("Give at least one participant number."))
        return ids
