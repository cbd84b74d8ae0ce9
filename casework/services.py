"""Writes for case handling: assignment and internal notes (more steps follow: screening,
assessment, allocation, decisions — issue 6)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actor import Actor
from accounts.models import RoleAssignment, User
from accounts.roles import SIGNER_ROLES, Role
from accounts.roles import Role as R
from applications.models import Application, Status
from audit.events import EventType
from audit.services import audit_record
from core import formatting
from core.mail import mail_queue
from rules.conditions import acceptance_deadline, appeal_deadline
from schemes.models import Round

from .letters import notify_applicant, send_letter
from .models import (
    Appeal,
    Assessment,
    Case,
    CaseNote,
    CaseStatus,
    ChangeRequest,
    Criterion,
    Decision,
    Letter,
    RejectionReason,
)
from .permissions import can_work_cases
from .selectors import amount_applied, committed_in_round, officers
from .signals import appeal_reversed, grant_accepted


def _bounded(field: str, text: str, limit: int) -> str:
    """Free text is bounded here too, whatever the form did."""
    text = text.strip()
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return text


def _require(actor: Actor) -> None:
    decision = can_work_cases(actor)
    if not decision:
        raise PermissionDenied(decision.reason)


def _not_withdrawn(application: Application) -> None:
    if application.status == Status.WITHDRAWN:
        raise ValidationError(_("The application is withdrawn by the applicant: nothing more "
                                "is done in the case."))


def case_for(application: Application) -> Case:
    """The case of a submitted application, opened the first time someone works on it."""
    _not_withdrawn(application)
    if application.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application is a case."))
    case, _created = Case.objects.get_or_create(application=application)
    return case


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
    text = _bounded("text", text, 4000)
    if len(text) < 3:
        raise ValidationError({"text": _("Write the note.")})
    case = case_for(application)
    note = CaseNote.objects.create(case=case, author=actor.user, text=text)
    audit_record(event_type=EventType.CASE_NOTE_ADDED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "note_id": note.pk})
    return note


@transaction.atomic
def case_screen(*, actor: Actor, application: Application, passed: bool, reason: str = "",
                reason_text: str = "") -> Case:
    """Record the formal screening. A rejection (avvisning) is an individual decision: the
    letter gives the reason, the right to appeal within three weeks, the ministry as the
    appeal body, and that the appeal is sent to the directorate."""
    _require(actor)
    case = Case.objects.select_for_update().get(pk=case_for(application).pk)
    if case.status != CaseStatus.RECEIVED:
        raise ValidationError(_("The case is already screened."))
    reason_text = _bounded("reason_text", reason_text, 4000)
    if not passed and reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Choose the reason for the rejection.")})
    case.status = CaseStatus.IN_ASSESSMENT if passed else CaseStatus.REJECTED
    case.screened_at, case.screened_by = timezone.now(), actor.user
    case.save(update_fields=["status", "screened_at", "screened_by", "updated_at"])
    audit_record(event_type=EventType.CASE_SCREENED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "outcome": "passed" if passed else "rejected",
                          "reason": reason or None})
    if not passed:
        _send_rejection(actor, application, case, reason, reason_text.strip())
    return case


def _send_rejection(actor, application, case, reason, reason_text) -> Letter:
    return send_letter(
        actor=actor, application=application, case=case, kind=Letter.Kind.REJECTION,
        template="casework/letters/rejection.html",
        context={"reason": RejectionReason(reason).label, "reason_text": reason_text,
                 "officer": actor.user,
                 "appeal_by": appeal_deadline(timezone.localdate())},
        reason=reason, reason_text=reason_text)


@transaction.atomic
def case_assess(*, actor: Actor, application: Application,
                scores: dict[str, tuple[int, str]]) -> list[Assessment]:
    """Record the actor's own scores (1–6) with justifications, per criterion."""
    _require(actor)
    case = Case.objects.select_for_update().get(pk=case_for(application).pk)
    if case.status != CaseStatus.IN_ASSESSMENT:
        raise ValidationError(_("Only a case that has passed the screening is assessed."))
    errors = {}
    for criterion, (score, justification) in scores.items():
        if criterion not in Criterion.values:
            errors[criterion] = _("Unknown criterion.")
        elif not 1 <= int(score) <= 6:
            errors[criterion] = _("The score is from 1 to 6.")
        elif len(justification.strip()) > 4000:
            errors[criterion] = _("At most %(n)s characters.") % {"n": 4000}
        elif len(justification.strip()) < 10:
            errors[criterion] = _("Justify the score in at least a sentence.")
    if errors:
        raise ValidationError(errors)
    rows = []
    for criterion, (score, justification) in scores.items():
        row, _created = Assessment.objects.update_or_create(
            case=case, assessor=actor.user, criterion=criterion,
            defaults={"score": int(score), "justification": justification.strip()})
        rows.append(row)
    audit_record(event_type=EventType.CASE_ASSESSED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "criteria": sorted(scores)})
    return rows


@transaction.atomic
def decision_propose(*, actor: Actor, application: Application, kind: str,
                     amount: Decimal | None = None, years: int = 1, conditions: str = "",
                     reasons: str = "") -> Decision:
    _require(actor)
    conditions = _bounded("conditions", conditions, 4000)
    reasons = _bounded("reasons", reasons, 4000)
    case = Case.objects.select_for_update().get(pk=case_for(application).pk)
    if case.status != CaseStatus.IN_ASSESSMENT:
        raise ValidationError(_("A decision is proposed for a case under assessment."))
    if hasattr(case, "decision") and case.decision.approved:
        raise ValidationError(_("The case is already decided."))
    if kind == Decision.Kind.COMMITMENT:
        if not amount or amount <= 0:
            raise ValidationError({"amount": _("Give the amount to grant.")})
        applied = amount_applied(application)
        if applied is not None and amount != applied.quantize(Decimal(1)) \
                and len(conditions.strip() + reasons.strip()) < 10:
            raise ValidationError({"reasons": _(
                "The amount differs from the amount applied for (%(applied)s): give the "
                "reason.") % {"applied": formatting.amount(applied)}})
        if years not in (1, 2, 3):
            raise ValidationError({"years": _("A grant is for one, two or three years.")})
    elif kind == Decision.Kind.REFUSAL:
        if len(reasons.strip()) < 10:
            raise ValidationError({"reasons": _("Give the reasons for the refusal.")})
        amount = None
    else:
        raise ValidationError({"kind": _("Choose grant or refusal.")})
    # A new proposal replaces the pending one in place and raises its version, so an
    # approval of the version loaded before is refused (four eyes approve what they saw).
    fields = {"kind": kind, "amount": amount, "years": years,
              "conditions": conditions.strip(), "reasons": reasons.strip(),
              "proposed_by": actor.user, "proposed_at": timezone.now()}
    decision = Decision.objects.select_for_update().filter(case=case).first()
    if decision is None:
        decision = Decision.objects.create(case=case, **fields)
    else:
        for name, value in fields.items():
            setattr(decision, name, value)
        decision.version += 1
        decision.save(update_fields=[*fields, "version"])
    audit_record(event_type=EventType.DECISION_PROPOSED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "decision_id": decision.pk, "version": decision.version,
                          "kind": kind, "amount": int(amount) if amount else None})
    return decision


def decision_approve(*, actor: Actor, application: Application, seen: str) -> Decision:
    """Four eyes: another officer approves exactly the proposal they saw — ``seen`` is the
    fingerprint (id, version and content) of the proposal shown on their page. The round's
    row is locked while the frame is checked, so two approvals at once can never together
    exceed it."""
    _require(actor)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=application.round_id)
        case = Case.objects.select_for_update().get(pk=case_for(application).pk)
        decision = Decision.objects.select_for_update().filter(case=case).first()
        if decision is None:
            raise ValidationError(_("There is no proposed decision to approve."))
        if decision.approved:
            raise ValidationError(_("The decision is already approved by %(name)s.")
                                  % {"name": decision.approved_by.get_full_name()})
        if decision.proposed_by_id == actor.user.pk:
            raise ValidationError(_("Another case officer must approve the decision you "
                                    "proposed (four eyes)."))
        if not seen or seen != decision.fingerprint():
            raise ValidationError(_(
                "The proposal was changed after you opened the case. Nothing is approved: "
                "read the current proposal and approve it if you agree."))
        if decision.kind == Decision.Kind.COMMITMENT:
            left = round_.budget_frame - committed_in_round(round_)
            if decision.amount > left:
                raise ValidationError(_("The grant of %(amount)s exceeds what is left of "
                                        "the round's budget frame (%(left)s).")
                                      % {"amount": formatting.amount(decision.amount),
                                         "left": formatting.amount(left)})
        now = timezone.now()
        decision.approved_by, decision.approved_at = actor.user, now
        if decision.kind == Decision.Kind.COMMITMENT:
            decision.accept_by = acceptance_deadline(timezone.localdate())
        decision.save(update_fields=["approved_by", "approved_at", "accept_by"])
        case.status = (CaseStatus.GRANTED if decision.kind == Decision.Kind.COMMITMENT
                       else CaseStatus.REFUSED)
        case.save(update_fields=["status", "updated_at"])
        audit_record(event_type=EventType.DECISION_APPROVED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk, "case_id": case.pk,
                              "decision_id": decision.pk, "version": decision.version,
                              "kind": decision.kind,
                              "amount": int(decision.amount) if decision.amount else None})
        _send_decision_letter(actor, application, case, decision)
    return decision


def _send_decision_letter(actor, application, case, decision) -> Letter:
    grant = decision.kind == Decision.Kind.COMMITMENT
    return send_letter(
        actor=actor, application=application, case=case,
        kind=Letter.Kind.GRANT if grant else Letter.Kind.REFUSAL,
        template="casework/letters/decision.html",
        context={"decision": decision, "round": application.round, "grant": grant,
                 "duties": application.round.reporting_duties.all(),
                 "accept_by": acceptance_deadline(timezone.localdate()),
                 "model": application.round.scheme.grant_model})


def _granted(application: Application) -> tuple[Case, Decision]:
    case = Case.objects.select_for_update().filter(application=application).first()
    decision = (Decision.objects.select_for_update().filter(case=case).first()
                if case else None)
    if case is None or decision is None or decision.kind != Decision.Kind.COMMITMENT \
            or not decision.approved:
        raise ValidationError(_("There is no grant waiting for acceptance."))
    return case, decision


def grant_accept(*, actor: Actor, application: Application) -> Decision:
    """The chief executive or a delegate accepts the grant and its conditions in time."""
    if actor.organization is None or actor.organization.pk != application.organization_id \
            or not actor.has(*SIGNER_ROLES):
        raise PermissionDenied(_("Only the applicant's chief executive or a delegate "
                                 "accepts the grant."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _not_withdrawn(application)
        case, decision = _granted(application)
        if case.status != CaseStatus.GRANTED:
            raise ValidationError(_("There is no grant waiting for acceptance."))
        if timezone.localdate() > decision.accept_by:
            raise ValidationError(_("The deadline for acceptance was %(date)s. Contact the "
                                    "directorate.") % {"date": formatting.date(decision.accept_by)})
        decision.accepted_at, decision.accepted_by = timezone.now(), actor.user
        decision.save(update_fields=["accepted_at", "accepted_by"])
        case.status = CaseStatus.ACCEPTED
        case.save(update_fields=["status", "updated_at"])
        role = next(r for r in sorted(SIGNER_ROLES) if actor.has(r))
        audit_record(event_type=EventType.GRANT_ACCEPTED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk, "case_id": case.pk,
                              "role": role})
        # In the transaction: what the grant owes (reporting) is made with the acceptance.
        grant_accepted.send(sender=Decision, actor=actor, application=application, case=case,
                            decision=decision)
    return decision


@transaction.atomic
def acceptance_extend(*, actor: Actor, application: Application, accept_by,
                      reason: str) -> Decision:
    _require(actor)
    _not_withdrawn(application)
    case, decision = _granted(application)
    if case.status not in (CaseStatus.GRANTED, CaseStatus.LAPSED):
        raise ValidationError(_("Only a grant not yet accepted can get a new deadline."))
    if len(_bounded("reason", reason, 4000)) < 5:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if accept_by <= timezone.localdate():
        raise ValidationError({"accept_by": _("The new deadline must be in the future.")})
    decision.accept_by, decision.accept_by_extended_reason = accept_by, reason.strip()
    decision.lapsed_at = None
    decision.save(update_fields=["accept_by", "accept_by_extended_reason", "lapsed_at"])
    case.status = CaseStatus.GRANTED
    case.save(update_fields=["status", "updated_at"])
    audit_record(event_type=EventType.ACCEPTANCE_EXTENDED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "accept_by": accept_by.isoformat()})
    return decision


def grants_lapse_due(*, today=None) -> int:
    """The nightly job: grants not accepted by their deadline lapse; the applicant is told.
    One transaction per grant, so a failure leaves nothing half-done."""
    today = today or timezone.localdate()
    count = 0
    due = Decision.objects.filter(kind=Decision.Kind.COMMITMENT, approved_at__isnull=False,
                                  accepted_at__isnull=True, lapsed_at__isnull=True,
                                  accept_by__lt=today).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            decision = Decision.objects.select_for_update().select_related(
                "case__application__organization").get(pk=pk)
            if decision.accepted_at or decision.lapsed_at or decision.accept_by >= today:
                continue
            decision.lapsed_at = timezone.now()
            decision.save(update_fields=["lapsed_at"])
            case = decision.case
            case.status = CaseStatus.LAPSED
            case.save(update_fields=["status", "updated_at"])
            application = case.application
            audit_record(event_type=EventType.GRANT_LAPSED,
                         organization=application.organization, target=application,
                         payload={"application_id": application.pk, "case_id": case.pk,
                                  "accept_by": decision.accept_by.isoformat()})
            notify_applicant(application, kind="grant_lapsed",
                             template="casework/email/lapsed.txt",
                             context={"decision": decision})
        count += 1
    return count


# A grant's decisions that can be appealed besides a rejection (fvl § 28): holding back
# its payments and claiming money back are individual decisions.
APPEALABLE_GRANT_LETTERS = (Letter.Kind.HOLD_BACK, Letter.Kind.CLAW_BACK)


def appealable_letter(case: Case | None) -> Letter | None:
    """The decision a recipient can appeal now: a rejection, or the latest hold-back or
    claw-back of an accepted grant (None when there is none)."""
    if case is None:
        return None
    if case.status == CaseStatus.REJECTED:
        return case.letters.filter(kind=Letter.Kind.REJECTION).order_by("-sent_at").first()
    if case.status == CaseStatus.ACCEPTED:
        return case.letters.filter(kind__in=APPEALABLE_GRANT_LETTERS).order_by(
            "-sent_at", "-pk").first()
    return None


def appeal_file(*, actor: Actor, application: Application, text: str,
                received_on) -> Appeal:
    """The applicant appeals a rejection. Whether it is in time (three weeks from receipt,
    fvl § 29) is computed and recorded; a late appeal is still registered for the
    directorate to assess."""
    if actor.organization is None or actor.organization.pk != application.organization_id \
            or not actor.has(R.APPLICATION_EDITOR, *SIGNER_ROLES):
        raise PermissionDenied(_("Only the applicant appeals its own case."))
    if len(_bounded("text", text, 8000)) < 20:
        raise ValidationError({"text": _("Say what you appeal and why, in a few sentences.")})
    today = timezone.localdate()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _not_withdrawn(application)
        case = Case.objects.select_for_update().filter(application=application).first()
        letter = appealable_letter(case)
        if letter is None:
            raise ValidationError(_("Only a rejection, or a decision to hold back or claim "
                                    "back a grant, can be appealed. Grants and refusals "
                                    "within the budget frame cannot."))
        if received_on < letter.sent_at.date() or received_on > today:
            raise ValidationError({"received_on": _(
                "The date you received the letter must be between the day it was sent and "
                "today.")})
        if case.appeals.exclude(status=Appeal.Status.DECIDED).exists():
            raise ValidationError(_("An appeal of this case is already being handled."))
        deadline = appeal_deadline(received_on)
        appeal = Appeal.objects.create(case=case, letter=letter, text=text.strip(),
                                       received_on=received_on, deadline=deadline,
                                       in_time=today <= deadline, filed_at=timezone.now(),
                                       filed_by=actor.user)
        audit_record(event_type=EventType.APPEAL_FILED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk, "appeal_id": appeal.pk,
                              "in_time": appeal.in_time})
        _appeal_notice(application, appeal)
        _notify_directorate(application, "appeal")
    return appeal


def directorate_recipients(application: Application) -> list[str]:
    """Who at the directorate is told of an appeal or a change request: the case officer
    of the case; else the case officers of the applicant's regional office; else every
    case officer."""
    case = Case.objects.filter(application=application).select_related("assigned_to").first()
    if case is not None and case.assigned_to and case.assigned_to.email:
        return [case.assigned_to.email]
    region = application.organization.region()
    active = RoleAssignment.objects.active().filter(role=Role.CASE_OFFICER)
    users = User.objects.filter(is_active=True, pk__in=(
        active.filter(organization=region) if region else active).values("user_id"))
    if region and not users.exists():
        users = User.objects.filter(is_active=True, pk__in=active.values("user_id"))
    return sorted({u.email for u in users if u.email})


def _notify_directorate(application: Application, what: str) -> None:
    recipients = directorate_recipients(application)
    if recipients:
        mail_queue(kind=f"directorate_{what}", to=recipients,
                   template="casework/email/directorate_queue.txt",
                   context={"application": application, "what": what}, language="nb")


def _appeal_notice(application: Application, appeal: Appeal) -> None:
    notify_applicant(application, kind="appeal_notice", template="casework/email/appeal.txt",
                     context={"appeal": appeal}, users=(appeal.filed_by,))


@transaction.atomic
def appeal_forward(*, actor: Actor, appeal: Appeal, preparation: str) -> Appeal:
    _require(actor)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("The appeal is already forwarded."))
    if len(_bounded("preparation", preparation, 8000)) < 20:
        raise ValidationError({"preparation": _("Write the directorate's preparation.")})
    appeal.preparation, appeal.forwarded_at = preparation.strip(), timezone.now()
    appeal.status = Appeal.Status.FORWARDED
    appeal.save(update_fields=["preparation", "forwarded_at", "status"])
    audit_record(event_type=EventType.APPEAL_FORWARDED, actor=actor.user,
                 organization=actor.organization, target=appeal.case.application,
                 payload={"application_id": appeal.case.application_id,
                          "appeal_id": appeal.pk})
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Actor, appeal: Appeal, outcome: str) -> Appeal:
    """Record the ministry's outcome. A reversed rejection reopens the case."""
    _require(actor)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.FORWARDED:
        raise ValidationError(_("Record the outcome when the appeal has been forwarded."))
    if outcome not in Appeal.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    appeal.outcome, appeal.decided_at = outcome, timezone.now()
    appeal.status = Appeal.Status.DECIDED
    appeal.save(update_fields=["outcome", "decided_at", "status"])
    if outcome == Appeal.Outcome.REVERSED and appeal.letter.kind == Letter.Kind.REJECTION:
        case = Case.objects.select_for_update().get(pk=appeal.case_id)
        case.status = CaseStatus.IN_ASSESSMENT
        case.save(update_fields=["status", "updated_at"])
    elif outcome == Appeal.Outcome.REVERSED:  # a hold-back or claw-back: money undoes it
        appeal_reversed.send(sender=Appeal, actor=actor, appeal=appeal, letter=appeal.letter)
    audit_record(event_type=EventType.APPEAL_DECIDED, actor=actor.user,
                 organization=actor.organization, target=appeal.case.application,
                 payload={"application_id": appeal.case.application_id,
                          "appeal_id": appeal.pk, "outcome": outcome})
    _appeal_notice(appeal.case.application, appeal)
    return appeal


def change_request_file(*, actor: Actor, application: Application, kind: str,
                        description: str) -> ChangeRequest:
    if actor.organization is None or actor.organization.pk != application.organization_id \
            or not actor.has(R.APPLICATION_EDITOR, *SIGNER_ROLES):
        raise PermissionDenied(_("Only the grant's recipient asks for changes."))
    if kind not in ChangeRequest.Kind.values:
        raise ValidationError({"kind": _("Choose what to change.")})
    if len(_bounded("description", description, 4000)) < 20:
        raise ValidationError({"description": _("Describe the change and why, in a few "
                                                "sentences.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _not_withdrawn(application)
        case = Case.objects.select_for_update().filter(application=application).first()
        if case is None or case.status not in (CaseStatus.GRANTED, CaseStatus.ACCEPTED):
            raise ValidationError(_("Changes can be asked for a grant only."))
        change = ChangeRequest.objects.create(case=case, kind=kind,
                                              description=description.strip(),
                                              requested_by=actor.user,
                                              requested_at=timezone.now())
        audit_record(event_type=EventType.CHANGE_REQUESTED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk, "change_id": change.pk,
                              "kind": kind})
        _notify_directorate(application, "change_request")
    return change


@transaction.atomic
def change_request_decide(*, actor: Actor, change: ChangeRequest, consent: bool,
                          response: str) -> ChangeRequest:
    """Consent (the grant's terms get a new version) or refuse, with a letter."""
    _require(actor)
    change = ChangeRequest.objects.select_for_update().select_related(
        "case__application__organization", "case__application__round").get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("The change request is already answered."))
    if len(_bounded("response", response, 4000)) < 10:
        raise ValidationError({"response": _("Write the answer to the applicant.")})
    application = change.case.application
    decision = Decision.objects.select_for_update().get(case=change.case)
    if consent:
        decision.terms_version += 1
        decision.save(update_fields=["terms_version"])
    change.status = (ChangeRequest.Status.CONSENTED if consent
                     else ChangeRequest.Status.REFUSED)
    change.response, change.decided_by = response.strip(), actor.user
    change.decided_at = timezone.now()
    change.terms_version = decision.terms_version if consent else None
    change.letter = send_letter(actor=actor, application=application, case=change.case,
                                kind=Letter.Kind.CHANGE, template="casework/letters/change.html",
                                context={"change": change, "decision": decision})
    change.save(update_fields=["status", "response", "decided_by", "decided_at",
                               "terms_version", "letter"])
    audit_record(event_type=EventType.CHANGE_DECIDED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "change_id": change.pk,
                          "status": change.status, "terms_version": change.terms_version})
    return change
