from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .models import REPORT_KINDS, ApplicantKind, Round

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    applicant_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"), choices=ApplicantKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty only when you name the organisations below."))
    named_codes = forms.CharField(
        label=_("Only these organisations"), required=False, max_length=2000,
        help_text=_("Numbers separated by spaces or commas (for example 5007 4202). Leave "
                    "empty to let every organisation of the chosen types apply."))

    class Meta:
        model = Round
        fields = ["scheme", "title", "description", "year", "opens_at", "deadline",
                  "budget_frame", "conditions", "criteria", "rate_start_with_g",
                  "rate_start_without_g", "rate_base_with_g", "rate_base_without_g",
                  "rates_source"]
        widgets = {"opens_at": DATETIME, "deadline": DATETIME,
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "conditions": forms.Textarea(attrs={"rows": 5}),
                   "criteria": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "rate_start_with_g": _("Start rate with 1G allowance (NOK per place per month)"),
            "rate_start_without_g": _("Start rate without allowance (NOK per place per month)"),
            "rate_base_with_g": _("Base rate with 1G allowance (NOK per place per month)"),
            "rate_base_without_g": _("Base rate without allowance (NOK per place per month)"),
        }
        help_texts = {
            "title": _("As applicants will see it, for example “Jobbsjansen 2027”."),
            "year": _("The year the grant is for."),
            "opens_at": _("Norwegian time. Applicants can start from then, once published."),
            "budget_frame": _("The appropriation: the most that may be granted in the round."),
            "conditions": _("The conditions shown to applicants."),
            "criteria": _("How applications are assessed."),
            "rates_source": _("Required for a Jobbsjansen 2026 round: the circular and "
                              "section the rates come from."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["applicant_kinds"].initial = self.instance.applicant_kinds
            self.fields["named_codes"].initial = " ".join(
                org.code for org in self.instance.named_applicants.all())

    def clean_named_codes(self):
        codes = self.cleaned_data["named_codes"].replace(",", " ").split()
        found = list(Organization.objects.filter(code__in=codes,
                                                 kind__in=ApplicantKind.values))
        missing = sorted(set(codes) - {org.code for org in found})
        if missing:
            raise forms.ValidationError(_("No municipality, city district or county has "
                                          "these numbers: %(codes)s.")
                                        % {"codes": ", ".join(missing)})
        self.named_organizations = found
        return codes

    def clean(self):
        data = super().clean()
        opens, deadline = data.get("opens_at"), data.get("deadline")
        if opens and deadline and opens >= deadline:
            self.add_error("deadline", _("The deadline must come after the opening."))
        return data


class FocusAreaForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Focus area"), max_length=200)
    target_group = forms.CharField(label=_("Target group"), required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    applicant_kinds = forms.MultipleChoiceField(
        label=_("Who may apply in this focus area"), choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="area", **kwargs)


class ReportingDutyForm(forms.Form):
    title = forms.CharField(label=_("Report"), max_length=200,
                            help_text=_("For example “Status report” or “Grant report with "
                                        "accounts”."))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Which report"), required=False,
                             choices=[("", _("Only in the grant letter")), *REPORT_KINDS],
                             help_text=_("The grants' report of this kind is then due on this "
                                         "date."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="duty", **kwargs)
