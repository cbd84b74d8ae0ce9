"""The application form: one page with the scheme's sections. Nothing is required to save
a draft; the checklist (applications/checks.py) says what is missing before signing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import APPLICANT_KINDS
from organizations.selectors import organization_resolve_code
from schemes.models import GrantModel, Round

PARTNER_KINDS = [
    ("municipal", _("Other municipal services")), ("county", _("The county municipality")),
    ("state", _("State agencies")), ("nav", _("NAV")), ("employers", _("Employers")),
    ("voluntary", _("Voluntary organisations")),
]
TEXT = forms.Textarea(attrs={"rows": 4})
# Every text area of the form is bounded (the null character is refused by CharField).
TEXT_LENGTH = 4000


def text_field(label, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=TEXT, max_length=TEXT_LENGTH, required=False,
                           **kwargs)


MONEY = {"min_value": Decimal(0), "max_digits": 12, "decimal_places": 0, "required": False}

# Which fields each grant model uses (the rest of the form is common to all).
PLACES_MODELS = {GrantModel.JOBBSJANSEN_2026, GrantModel.PART_B_2018}
PARTICIPANT_MODELS = {GrantModel.PER_CAPITA_2024, GrantModel.DEVELOPMENT}


class ApplicationForm(forms.Form):
    project_title = forms.CharField(label=_("Project name"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact person's e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact person's telephone"), max_length=30,
                                    required=False)
    focus_area = forms.TypedChoiceField(label=_("Focus area"), coerce=int, required=False,
                                        empty_value=None)
    target_group = text_field(_("Target group"), help_text=_(
        "Who the project is for, and how they are recruited."))
    places_with_g = forms.IntegerField(
        label=_("Places for participants with the 1G allowance"), min_value=0,
        max_value=1000, required=False)
    places_without_g = forms.IntegerField(
        label=_("Places for participants without the allowance"), min_value=0,
        max_value=1000, required=False,
        help_text=_("For example participants on transitional benefit."))
    months = forms.IntegerField(label=_("Months in use in the year"), min_value=1,
                                max_value=12, required=False)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=5000,
                                      required=False)
    measures = text_field(_("Planned measures"))
    expected_effects = text_field(_("Expected effects"))
    goals_quantitative = text_field(_("Quantitative result goals"), help_text=_(
        "Numbers: for example how many go on to work or education."))
    goals_qualitative = text_field(_("Qualitative result goals"))
    partner_kinds = forms.MultipleChoiceField(label=_("Cooperation partners"),
                                              choices=PARTNER_KINDS, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    cooperation_form = text_field(_("How the cooperation is made binding"), help_text=_(
        "For example a written agreement, a letter of intent or a steering group."))
    knowledge_transfer = text_field(_("Plan for transfer of knowledge"))
    earlier_results = text_field(_("Earlier results or projects"))
    budget_staff = forms.DecimalField(label=_("Budget: staff (NOK)"), **MONEY)
    budget_measures = forms.DecimalField(label=_("Budget: measures (NOK)"), **MONEY)
    budget_premises = forms.DecimalField(label=_("Budget: premises (NOK)"), **MONEY)
    budget_other = forms.DecimalField(
        label=_("Budget: other costs (NOK)"), **MONEY,
        help_text=_("The project's total budget is the sum of the four budget lines."))
    own_staff = forms.DecimalField(label=_("Own financing: staff (NOK)"), **MONEY)
    own_measures = forms.DecimalField(label=_("Own financing: measures (NOK)"), **MONEY)
    own_premises = forms.DecimalField(label=_("Own financing: premises (NOK)"), **MONEY)
    own_other = forms.DecimalField(
        label=_("Own financing: other costs (NOK)"), **MONEY,
        help_text=_("Own financing includes the estimated cost of resources you already "
                    "have."))
    other_public_funding = forms.DecimalField(
        label=_("Other public funding applied for (NOK)"), **MONEY)
    amount_applied = forms.DecimalField(
        label=_("Grant applied for (NOK)"), **MONEY,
        help_text=_("For Jobbsjansen 2026 the grant is computed from the places."))
    letter_language = forms.ChoiceField(
        label=_("Written standard for letters"), required=False,
        choices=[("nb", _("Bokmål")), ("nn", _("Nynorsk"))],
        help_text=_("Decisions and letters about the application are written in this "
                    "standard."))
    multi_year = forms.TypedChoiceField(
        label=_("Years applied for"), coerce=int, required=False, empty_value=1,
        choices=[(1, _("One year")), (2, _("Two years")), (3, _("Three years"))],
        help_text=_("Grants for more than one year are given subject to parliament's "
                    "appropriation each year."))

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        model = round_.scheme.grant_model
        areas = list(round_.focus_areas.all())
        if areas:
            self.fields["focus_area"].choices = [("", "---------"), *[
                (a.number, str(a)) for a in areas]]
        else:
            del self.fields["focus_area"]
        if model not in PLACES_MODELS:
            for name in ("places_with_g", "places_without_g", "months"):
                del self.fields[name]
        if model not in PARTICIPANT_MODELS:
            del self.fields["participants"]
        if model == GrantModel.JOBBSJANSEN_2026:
            del self.fields["amount_applied"]

    def content(self) -> dict:
        """What is valid, as JSON (money as whole kroner strings)."""
        data = {}
        for name, value in self.cleaned_data.items():
            if name in self.errors:
                continue
            data[name] = str(value) if isinstance(value, Decimal) else value
        return data


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension → (content type, how the file must begin). Office files are ZIP containers.
ALLOWED_ATTACHMENTS = {
    "pdf": ("application/pdf", b"%PDF"),
    "png": ("image/png", b"\x89PNG"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"), "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             b"PK\x03\x04"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             b"PK\x03\x04"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             b"PK\x03\x04"),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG, at most 10 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ALLOWED_ATTACHMENTS:
            raise forms.ValidationError(_("This type of file cannot be attached. Use PDF, an "
                                          "Office or OpenDocument file, PNG or JPEG."))
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        content_type, magic = ALLOWED_ATTACHMENTS[extension]
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(magic):
            raise forms.ValidationError(_("The file's content does not match its name "
                                          "(.%(ext)s).") % {"ext": extension})
        self.content_type = content_type
        return upload


class LateApplicationForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Round"), queryset=Round.objects.none())
    code = forms.CharField(label=_("Applicant's number"), max_length=6,
                           help_text=_("Municipality (four digits; old numbers are resolved), "
                                       "city district (six) or county (two)."))
    project_title = forms.CharField(label=_("Project name"), max_length=200)
    received_at = forms.DateTimeField(
        label=_("Received"), help_text=_("When the directorate received it, Norwegian time."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.exclude(status="draft").order_by(
            "-deadline")

    def clean_code(self):
        found = [o for o in organization_resolve_code(self.cleaned_data["code"])
                 if o.kind in APPLICANT_KINDS]
        if len(found) != 1:
            raise forms.ValidationError(_("No single municipality, city district or county "
                                          "has this number."))
        self.organization = found[0]
        return self.cleaned_data["code"]

    def clean(self):
        data = super().clean()
        round_, received = data.get("round"), data.get("received_at")
        if round_ and received and received < round_.deadline:
            self.add_error("received_at", _("This is before the deadline: the application is "
                                            "not late. The applicant signs it in the portal."))
        return data


class PartnerForm(forms.Form):
    code = forms.RegexField(label=_("Add a partner by number"), regex=r"^\s*[0-9]{2,6}\s*$",
                            max_length=10, error_messages={"invalid": _(
                                "Municipality (four digits), city district (six) or county "
                                "(two).")})


class PartnerAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=[
        ("accept", _("Accept")), ("decline", _("Decline"))])


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Return for changes, with a comment"),
                              max_length=TEXT_LENGTH)
