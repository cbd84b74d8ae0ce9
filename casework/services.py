"""Writes for case handling: assignment and internal notes (more steps follow: screening,
assessment, allocation, decisions — issue 6)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.actor import Actor
from accounts.models import RoleAssignment
from accounts.roles import Role
from applications.models import Application, Status
from audit.events import EventType
from audit.services import audit_record

from .models import Case, CaseNote
from .permissions import can_work_cases


def _require(actor: Actor) -> None:
    decision = can_work_cases(actor)
    if not decision:
        raise PermissionDenied(decision.reason)


def case_for(application: Application) -> Case:
    """The case of a submitted application, opened the first time someone works on it."""
    if application.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application is a case."))
    case, _created = Case.objects.get_or_create(application=application)
    return case


def officers():
    """Users who hold the case officer role at the directorate or a regional office."""
    from accounts.models import User

    return User.objects.filter(
        pk__in=RoleAssignment.objects.active().filter(role=Role.CASE_OFFICER).values(
            "user_id"), is_active=True).order_by("first_name", "last_name")


@transaction.atomic
def case_assign(*, actor: Actor, application: Application, user) -> Case:
    _require(actor)
    if user is not None and not officers().filter(pk=user.pk).exists():
        raise ValidationError(_("Cases are assigned to case officers."))
    case = case_for(application)
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.assigned_to = user
    case.save(update_fields=["assigned_to", "updated_at"])
    audit_record(event_type=EventType.CASE_ASSIGNED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "user_id": user.pk if user else None})
    return case


@transaction.atomic
def case_note_add(*, actor: Actor, application: Application, text: str) -> CaseNote:
    _require(actor)
    text = text.strip()
    if len(text) < 3:
        raise ValidationError({"text": _("Write the note.")})
    case = case_for(application)
    note = CaseNote.objects.create(case=case, author=actor.user, text=text[:4000])
    audit_record(event_type=EventType.CASE_NOTE_ADDED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "note_id": note.pk})
    return note
