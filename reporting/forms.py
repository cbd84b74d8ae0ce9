"""The written reports' form: one page per kind (status report, grant report with
accounts, after-care), each text field shown beside the goal the application set for it.
Nothing is required to save a draft; what is missing is listed before the report can be
sent for certification (``missing``), and the accounts are checked by the rules core."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.forms import ALLOWED_ATTACHMENTS, AttachmentForm, text_field
from rules.accounts import LINES

from .models import AccountsApproval, ObligationKind

MONEY = {"min_value": Decimal(0), "max_value": Decimal(999_999_999), "max_digits": 12,
         "decimal_places": 0, "required": False}
LINE_LABELS = {"staff": _("Staff"), "measures": _("Measures"), "premises": _("Premises"),
               "other": _("Other costs")}

# The text fields of each kind, in the form's order, with the application's field each is
# read against (shown beside it).
TEXTS = {
    "progress": (_("Progress of the project"), _(
        "What has been done so far, and what remains of the plan."), "measures"),
    "results_quantitative": (_("Results against the quantitative goals"), _(
        "For example how many went on to work or education."), "goals_quantitative"),
    "results_qualitative": (_("Results against the qualitative goals"), "",
                            "goals_qualitative"),
    "activities": (_("Activities"), _("What the participants were offered."), "measures"),
    "cooperation": (_("Cooperation"), _("With whom, and how it worked."), "cooperation_form"),
    "follow_up": (_("Follow-up after the end"), _(
        "How the participants who ended were followed up, for up to a year."), ""),
    "learning": (_("What was learned, and its transfer value"), _(
        "What others can use, and how it is shared."), "knowledge_transfer"),
    "deviations": (_("Deviations from the plan"), _(
        "What went differently than planned, and why. Changes that matter for the use of "
        "the grant must be reported without delay."), ""),
}
KIND_TEXTS = {
    ObligationKind.STATUS_REPORT: ("progress", "results_quantitative", "results_qualitative",
                                   "cooperation", "deviations"),
    ObligationKind.GRANT_REPORT: ("results_quantitative", "results_qualitative", "activities",
                                  "cooperation", "learning", "deviations"),
    ObligationKind.AFTER_CARE: ("follow_up", "results_quantitative", "deviations"),
}
WRITTEN_KINDS = tuple(KIND_TEXTS)
ACCOUNTS_FIELDS = ("grant_received", "grant_used", *(f"actual_{line}" for line in LINES),
                   "own_financing", "other_funding")
ACCOUNTS_TEXT = "accounts_explanation"


class ReportForm(forms.Form):
    """The fields of ``kind`` (and the accounts when the report has them). Every field may
    be empty in a draft, so none is marked optional."""

    hide_optional = True

    def __init__(self, *args, kind: str, accounts: bool, goals: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.accounts = kind, accounts
        for name in KIND_TEXTS[kind]:
            label, help_text, against = TEXTS[name]
            goal = str(goals.get(against) or "").strip() if against else ""
            if goal:  # the application's goal for this field, shown with it (escaped)
                help_text = format_html("{}<br><strong>{}</strong> {}", help_text,
                                        _("In the application:"), goal)
            self.fields[name] = text_field(label, help_text=help_text)
        if accounts:
            self.fields["grant_received"] = forms.DecimalField(
                label=_("Grant received in the year (NOK)"), **MONEY)
            self.fields["grant_used"] = forms.DecimalField(
                label=_("Grant used (NOK)"), **MONEY)
            for line in LINES:
                self.fields[f"actual_{line}"] = forms.DecimalField(
                    label=_("Costs: %(line)s (NOK)") % {"line": LINE_LABELS[line]}, **MONEY)
            self.fields["own_financing"] = forms.DecimalField(
                label=_("Own financing used (NOK)"), **MONEY,
                help_text=_("Including the estimated cost of resources you already had."))
            self.fields["other_funding"] = forms.DecimalField(
                label=_("Other funding used (NOK)"), **MONEY)
            self.fields[ACCOUNTS_TEXT] = text_field(
                _("Differences explained"), help_text=_(
                    "Required where a cost line is more than 10 % off its budget line, or own "
                    "financing is below what was promised."))

    @property
    def text_names(self) -> tuple[str, ...]:
        return KIND_TEXTS[self.kind]

    def content(self) -> dict:
        """What is valid, as JSON (money as whole kroner strings; empty as "")."""
        data = {}
        for name, value in self.cleaned_data.items():
            if name in self.errors:
                continue
            if isinstance(value, Decimal):
                data[name] = str(value)
            else:
                data[name] = "" if value is None else value
        return data


def missing(content: dict, kind: str, accounts: bool) -> list[str]:
    """The fields still empty that the report must have before it is certified."""
    names = [n for n in KIND_TEXTS[kind] if n != "deviations"]
    if accounts:
        names += list(ACCOUNTS_FIELDS)
    return [n for n in names if str(content.get(n, "")).strip() == ""]


def label_of(name: str) -> str:
    if name in TEXTS:
        return str(TEXTS[name][0])
    if name.startswith("actual_"):
        return str(_("Costs: %(line)s (NOK)") % {"line": LINE_LABELS[name[7:]]})
    return str({"grant_received": _("Grant received in the year (NOK)"),
                "grant_used": _("Grant used (NOK)"),
                "own_financing": _("Own financing used (NOK)"),
                "other_funding": _("Other funding used (NOK)"),
                ACCOUNTS_TEXT: _("Differences explained")}.get(name, name))


ACCOUNTS_ATTACHMENTS = ("pdf", "xlsx", "ods")


class AccountsAttachmentForm(AttachmentForm):
    """The accounts as a document: PDF or a spreadsheet, at most 10 MB."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Accounts attachment")
        self.fields["file"].help_text = _("PDF or a spreadsheet (Excel, OpenDocument), at most "
                                          "10 MB.")

    def clean_file(self):
        upload = self.files.get("file")
        name = getattr(upload, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in ACCOUNTS_ATTACHMENTS or extension not in ALLOWED_ATTACHMENTS:
            raise forms.ValidationError(_("Attach the accounts as PDF or a spreadsheet (Excel "
                                          "or OpenDocument)."))
        return super().clean_file()


class ApprovalForm(forms.Form):
    capacity = forms.ChoiceField(label=_("You approve as"),
                                 choices=AccountsApproval.Capacity.choices)
    seen = forms.RegexField(regex=r"^[0-9a-f]{64}$", max_length=64)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Why the report goes back"), required=False,
                              max_length=4000)
