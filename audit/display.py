"""Audit events as people read them: each payload key by a label and each value in words,
in the user's language — "Changed: Absence (%)", "Outcome: Passes", not
``fields=['absence_percent']`` or ``outcome=passed``.

The payload keeps codes and ids (audit/events.py); this module only turns them into text
for the audit log's search page and the case timeline. Every key declared in
``audit.events.SPECS`` has a label here (``tests/core/test_formatting.py`` checks it).

The audit log sits low in the house and knows no app above it: each app tells it, when
the app is ready, what its codes mean (``describe``): the labels of the fields its events
list, the words for the codes in its payloads, the filters it records.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core import formatting
from rules.messages import title

KEYS = {
    "accept_by": gettext_lazy("Accept by"),
    "agreement_id": gettext_lazy("Agreement"),
    "amount": gettext_lazy("Amount"),
    "answer": gettext_lazy("Answer"),
    "appeal_id": gettext_lazy("Appeal"),
    "application_id": gettext_lazy("Application"),
    "assignment_id": gettext_lazy("Role assignment"),
    "attachment_id": gettext_lazy("Attachment"),
    "automatic": gettext_lazy("Automatic"),
    "bytes": gettext_lazy("Size"),
    "case_id": gettext_lazy("Case"),
    "change_id": gettext_lazy("Change request"),
    "changes": gettext_lazy("Changes of number"),
    "code": gettext_lazy("Finding"),
    "codes": gettext_lazy("Numbers and names"),
    "content_hash": gettext_lazy("Hash of the signed content"),
    "content_type": gettext_lazy("File type"),
    "count": gettext_lazy("Number"),
    "created": gettext_lazy("Created"),
    "criteria": gettext_lazy("Criteria"),
    "decision_id": gettext_lazy("Decision"),
    "job_id": gettext_lazy("Background job"),
    "device_id": gettext_lazy("Device"),
    "fields": gettext_lazy("Changed"),
    "filters": gettext_lazy("Filters"),
    "format": gettext_lazy("Format"),
    "from_organization_id": gettext_lazy("From organisation"),
    "in_time": gettext_lazy("In time"),
    "invitation_id": gettext_lazy("Invitation"),
    "kind": gettext_lazy("Kind"),
    "letter_id": gettext_lazy("Letter"),
    "measure": gettext_lazy("Measure"),
    "measure_id": gettext_lazy("Measure"),
    "method": gettext_lazy("Log-in method"),
    "name_found": gettext_lazy("Name found in the population register"),
    "new": gettext_lazy("New"),
    "note_id": gettext_lazy("Note"),
    "obligation_id": gettext_lazy("Report"),
    "old": gettext_lazy("Old"),
    "organization_id": gettext_lazy("Organisation"),
    "outcome": gettext_lazy("Outcome"),
    "page": gettext_lazy("Page"),
    "participant_id": gettext_lazy("Participant"),
    "participant_ids": gettext_lazy("Participants shown"),
    "participants": gettext_lazy("Participants"),
    "point": gettext_lazy("After-care point"),
    "purpose": gettext_lazy("Purpose"),
    "reason": gettext_lazy("Reason"),
    "remaining": gettext_lazy("Remaining"),
    "retention_days": gettext_lazy("Kept for (days)"),
    "role": gettext_lazy("Role"),
    "capacity": gettext_lazy("Approved as"),
    "round_id": gettext_lazy("Round"),
    "rows": gettext_lazy("Rows"),
    "scope": gettext_lazy("Scope"),
    "sha256": gettext_lazy("SHA-256"),
    "size": gettext_lazy("Size"),
    "snapshot_id": gettext_lazy("Certified report"),
    "version_id": gettext_lazy("Certified version"),
    "run_id": gettext_lazy("Payment run"),
    "reaction_id": gettext_lazy("Hold-back or claw-back"),
    "receivable_id": gettext_lazy("Claim"),
    "fingerprint": gettext_lazy("Fingerprint of what was approved"),
    "paid": gettext_lazy("Paid"),
    "failed": gettext_lazy("Failed"),
    "total_ore": gettext_lazy("Total"),
    "amount_ore": gettext_lazy("Amount"),
    "source": gettext_lazy("Source"),
    "status": gettext_lazy("Status"),
    "step": gettext_lazy("Step"),
    "submission_id": gettext_lazy("Submission"),
    "terms_version": gettext_lazy("Terms, version"),
    "to_organization_id": gettext_lazy("To organisation"),
    "two_factor": gettext_lazy("Two-factor"),
    "updated": gettext_lazy("Updated"),
    "user_id": gettext_lazy("User"),
    "version": gettext_lazy("Version"),
    "year": gettext_lazy("Year"),
}

# Codes that are the same whatever the event.
WORDS = {
    "method": {"password": gettext_lazy("password"),
               "password+totp": gettext_lazy("password and code"),
               "oidc": gettext_lazy("ID-porten")},
    "step": {"password": gettext_lazy("password"), "code": gettext_lazy("code"),
             "reauth": gettext_lazy("confirming identity again")},
    "scope": {"account": gettext_lazy("the account"), "client": gettext_lazy("the client"),
              "reset_address": gettext_lazy("the e-mail address"),
              "reset_client": gettext_lazy("the client"),
              "organization": gettext_lazy("this organisation")},
    "purpose": {"sensitive_action": gettext_lazy("a sensitive action")},
    "format": {"csv": "CSV", "xlsx": "Excel"},
    "source": {"data": gettext_lazy("the code lists shipped with the system"),
               "klass": gettext_lazy("Statistics Norway's KLASS")},
    "page": {"person": gettext_lazy("Person and project"), "background": gettext_lazy(
        "Background"), "measures": gettext_lazy("Measures"), "end": gettext_lazy(
        "End and transition"), "after_care": gettext_lazy("After-care"),
        "summary": gettext_lazy("Summary")},
}


@dataclass
class Detail:
    label: str
    value: str


Labels = Callable[[], dict]

# What the apps tell the audit log, by event type or prefix ("casework." or
# "casework.letter_sent"; "" for every event). Each is a function, called when an event is
# shown, so the labels come in the reader's language.
_FIELDS: dict[str, list[Labels]] = {}
_VALUES: dict[tuple[str, str], Labels] = {}
_FILTERS: dict[str, Labels] = {}


def describe(prefix: str, *, fields: Labels | None = None,
             values: dict[str, Labels] | None = None, filters: Labels | None = None) -> None:
    """Called from an app's ``AppConfig.ready``: for events whose type starts with
    ``prefix``, ``fields`` gives the labels of the field names their ``fields`` payload
    lists, ``values`` the words for each payload key's codes, ``filters`` the form fields
    their recorded filters name."""
    if fields is not None:
        _FIELDS.setdefault(prefix, []).append(fields)
    for key, labels in (values or {}).items():
        _VALUES[(prefix, key)] = labels
    if filters is not None:
        _FILTERS[prefix] = filters


def choices(enum) -> Labels:
    """``describe(values={"kind": choices(Letter.Kind)})``."""
    return lambda: {str(v): str(label) for v, label in enum.choices}


def model_fields(*models) -> Labels:
    """The models' fields by their verbose names, capitalised."""
    def labels() -> dict:
        found: dict[str, str] = {}
        for model in models:
            for f in model._meta.get_fields():
                verbose = getattr(f, "verbose_name", None)
                if verbose and f.name not in found:
                    found[f.name] = str(verbose)[:1].upper() + str(verbose)[1:]
        return found
    return labels


def _prefixes(event_type: str) -> list[str]:
    """The event type, then its app ("casework."), then every event (""), most specific
    first."""
    app, _dot, _rest = event_type.partition(".")
    return [event_type, f"{app}.", ""]


def _value_words(key: str, event_type: str) -> dict | None:
    for prefix in _prefixes(event_type):
        labels = _VALUES.get((prefix, key))
        if labels is not None:
            return labels()
    return None


def _field_labels(event_type: str) -> dict[str, str]:
    """The field names an event's ``fields`` lists, by the label people know them by."""
    labels: dict[str, str] = {}
    for prefix in _prefixes(event_type):
        for found in _FIELDS.get(prefix, ()):
            for name, label in found().items():
                labels.setdefault(name, label)
    return labels


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _one(key: str, value, event_type: str) -> str:
    if value is None or value == "":
        return formatting.EMPTY
    if isinstance(value, bool):
        return _yes_no(value)
    if key in WORDS:
        return str(WORDS[key].get(str(value), value))
    if key == "application_id":
        return f"S-{int(value):06d}" if str(value).isdigit() else str(value)
    if key.endswith("_id"):
        return f"#{value}"
    if key == "amount":
        return formatting.amount(value)
    if key in ("amount_ore", "total_ore"):  # money in øre (finance)
        kroner = Decimal(int(value)) / 100
        return formatting.amount(kroner, 0 if kroner == kroner.to_integral_value() else 2)
    if key == "accept_by":
        try:
            return formatting.date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if key == "size":
        return formatting.filesize(value)
    if key in ("content_hash", "sha256", "fingerprint"):
        return f"{str(value)[:12]}…"
    if key == "code" and event_type == "register.finding_assessed":
        return title(str(value), get_language() or "nb") or {
            "duration": _("programme longer than allowed"),
            "measure_after_end": _("measure open after the end"),
        }.get(str(value), str(value))
    words = _value_words(key, event_type)
    if words is not None:
        return str(words.get(str(value), value))
    if isinstance(value, (int, float)):
        return formatting.number(value)
    return str(value)


def _filters(values: list, event_type: str) -> str:
    """Register filters, stored as "name=value" codes: "Status: active" in words."""
    fields = next((_FILTERS[p]() for p in _prefixes(event_type) if p in _FILTERS), {})
    words = []
    for item in values:
        name, _eq, value = str(item).partition("=")
        if name == "search":
            words.append(_("search by %(by)s") % {"by": {
                "national_id": _("id number"), "name": _("name")}.get(value, value)})
            continue
        field = fields.get(name)
        if field is None:
            words.append(str(item))
            continue
        choices = {str(k): str(v) for k, v in getattr(field, "choices", ()) or ()}
        try:
            shown = formatting.date(datetime.date.fromisoformat(value))
        except ValueError:
            shown = choices.get(value, value)
        words.append(f"{field.label}: {shown}")
    return "; ".join(words)


def event_details(event, *, users: dict | None = None) -> list[Detail]:
    """The event's payload as (label, value) pairs in the active language; ``users`` maps
    user ids to names, to show "User: Ola Nordmann" rather than "User: #4"."""
    payload = event.payload or {}
    details = []
    for key, value in payload.items():
        label = str(KEYS.get(key, key.replace("_", " ").capitalize()))
        if key == "fields" and isinstance(value, list):
            names = _field_labels(event.event_type)
            shown = ", ".join(names.get(str(v), str(v).replace("_", " ")) for v in value)
        elif key == "participant_ids" and isinstance(value, list):
            shown = formatting.number(len(value))
        elif key == "filters" and isinstance(value, list):
            shown = _filters(value, event.event_type) or formatting.EMPTY
        elif isinstance(value, list):
            shown = ", ".join(_one(key, v, event.event_type) for v in value) or formatting.EMPTY
        elif key == "user_id" and users and value in users:
            shown = users[value]
        elif isinstance(value, dict):
            shown = ", ".join(f"{k}: {v}" for k, v in value.items())
        else:
            shown = _one(key, value, event.event_type)
        details.append(Detail(label, shown))
    return details


def event_summary(event) -> str:
    """The details as one line: "Outcome: passes to assessment; Reason: –"."""
    return "; ".join(f"{d.label}: {d.value}" for d in event_details(event))


OBJECTS = {
    "accounts.user": gettext_lazy("User"),
    "organizations.organization": gettext_lazy("Organisation"),
    "applications.application": gettext_lazy("Application"),
    "register.participant": gettext_lazy("Participant"),
    "schemes.round": gettext_lazy("Round"),
    "casework.case": gettext_lazy("Case"),
}


def object_label(event) -> str:
    """"Application S-000001", "User #4" — the object by kind and number, not its model."""
    if not event.object_type:
        return ""
    kind = OBJECTS.get(event.object_type)
    if kind is None:
        app_label, _dot, model = event.object_type.partition(".")
        try:
            kind = apps.get_model(app_label, model)._meta.verbose_name
        except LookupError:
            kind = _("Object")
        kind = str(kind)[:1].upper() + str(kind)[1:]
    number = event.object_id
    if event.object_type == "applications.application" and str(number).isdigit():
        return f"{kind} S-{int(number):06d}"
    return f"{kind} #{number}"
