"""The forms behind every POST in case handling: bounded, with field-level messages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LONG_TEXT_LENGTH, MAX_PK, NOTE_LENGTH

from .models import Appeal, ChangeRequest, Criterion, Decision, RejectionReason


class AmountField(forms.DecimalField):
    """Whole kroner, as people type them: "4 000 000", "4000000", "4 000 000 kr"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", Decimal(1))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace("\u202f", "").replace(" ", "")
            value = value.removesuffix("kr").removesuffix(",-")
            if value and not (value.isascii() and value.isdigit()):
                raise forms.ValidationError(_("Give the amount in whole kroner, in digits."),
                                            code="invalid")
        return super().to_python(value)


class AssignForm(forms.Form):
    officer = forms.CharField(label=_("Case officer"), max_length=12, required=False)

    def clean_officer(self):
        value = self.cleaned_data["officer"]
        if value in ("", "me"):
            return value
        if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_PK:
            raise forms.ValidationError(_("Choose a case officer from the list."))
        return int(value)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), min_length=3, max_length=NOTE_LENGTH)


class ScreenForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        ("passed", _("Passes")), ("rejected", _("Rejected"))],
        error_messages={"required": _("Choose whether the application passes the "
                                      "screening."),
                        "invalid_choice": _("Choose whether the application passes the "
                                            "screening.")})
    reason = forms.ChoiceField(label=_("Reason for the rejection"), required=False,
                               choices=[("", "")] + list(RejectionReason.choices))
    reason_text = forms.CharField(label=_("Explanation to the applicant"), required=False,
                                  max_length=NOTE_LENGTH)


class AssessForm(forms.Form):
    """A score (1–6) and a justification per criterion; an empty score is left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Criterion.choices:
            self.fields[f"score_{value}"] = forms.TypedChoiceField(
                label=label, required=False, coerce=int, empty_value=None,
                choices=[("", "")] + [(n, str(n)) for n in range(1, 7)])
            self.fields[f"justification_{value}"] = forms.CharField(
                label=_("Justification: %(criterion)s") % {"criterion": label},
                required=False, max_length=NOTE_LENGTH)

    def scores(self) -> dict[str, tuple[int, str]]:
        return {value: (self.cleaned_data[f"score_{value}"],
                        self.cleaned_data[f"justification_{value}"])
                for value in Criterion.values
                if self.cleaned_data.get(f"score_{value}") is not None}


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=Decision.Kind.choices,
                             error_messages={"required": _("Choose grant or refusal.")})
    amount = AmountField(label=_("Amount (NOK)"), required=False)
    years = forms.TypedChoiceField(label=_("Years"), coerce=int, initial=1,
                                   choices=[(1, "1"), (2, "2"), (3, "3")],
                                   error_messages={"invalid_choice": _(
                                       "A grant is for one, two or three years.")})
    conditions = forms.CharField(label=_("Extra conditions for this grant"), required=False,
                                 max_length=NOTE_LENGTH)
    reasons = forms.CharField(label=_("Reasons"), required=False, max_length=NOTE_LENGTH)


class ApproveForm(forms.Form):
    seen = forms.RegexField(regex=r"^[0-9a-f]{64}$", max_length=64, error_messages={
        "required": _("Open the case again and approve the proposal shown."),
        "invalid": _("Open the case again and approve the proposal shown.")})


class ExtendForm(forms.Form):
    accept_by = forms.DateField(label=_("New deadline"), input_formats=["%Y-%m-%d",
                                                                       "%d.%m.%Y"])
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_LENGTH)


class AppealActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("forward", _("Forward")), ("decide", _("Decide"))],
                               required=False)
    preparation = forms.CharField(label=_("The directorate's preparation"), required=False,
                                  max_length=LONG_TEXT_LENGTH)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", "")] + list(Appeal.Outcome.choices))


class ChangeDecideForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=[("consent", _("Consent")),
                                                           ("refuse", _("Refuse"))])
    response = forms.CharField(label=_("The answer to the applicant"),
                               max_length=NOTE_LENGTH)


# -- the applicant's side: appeal and change request ----------------------------------


class AppealForm(forms.Form):
    received_on = forms.DateField(
        label=_("The day you received the letter"), input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"required": _("Give the date you received the letter."),
                        "invalid": _("Give the date you received the letter.")})
    text = forms.CharField(label=_("Your appeal"), max_length=8000)


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to change"), choices=[])
    description = forms.CharField(label=_("The change and why"), max_length=NOTE_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ChangeRequest.Kind.choices
