"""The application as a document people read: what the signer sees before signing, what
the receipt PDF prints and what the applicant and the directorate read afterwards.

One builder (``application_document``) and one template
(``templates/applications/_document.html``) serve the receipt, the portal's page and the
case page. After signing, the document is built from the signed canonical JSON
(``Signature.signed_document``, the text the hash is over), so it shows exactly what was
signed; before signing, from the application as it stands.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from stdnum.no import kontonr, orgnr

from core import formatting
from rules.errors import RuleError

from .checks import BUDGET_LINES, OWN_LINES, computed_grant
from .forms import ApplicationForm
from .models import Application

# The form's fields in sections, in the form's order. A field the form has that no
# section names is shown under "Other" at the end, so nothing signed is ever left out.
SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    (gettext_lazy("Project and contact person"),
     ("project_title", "contact_name", "contact_email", "contact_phone", "focus_area")),
    (gettext_lazy("Target group and scope"),
     ("target_group", "places_with_g", "places_without_g", "months", "participants")),
    (gettext_lazy("Measures and goals"),
     ("measures", "expected_effects", "goals_quantitative", "goals_qualitative")),
    (gettext_lazy("Cooperation"),
     ("partner_kinds", "cooperation_form", "knowledge_transfer", "earlier_results")),
    (gettext_lazy("Budget and financing"),
     (*BUDGET_LINES, *OWN_LINES, "other_public_funding", "amount_applied")),
    (gettext_lazy("Period and written standard"), ("multi_year", "letter_language")),
]
TEXT_WIDGETS = (forms.Textarea,)
# A line per month from the rules core: "2026-01 startsats med 1G" or "Januar 2026: …".
_MONTH_PREFIX = re.compile(r"^(\d{4}-\d{2} |[^\W\d_]+ \d{4}: )")
_UNIT = re.compile(r"\s*\((NOK|kr)\)$")  # "Budget: staff (NOK)": the value says "kr"
_RAW_KRONER = re.compile(r"(?<![\d.,])(\d+)(?:\.(\d{2}))? kr\b")


@dataclass
class Row:
    label: str
    value: str
    long: bool = False  # a text area: shown as a paragraph, line breaks kept


@dataclass
class Section:
    title: str
    rows: list[Row]


@dataclass
class GrantLine:
    label: str
    amount: str
    formula: str


@dataclass
class Attachment:
    name: str
    size: str
    sha256: str
    url: str = ""


@dataclass
class Document:
    reference: str
    round_title: str
    applicant: str
    applicant_rows: list[Row]
    version: int | None
    sections: list[Section]
    grant_total: str = ""
    grant_lines: list[GrantLine] = field(default_factory=list)
    grant_notes: list[str] = field(default_factory=list)
    budget_total: str = ""
    own_financing: str = ""
    own_share: str = ""
    partners: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    canonical: str = ""  # the signed JSON, exactly as hashed ("" before signing)
    content_hash: str = ""


def display_value(field_: forms.Field, value) -> str:
    """One form value as a person reads it: choices by their label, money as
    '3 600 000 kr', whole numbers grouped, '–' for nothing."""
    if value is None or value == "" or value == []:
        return formatting.EMPTY
    choices = {str(k): str(v) for k, v in getattr(field_, "choices", ()) or ()}
    if isinstance(field_, forms.MultipleChoiceField):
        values = value if isinstance(value, list) else [value]
        return ", ".join(choices.get(str(v), str(v)) for v in values)
    if isinstance(field_, forms.ChoiceField):
        return choices.get(str(value), str(value))
    if isinstance(field_, forms.DecimalField):
        return formatting.amount(value)
    if isinstance(field_, forms.IntegerField):
        return formatting.number(value)
    return str(value)


def _kroner(match: re.Match) -> str:
    return formatting.amount(Decimal(match.group(1) + "." + (match.group(2) or "0")))


def _readable(text: str) -> str:
    """Raw amounts in the rules core's formulas ('16000.00 kr') in Norwegian format."""
    return _RAW_KRONER.sub(_kroner, text)


def grant_summary(explained) -> list[GrantLine]:
    """The explanation's lines, month by month in the rules core, summed over the months
    with the same rate and places: 'startsats med 1G: 15 plasser × 16 000 kr, 12 months'."""
    groups: dict[tuple[str, str], list] = {}
    for line in explained.lines:
        key = (_MONTH_PREFIX.sub("", line.label), line.formula)
        groups.setdefault(key, []).append(line)
    summary = []
    for (label, formula), lines in groups.items():
        months = len(lines) if len(lines) > 1 or _MONTH_PREFIX.match(lines[0].label) else 0
        text = _readable(formula)
        if months:
            text += ", " + ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
        summary.append(GrantLine(label[:1].upper() + label[1:],
                                 formatting.amount(sum(line.amount for line in lines)), text))
    return summary


def _money(content: dict, names) -> Decimal:
    total = Decimal(0)
    for name in names:
        with contextlib.suppress(ArithmeticError):
            total += Decimal(str(content.get(name) or 0))
    return total


def application_document(application: Application, *, attachment_url=None) -> Document:
    """The document for ``application``: from the signed JSON when it is signed.
    ``attachment_url(attachment)`` gives a link for each attachment still stored."""
    signature = getattr(application, "signature", None)
    signed = json.loads(signature.signed_document) if signature else None
    org = application.organization
    if signed is not None:
        content = signed.get("content") or {}
        details = signed
        files = signed.get("attachments") or []
        version = signed.get("version")
    else:
        content = application.content
        details = {"org_number": org.org_number, "account_number": org.account_number,
                   "address": f"{org.postal_address}, {org.postal_code} {org.postal_place}"
                   if org.postal_address else "", "phone": org.phone, "email": org.email}
        files = [{"name": a.name, "size": a.size, "sha256": a.sha256}
                 for a in application.attachments.defer("data").order_by("id")]
        version = application.version
    form = ApplicationForm(round_=application.round)
    placed: set[str] = set()
    sections = []
    for title, names in SECTIONS:
        rows = [_row(form.fields[n], content.get(n)) for n in names if n in form.fields]
        placed.update(names)
        if rows:
            sections.append(Section(str(title), rows))
    rest = [_row(f, content.get(n)) for n, f in form.fields.items() if n not in placed]
    if rest:
        sections.append(Section(_("Other"), rest))

    document = Document(
        reference=application.reference, round_title=application.round.title,
        applicant=f"{org.official_name} ({org.code})",
        applicant_rows=_applicant_rows(details), version=version, sections=sections,
        partners=[f"{p.official_name} ({p.code})" for p in application.partners.order_by(
            "code")],
        canonical=signature.signed_document if signature else "",
        content_hash=signature.content_hash if signature else "")

    total, own = _money(content, BUDGET_LINES), _money(content, OWN_LINES)
    document.budget_total, document.own_financing = formatting.amount(total), \
        formatting.amount(own)
    if total:
        document.own_share = formatting.percent(own / total * 100)
    probe = Application(pk=application.pk, round=application.round, organization=org,
                        content=content)
    try:
        explained = computed_grant(probe)
    except (RuleError, ValueError, TypeError):
        explained = None
    if explained is not None:
        document.grant_total = formatting.amount(explained.total)
        document.grant_lines = grant_summary(explained)
        document.grant_notes = [_readable(note) for note in explained.notes]
    elif content.get("amount_applied") not in (None, ""):
        document.grant_total = formatting.amount(content.get("amount_applied"))

    stored = {}
    if attachment_url is not None:
        stored = {a.sha256: a for a in application.attachments.defer("data")}
    for f in files:
        live = stored.get(f.get("sha256"))
        document.attachments.append(Attachment(
            f.get("name", ""), formatting.filesize(f.get("size")), f.get("sha256", ""),
            attachment_url(live) if live is not None else ""))
    return document


def _row(field_: forms.Field, value) -> Row:
    return Row(_UNIT.sub("", str(field_.label)), display_value(field_, value),
               long=isinstance(field_.widget, TEXT_WIDGETS))


def _applicant_rows(details: dict) -> list[Row]:
    number, account = details.get("org_number") or "", details.get("account_number") or ""
    address = (details.get("address") or "").strip(", ")
    return [
        Row(_("Organisation number"), orgnr.format(number) if number else formatting.EMPTY),
        Row(_("Account number for payments"),
            kontonr.format(account) if account else formatting.EMPTY),
        Row(_("Postal address"), address or formatting.EMPTY),
        Row(_("Telephone"), details.get("phone") or formatting.EMPTY),
        Row(_("E-mail"), details.get("email") or formatting.EMPTY),
    ]
