"""Writes for schemes and rounds: one transaction each, with the audit event in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actor import Actor
from audit.events import EventType
from audit.services import audit_record

from .models import GrantModel, Round
from .permissions import can_manage_schemes

RATE_FIELDS = ("rate_start_with_g", "rate_start_without_g", "rate_base_with_g",
               "rate_base_without_g")


def _require(actor: Actor) -> None:
    decision = can_manage_schemes(actor)
    if not decision:
        raise PermissionDenied(decision.reason)


@transaction.atomic
def round_save(*, actor: Actor, round_: Round, data: dict, named_applicants=None) -> Round:
    """Create or change a round. A published round keeps its deadline and who may apply
    fixed: change them by closing it and opening a new one."""
    _require(actor)
    created = round_.pk is None
    if not created:  # decide on the stored state, not on what the caller holds
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not created and round_.status != Round.Status.DRAFT:
        locked = {"deadline", "applicant_kinds", "opens_at", "scheme"}
        if any(name in locked and getattr(round_, name) != value
               for name, value in data.items()):
            raise ValidationError(_("A published round's scheme, opening, deadline and "
                                    "applicants cannot change."))
    changed = [name for name, value in data.items() if getattr(round_, name, None) != value]
    for name in changed:
        setattr(round_, name, data[name])
    if created:
        round_.created_by = actor.user
    round_.save()
    if named_applicants is not None:
        before = set(round_.named_applicants.values_list("pk", flat=True))
        round_.named_applicants.set(named_applicants)
        if before != {org.pk for org in named_applicants}:
            changed.append("named_applicants")
    audit_record(event_type=EventType.ROUND_SAVED, actor=actor.user,
                 organization=actor.organization, target=round_,
                 payload={"round_id": round_.pk, "fields": sorted(changed)[:20],
                          "created": created})
    return round_


def round_problems(round_: Round) -> list[str]:
    """What stops the round from being published, in words an administrator can act on."""
    problems = []
    now = timezone.now()
    if round_.deadline <= now:
        problems.append(_("The deadline has passed."))
    if round_.opens_at >= round_.deadline:
        problems.append(_("The round must open before its deadline."))
    if not round_.budget_frame or round_.budget_frame <= 0:
        problems.append(_("Give the budget frame."))
    if not round_.applicant_kinds and not round_.named_applicants.exists():
        problems.append(_("Say who may apply."))
    if not round_.conditions.strip():
        problems.append(_("Write the conditions shown to applicants."))
    if round_.scheme.grant_model == GrantModel.JOBBSJANSEN_2026 and (
            any(getattr(round_, name) is None for name in RATE_FIELDS)
            or not round_.rates_source.strip()):
        problems.append(_("A Jobbsjansen 2026 round needs all four monthly rates, with the "
                          "circular they come from, before it opens."))
    return problems


@transaction.atomic
def round_publish(*, actor: Actor, round_: Round) -> Round:
    _require(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = round_problems(round_)
    if problems:
        raise ValidationError(problems)
    round_.status = Round.Status.OPEN
    round_.save(update_fields=["status", "updated_at"])
    audit_record(event_type=EventType.ROUND_PUBLISHED, actor=actor.user,
                 organization=actor.organization, target=round_,
                 payload={"round_id": round_.pk})
    return round_


@transaction.atomic
def round_close(*, actor: Actor, round_: Round) -> Round:
    _require(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Only a published round can be closed."))
    round_.status = Round.Status.CLOSED
    if round_.deadline > timezone.now():
        round_.deadline = timezone.now()
    round_.save(update_fields=["status", "deadline", "updated_at"])
    audit_record(event_type=EventType.ROUND_CLOSED, actor=actor.user,
                 organization=actor.organization, target=round_,
                 payload={"round_id": round_.pk})
    return round_


@transaction.atomic
def focus_area_add(*, actor: Actor, round_: Round, number: int, title: str,
                   target_group: str, applicant_kinds: list[str]) -> None:
    _require(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.DRAFT:
        raise ValidationError(_("Focus areas can be changed only while the round is a draft."))
    if round_.focus_areas.filter(number=number).exists():
        raise ValidationError({"number": _("The round already has a focus area with this "
                                           "number.")})
    round_.focus_areas.create(number=number, title=title, target_group=target_group,
                              applicant_kinds=applicant_kinds)
    audit_record(event_type=EventType.ROUND_SAVED, actor=actor.user,
                 organization=actor.organization, target=round_,
                 payload={"round_id": round_.pk, "fields": ["focus_areas"], "created": False})


@transaction.atomic
def reporting_duty_add(*, actor: Actor, round_: Round, title: str, due_on, kind: str = ""
                       ) -> None:
    _require(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == Round.Status.CLOSED:
        raise ValidationError(_("A closed round cannot be changed."))
    round_.reporting_duties.create(title=title, due_on=due_on, kind=kind or "")
    audit_record(event_type=EventType.ROUND_SAVED, actor=actor.user,
                 organization=actor.organization, target=round_,
                 payload={"round_id": round_.pk, "fields": ["reporting_duties"],
                          "created": False})
