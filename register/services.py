"""Writes to the participant register.

Each function is keyword-only, runs in one transaction, checks permission itself and
writes its audit event in that transaction. Audit payloads carry the participant's id and
field *names* — never the name, the id number or an answer.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.actor import Actor
from audit.events import EventType
from audit.services import audit_record
from jobs.services import job_results_discard
from organizations.models import Organization
from rules.identifiers import InvalidIdNumber, validate_national_id
from rules.register import after_care_ends

from . import codes, permissions
from .checks import follow_up_too_early, participant_checks
from .models import (
    DataProcessingAgreement,
    ExportedParticipant,
    FindingAssessment,
    FollowUp,
    Participant,
    ParticipantMeasure,
    Submission,
)
from .population import (
    PopulationRegister,
    PopulationRegisterUnavailable,
    population_register,
)
from .selectors import agreement_current, in_year
from .signals import year_submitted

# The fields each page of a participant writes (the Person page's id number and name
# are fixed at creation; the name comes only from the population register).
PAGE_FIELDS = {
    "person": ["start_date", "financing", "duration_extended"],
    "background": ["family_situation", "children", "youngest_child_age",
                   "education_home_country", "education_norway", "norwegian_level",
                   "work_experience", "literacy", "introduction", "introduction_ended_on",
                   "qualification_programme", "social_assistance", "transitional_benefit"],
    "end": ["end_date", "end_reason", "interruption_reason", "transition", "position_percent",
            "industry", "employment", "education_level", "absence_percent"],
}


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _own(actor: Actor, participant: Participant) -> None:
    _require(permissions.can_use_register(actor))
    if participant.organization_id != actor.organization.pk:
        raise PermissionDenied(_("This participant belongs to another municipality."))


def _refresh(participant: Participant) -> list[str]:
    """Bring status and check state up to date; return the fields that changed."""
    changed = []
    if participant.status == codes.Status.ACTIVE and participant.end_date and \
            participant.end_reason:
        participant.status = codes.Status.ENDED
        changed.append("status")
    elif participant.status == codes.Status.ENDED and not participant.end_date:
        participant.status = codes.Status.ACTIVE
        changed.append("status")
    state = participant_checks(participant).state
    if state != participant.check_state:
        participant.check_state = state
        changed.append("check_state")
    return changed


def allow_synthetic_ids() -> bool:
    from django.conf import settings

    return bool(settings.TILSKUDD_DEMO_MODE)


def participant_create(*, actor: Actor, national_id: str, start_date: datetime.date,
                       financing: str, register: PopulationRegister | None = None
                       ) -> Participant:
    _require(permissions.can_register_participants(actor))
    try:
        number = validate_national_id(national_id, allow_synthetic=allow_synthetic_ids()).number
    except InvalidIdNumber as error:
        raise ValidationError({"national_id": error.message}) from None
    try:
        person = (register or population_register()).lookup(number)
    except PopulationRegisterUnavailable:
        raise ValidationError(_("The National Population Register does not answer just now, "
                                "so the name cannot be fetched. Nothing is registered yet; "
                                "try again in a few minutes.")) from None
    participant = Participant(
        organization=actor.organization, national_id=number, start_date=start_date,
        financing=financing, created_by=actor.user,
        name=person.name if person else "",
        birth_date=person.birth_date if person else None,
        name_source=(codes.NameSource.POPULATION_REGISTER if person
                     else codes.NameSource.UNKNOWN))
    participant.check_state = participant_checks(participant, justified={},
                                                 has_measures=False).state
    try:
        with transaction.atomic():
            participant.save()
            audit_record(event_type=EventType.PARTICIPANT_CREATED, actor=actor.user,
                         organization=actor.organization, target=participant,
                         payload={"participant_id": participant.pk,
                                  "name_found": person is not None})
    except IntegrityError:
        raise ValidationError({"start_date": _(
            "This person is already registered in the municipality with this start date.")}
        ) from None
    return participant


@transaction.atomic
def participant_update(*, actor: Actor, participant: Participant, page: str,
                       data: dict) -> list[str]:
    """Save the given fields of one page (only those: a page saves what is valid)."""
    _own(actor, participant)
    allowed = set(PAGE_FIELDS[page])
    changed = [name for name, value in data.items()
               if name in allowed and getattr(participant, name) != value]
    for name in changed:
        setattr(participant, name, data[name])
    extra = _refresh(participant)
    if changed or extra:
        try:
            with transaction.atomic():
                participant.save(update_fields=[*changed, *extra, "updated_at"])
        except IntegrityError:
            participant.refresh_from_db()
            raise ValidationError({"start_date": _(
                "This person is already registered in the municipality with this start "
                "date.")}) from None
    if changed:
        audit_record(event_type=EventType.PARTICIPANT_UPDATED, actor=actor.user,
                     organization=actor.organization, target=participant,
                     payload={"participant_id": participant.pk, "page": page,
                              "fields": sorted(changed)})
    return changed


@transaction.atomic
def measure_add(*, actor: Actor, participant: Participant, measure: str,
                start_date: datetime.date, end_date: datetime.date | None) -> ParticipantMeasure:
    _own(actor, participant)
    row = ParticipantMeasure.objects.create(participant=participant, measure=measure,
                                            start_date=start_date, end_date=end_date)
    participant.save(update_fields=[*_refresh(participant), "updated_at"])
    audit_record(event_type=EventType.PARTICIPANT_MEASURE_ADDED, actor=actor.user,
                 organization=actor.organization, target=participant,
                 payload={"participant_id": participant.pk, "measure_id": row.pk,
                          "measure": measure})
    return row


@transaction.atomic
def measure_update(*, actor: Actor, participant: Participant, measure_id: int, measure: str,
                   start_date: datetime.date, end_date: datetime.date | None) -> list[str]:
    """Change a measure (a wrong date, or the end once it is known); audited like every
    other change of a participant: the page and the field names."""
    _own(actor, participant)
    row = (ParticipantMeasure.objects.select_for_update()
           .filter(participant=participant, pk=measure_id).first())
    if row is None:
        raise ValidationError(_("The measure was removed meanwhile."))
    values = {"measure": measure, "start_date": start_date, "end_date": end_date}
    changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
    if not changed:
        return []
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    participant.save(update_fields=[*_refresh(participant), "updated_at"])
    audit_record(event_type=EventType.PARTICIPANT_UPDATED, actor=actor.user,
                 organization=actor.organization, target=participant,
                 payload={"participant_id": participant.pk, "page": "measures",
                          "fields": changed})
    return changed


@transaction.atomic
def measure_remove(*, actor: Actor, participant: Participant, measure_id: int) -> bool:
    _own(actor, participant)
    deleted, _rows = ParticipantMeasure.objects.filter(participant=participant,
                                                       pk=measure_id).delete()
    if not deleted:
        return False
    participant.save(update_fields=[*_refresh(participant), "updated_at"])
    audit_record(event_type=EventType.PARTICIPANT_MEASURE_REMOVED, actor=actor.user,
                 organization=actor.organization, target=participant,
                 payload={"participant_id": participant.pk, "measure_id": measure_id})
    return True


@transaction.atomic
def follow_up_record(*, actor: Actor, participant: Participant, point: int, status: str,
                     recorded_on: datetime.date) -> FollowUp:
    _own(actor, participant)
    if not participant.end_date:
        raise ValidationError({"point": _("Register the end first: after-care follows the "
                                          "end of the programme.")})
    problem = follow_up_too_early(participant.end_date, point, recorded_on)
    if problem:
        raise ValidationError({"recorded_on": problem})
    row, _created = FollowUp.objects.update_or_create(
        participant=participant, point=point,
        defaults={"status": status, "recorded_on": recorded_on})
    participant.save(update_fields=["updated_at"])
    audit_record(event_type=EventType.PARTICIPANT_FOLLOW_UP_RECORDED, actor=actor.user,
                 organization=actor.organization, target=participant,
                 payload={"participant_id": participant.pk, "point": point})
    return row


@transaction.atomic
def finding_justify(*, actor: Actor, participant: Participant, code: str,
                    justification: str) -> FindingAssessment:
    _own(actor, participant)
    justification = justification.strip()
    if len(justification) < 10:
        raise ValidationError({"justification": _(
            "Write a justification of at least 10 characters: what the municipality assessed "
            "and why the participant belongs in the programme.")})
    row, _created = FindingAssessment.objects.update_or_create(
        participant=participant, code=code,
        defaults={"justification": justification, "recorded_by": actor.user})
    participant.save(update_fields=[*_refresh(participant), "updated_at"])
    audit_record(event_type=EventType.PARTICIPANT_FINDING_ASSESSED, actor=actor.user,
                 organization=actor.organization, target=participant,
                 payload={"participant_id": participant.pk, "code": code})
    return row


# The register's downloads (register/tasks.py): files with names, kept 24 hours.
EXPORT_JOB_KINDS = ("register.csv", "register.xlsx")


def _forget_downloads(organization_id: int) -> None:
    """A download made before a name was deleted would keep it: the organisation's files
    go (their owners make a new one; the access log keeps what each contained)."""
    job_results_discard(kinds=EXPORT_JOB_KINDS, organization_id=organization_id)


def _discharge(participant: Participant) -> None:
    # Free-text justifications may name someone despite the help text: blank them too
    # (the fact that a finding was assessed stays).
    FindingAssessment.objects.filter(participant=participant).update(justification="")
    participant.name = ""
    participant.name_source = codes.NameSource.DELETED
    participant.status = codes.Status.DISCHARGED
    participant.discharged_at = timezone.now()
    participant.save(update_fields=["name", "name_source", "status", "discharged_at",
                                    "updated_at"])
    _forget_downloads(participant.organization_id)


@transaction.atomic
def participant_discharge(*, actor: Actor, participant: Participant) -> None:
    """Discharge (utskrivning): the name is deleted; the id number stays for statistics."""
    _own(actor, participant)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != codes.Status.ENDED:
        raise ValidationError(_("Register the end date and the reason for ending before the "
                                "participant is discharged."))
    _discharge(participant)
    audit_record(event_type=EventType.PARTICIPANT_DISCHARGED, actor=actor.user,
                 organization=actor.organization, target=participant,
                 payload={"participant_id": participant.pk, "automatic": False})


def participants_discharge_due(*, today: datetime.date | None = None) -> int:
    """The nightly job: discharge everyone whose after-care year is over. Each participant
    in its own transaction, so a failure leaves the others done and nothing half-done."""
    today = today or timezone.localdate()
    count = 0
    candidates = Participant.objects.filter(status=codes.Status.ENDED,
                                            end_date__lt=today).only("pk", "end_date")
    for candidate in candidates.iterator():
        if after_care_ends(candidate.end_date) >= today:
            continue
        with transaction.atomic():
            participant = Participant.objects.select_for_update().get(pk=candidate.pk)
            if participant.status != codes.Status.ENDED:
                continue
            _discharge(participant)
            audit_record(event_type=EventType.PARTICIPANT_DISCHARGED,
                         organization=participant.organization, target=participant,
                         payload={"participant_id": participant.pk, "automatic": True})
        count += 1
    return count


@transaction.atomic
def participant_delete(*, actor: Actor, participant: Participant) -> None:
    """Delete the participant and everything tied to them (seed 000)."""
    _own(actor, participant)
    pk, organization_id = participant.pk, participant.organization_id
    participant.delete()  # measures, after-care and assessments cascade
    _forget_downloads(organization_id)
    audit_record(event_type=EventType.PARTICIPANT_DELETED, actor=actor.user,
                 organization=actor.organization, object_type="register.participant",
                 object_id=pk, payload={"participant_id": pk})


@transaction.atomic
def participant_viewed(*, actor: Actor, participant: Participant, page: str) -> None:
    audit_record(event_type=EventType.PARTICIPANT_VIEWED, actor=actor.user,
                 organization=actor.organization, target=participant,
                 payload={"participant_id": participant.pk, "page": page})


@transaction.atomic
def overview_viewed(*, actor: Actor, participant_ids: list[int], page: int,
                    filters: list[str]) -> None:
    """Who saw which participants in the list (ids only; the names were on the screen)."""
    audit_record(event_type=EventType.REGISTER_OVERVIEW_VIEWED, actor=actor.user,
                 organization=actor.organization,
                 payload={"rows": len(participant_ids), "participant_ids": participant_ids,
                          "page": page, "filters": filters})


@transaction.atomic
def export_logged(*, actor: Actor, fmt: str, participant_ids: list[int],
                  filters: list[str]) -> None:
    """A download, with the participants it contained (one row each, ids only)."""
    event = audit_record(event_type=EventType.REGISTER_EXPORTED, actor=actor.user,
                         organization=actor.organization,
                         payload={"format": fmt, "rows": len(participant_ids),
                                  "filters": filters})
    ExportedParticipant.objects.bulk_create(
        (ExportedParticipant(event=event, participant_id=pid) for pid in participant_ids),
        batch_size=2000)


@transaction.atomic
def pseudonymised_viewed(*, actor: Actor, rows: int, year: int | None) -> None:
    audit_record(event_type=EventType.REGISTER_PSEUDONYMISED_VIEWED, actor=actor.user,
                 organization=actor.organization, payload={"rows": rows, "year": year})


@transaction.atomic
def year_submit(*, actor: Actor, year: int) -> Submission:
    """Mark the year's records as submitted. Refused while any record is outside the rules
    or lacks information, with the count, so the user knows what to fix."""
    _require(permissions.can_use_register(actor))
    today = timezone.localdate()
    if year > today.year:
        raise ValidationError(_("A year can be submitted when it has begun."))
    qs = in_year(Participant.objects.filter(organization=actor.organization), year)
    not_done = qs.exclude(check_state="complete").count()
    if not_done:
        raise ValidationError(ngettext(
            "%(count)s participant in %(year)s still lacks information or is outside the "
            "rules. Complete the record and submit again.",
            "%(count)s participants in %(year)s still lack information or are outside the "
            "rules. Complete them and submit again.", not_done)
            % {"count": not_done, "year": year}, code="incomplete")
    submission = Submission.objects.create(organization=actor.organization, year=year,
                                           submitted_by=actor.user,
                                           participant_count=qs.count())
    audit_record(event_type=EventType.REGISTER_SUBMITTED, actor=actor.user,
                 organization=actor.organization, target=submission,
                 payload={"year": year, "participants": submission.participant_count,
                          "submission_id": submission.pk})
    year_submitted.send(sender=Submission, submission=submission, actor=actor)
    return submission


@transaction.atomic
def agreement_record(*, actor: Actor, organization: Organization, signed_on: datetime.date,
                     reference: str) -> DataProcessingAgreement:
    _require(permissions.can_manage_agreements(actor))
    if organization.kind not in permissions.REGISTER_KINDS:
        raise ValidationError({"organization": _(
            "Data processing agreements are made with municipalities and city districts.")})
    agreement = DataProcessingAgreement.objects.create(
        organization=organization, signed_on=signed_on, reference=reference.strip(),
        recorded_by=actor.user)
    organization.__dict__.pop("_current_agreement", None)
    audit_record(event_type=EventType.AGREEMENT_RECORDED, actor=actor.user,
                 organization=actor.organization, target=agreement,
                 payload={"organization_id": organization.pk, "agreement_id": agreement.pk})
    return agreement


@transaction.atomic
def participants_move(*, actor: Actor, participant_ids: list[int], source: Organization,
                      target: Organization) -> int:
    """Move participants after a split or merger (e.g. Ålesund → Ålesund and Haram, 2024).
    A renumbering needs no move: the organisation keeps its participants under its new
    number (decision 0004)."""
    _require(permissions.can_move_participants(actor))
    if target.kind not in permissions.REGISTER_KINDS or source == target:
        raise ValidationError({"target": _("Choose another municipality to move to.")})
    if agreement_current(target) is None:
        raise ValidationError({"target": _(
            "The municipality you move to has no signed data processing agreement recorded.")})
    rows = list(Participant.objects.select_for_update().filter(organization=source,
                                                               pk__in=participant_ids))
    clashes = Participant.objects.filter(organization=target).filter(
        national_id__in=[p.national_id for p in rows],
        start_date__in=[p.start_date for p in rows])
    clash_keys = {(c.national_id, c.start_date) for c in clashes}
    clashing = [p.reference for p in rows if (p.national_id, p.start_date) in clash_keys]
    if clashing:
        raise ValidationError({"references": _(
            "Already registered in the municipality you move to with the same start: "
            "%(refs)s. Nothing was moved.") % {"refs": ", ".join(clashing)}})
    for participant in rows:
        participant.organization = target
        participant.save(update_fields=["organization", "updated_at"])
        audit_record(event_type=EventType.PARTICIPANT_MOVED, actor=actor.user,
                     organization=actor.organization, target=participant,
                     payload={"participant_id": participant.pk,
                              "from_organization_id": source.pk,
                              "to_organization_id": target.pk})
    return len(rows)
