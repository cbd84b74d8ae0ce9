"""Writes for report obligations: made when a grant is accepted, added by the directorate,
moved through their statuses, opened and reminded of by the nightly job. Each change is
audited in its own transaction; mail is queued in it and sent after commit (core.mail)."""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import SIGNER_ROLES, Role
from audit.events import EventType
from audit.services import audit_record
from casework.models import Case, CaseStatus
from core import files, formatting
from core.mail import mail_queue
from core.pdf import render_pdf
from rules import reporting as schedule
from rules.errors import RuleError

from .forms import KIND_TEXTS
from .models import (
    PENDING,
    ObligationKind,
    ObligationStatus,
    Reminder,
    ReportObligation,
    ReportVersion,
    UsageSnapshot,
)
from .permissions import can_add_obligation, can_certify_report, can_review_reports
from .selectors import NO_DATA, USAGE_KINDS, report_recipients, usage_report
from .signals import report_accepted

OSLO = ZoneInfo("Europe/Oslo")
logger = logging.getLogger(__name__)
REASON_MAX = 2000
REASON_MIN = 10

# The kinds of e-mail this app sends, with their labels (registered in apps.py).
MAIL_KINDS = {"report_reminder": gettext_lazy("Report reminder"),
              "report_added": gettext_lazy("Report added to a grant"),
              "report_receipt": gettext_lazy("Receipt for a certified report"),
              "report_changes_requested": gettext_lazy("Changes to a report requested"),
              "report_for_certification": gettext_lazy("Report sent for certification")}
COMMENT_MAX = 4000
# The reports computed from the register belong to one financing model each.
COMPUTED_FOR = {ObligationKind.USED_PLACES: schedule.JOBBSJANSEN_2026,
                ObligationKind.PARTICIPANTS: schedule.PER_CAPITA_2024}


def _audit_target(obligation: ReportObligation) -> dict:
    """Events about a report go on its grant's timeline (the application's events)."""
    return {"object_type": "applications.application", "object_id": obligation.case.application_id}


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=OSLO)


# -- made when the grant is accepted -------------------------------------------------------

def obligations_create(*, case: Case, decision=None, application=None, actor=None
                       ) -> list[ReportObligation]:
    """The reports the accepted grant owes, from its grant model, round year and years
    (rules.reporting.obligations). Idempotent: an obligation already made (the same kind and
    period) is left alone, so a replayed signal changes nothing and records nothing."""
    application = application or case.application
    decision = decision or case.decision
    round_ = application.round
    try:
        planned = schedule.with_round_duties(
            schedule.obligations(round_.scheme.grant_model, round_.year, decision.years),
            [(d.kind, d.due_on, d.title) for d in round_.reporting_duties.all() if d.kind],
            round_.year)
    except RuleError:
        # No reporting schedule for this round's year (before the schedule's first dated
        # value): the grant is accepted all the same; a case officer adds its reports.
        logger.warning("no reporting schedule for round %s (%s)", round_.pk, round_.year)
        return []
    with transaction.atomic():
        existing = set(ReportObligation.objects.filter(case=case).values_list(
            "kind", "period_start", "period_end"))
        now = timezone.now()
        rows = [ReportObligation(
            case=case, organization_id=application.organization_id, round_id=round_.pk,
            kind=item.kind, grant_year=item.grant_year, period_start=item.period_start,
            period_end=item.period_end, opens_at=item.opens_at, deadline=item.deadline,
            status=(ObligationStatus.OPEN if item.opens_at <= now
                    else ObligationStatus.NOT_YET_OPEN),
            needs_accounts=item.accounts, accounts_two_approvers=item.accounts_two_approvers,
            source=item.source) for item in planned if item.key not in existing]
        if not rows:
            return []
        created = ReportObligation.objects.bulk_create(rows)
        audit_record(event_type=EventType.REPORT_OBLIGATIONS_CREATED,
                     actor=getattr(actor, "user", None),
                     organization=getattr(actor, "organization", None), target=application,
                     payload={"application_id": application.pk, "case_id": case.pk,
                              "count": len(created)})
    return created


# -- added by the directorate (the reaction "stricter reporting") --------------------------

def _valid_day(value, field: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError({field: _("Give a date.")})
    if not schedule.FIRST_YEAR <= value.year <= schedule.LAST_YEAR:
        raise ValidationError({field: _("Give a date between 2000 and 2100.")})
    return value


def _deadline(value) -> datetime.datetime:
    """A date means the end of that day, Norwegian time; a moment must be aware."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise ValidationError({"deadline": _("Give the deadline in Norwegian time.")})
        if not schedule.FIRST_YEAR <= value.year <= schedule.LAST_YEAR:
            raise ValidationError({"deadline": _("Give a date between 2000 and 2100.")})
        return value
    return schedule.deadline_at(_valid_day(value, "deadline"))


def obligation_add(*, actor, case: Case, kind: str, period: tuple[datetime.date, datetime.date],
                   deadline, reason: str) -> ReportObligation:
    """The directorate requires one more report of one accepted grant, with a reason (a
    recorded decision: audited, and the recipient is e-mailed)."""
    allowed = can_add_obligation(actor)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    if kind not in ObligationKind.values:
        raise ValidationError({"kind": _("Choose the kind of report.")})
    model = case.application.round.scheme.grant_model
    if kind in COMPUTED_FOR and model != COMPUTED_FOR[kind]:
        raise ValidationError({"kind": _("This report is computed from the register for "
                                         "another financing model than the grant's.")})
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("Give the reason for the stricter reporting.")})
    try:
        start, end = period
    except (TypeError, ValueError):
        raise ValidationError({"period": _("Give the period the report covers.")}) from None
    start, end = _valid_day(start, "period"), _valid_day(end, "period")
    if start > end:
        raise ValidationError({"period": _("The period must end on or after its start.")})
    deadline = _deadline(deadline)
    opens_at = _start_of(end + datetime.timedelta(days=1))
    if opens_at >= deadline:
        raise ValidationError({"deadline": _("The deadline must come after the period has "
                                             "ended.")})
    now = timezone.now()
    if deadline <= now:
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related(
            "application__organization", "application__round").get(pk=case.pk)
        if case.status != CaseStatus.ACCEPTED:
            raise ValidationError(_("Reports are added to an accepted grant only."))
        if ReportObligation.objects.filter(case=case, kind=kind, period_start=start,
                                           period_end=end).exists():
            raise ValidationError(_("The grant already owes this report for this period."))
        application = case.application
        obligation = ReportObligation.objects.create(
            case=case, organization_id=application.organization_id,
            round_id=application.round_id, kind=kind,
            grant_year=start.year, period_start=start, period_end=end, opens_at=opens_at,
            deadline=deadline,
            status=ObligationStatus.OPEN if opens_at <= now else ObligationStatus.NOT_YET_OPEN,
            needs_accounts=kind == ObligationKind.GRANT_REPORT, created_by_reaction=True,
            reason=reason, created_by=actor.user)
        audit_record(event_type=EventType.REPORT_OBLIGATION_ADDED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk, "case_id": case.pk,
                              "obligation_id": obligation.pk, "kind": kind})
        _mail(obligation, kind="report_added", template="reporting/email/added.txt",
              context={})
    return obligation


# -- the status machine --------------------------------------------------------------------

def transition_locked(obligation: ReportObligation, to: str, *, actor=None,
                now: datetime.datetime) -> ReportObligation:
    """Move a locked obligation along TRANSITIONS, in the caller's transaction."""
    if not obligation.may_become(to):
        raise ValidationError(_("A report that is “%(from)s” cannot become “%(to)s”.") % {
            "from": ObligationStatus(obligation.status).label,
            "to": ObligationStatus(to).label if to in ObligationStatus.values else to})
    old = obligation.status
    obligation.status = to
    fields = ["status", "updated_at"]
    if to == ObligationStatus.SUBMITTED and obligation.submitted_at is None:
        obligation.submitted_at = now
        fields.append("submitted_at")
    obligation.save(update_fields=fields)
    audit_record(event_type=EventType.REPORT_STATUS_CHANGED,
                 actor=getattr(actor, "user", None),
                 organization=getattr(actor, "organization", None), **_audit_target(obligation),
                 payload={"application_id": obligation.case.application_id,
                          "obligation_id": obligation.pk, "kind": obligation.kind,
                          "old": old, "new": to,
                          "in_time": (not obligation.is_late) if obligation.submitted_at
                          else None})
    return obligation


def open_if_due(obligation: ReportObligation, *, now: datetime.datetime) -> None:
    """A locked report whose window has come is open, even before the nightly job."""
    if obligation.status == ObligationStatus.NOT_YET_OPEN and obligation.opens_at <= now:
        transition_locked(obligation, ObligationStatus.OPEN, now=now)


def obligation_transition(*, obligation: ReportObligation, to: str, actor=None,
                          now: datetime.datetime | None = None) -> ReportObligation:
    """One step of the status machine, checked against the table and audited. Who may take
    which step is checked by the services of the report forms that call this."""
    with transaction.atomic():
        locked = ReportObligation.objects.select_for_update().select_related("case").get(
            pk=obligation.pk)
        return transition_locked(locked, to, actor=actor, now=now or timezone.now())


def obligations_open_due(*, now: datetime.datetime | None = None) -> int:
    """Open the reports whose window has come (not yet open → open), one transaction each."""
    now = now or timezone.now()
    due = ReportObligation.objects.filter(status=ObligationStatus.NOT_YET_OPEN,
                                          opens_at__lte=now).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            obligation = ReportObligation.objects.select_for_update().select_related(
                "case").filter(pk=pk, status=ObligationStatus.NOT_YET_OPEN).first()
            if obligation is None:
                continue
            transition_locked(obligation, ObligationStatus.OPEN, now=now)
        count += 1
    return count


# -- reminders -----------------------------------------------------------------------------

def _mail(obligation: ReportObligation, *, kind: str, template: str, context: dict) -> int:
    """Queue the mail to the recipient, one message per language; how many addresses."""
    count = 0
    for language, emails in report_recipients(obligation):
        mail_queue(kind=kind, to=emails, template=template, language=language,
                   context={"obligation": obligation, "organization": obligation.organization,
                            "application": obligation.case.application,
                            "written": obligation.kind in KIND_TEXTS, **context})
        count += len(emails)
    return count


def _remind(obligation: ReportObligation, due: schedule.ReminderDue,
            now: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            locked = ReportObligation.objects.select_for_update().select_related(
                "organization", "case__application").filter(
                pk=obligation.pk, status__in=PENDING).first()
            if locked is None:  # submitted since the list was read
                return False
            reminder = Reminder.objects.create(obligation=locked, kind=due.kind, slot=due.slot,
                                               sent_at=now)
            left = (locked.deadline_local.date() - timezone.localtime(now).date()).days
            count = _mail(locked, kind="report_reminder", template="reporting/email/reminder.txt",
                          context={"due": due, "days_left": left,
                                   "not_yet_open": locked.opens_at > now})
            Reminder.objects.filter(pk=reminder.pk).update(recipients=min(count, 32767))
            audit_record(event_type=EventType.REPORT_REMINDER_SENT, **_audit_target(locked),
                         organization=None,
                         payload={"application_id": locked.case.application_id,
                                  "obligation_id": locked.pk, "kind": due.kind,
                                  "count": count})
    except IntegrityError:  # another run sent this slot a moment ago
        return False
    return True


def reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """E-mail each reminder that is due (rules.reporting.reminder_due) for the reports not
    yet submitted; a slot already sent is never sent again. Returns how many were sent."""
    now = now or timezone.now()
    pending = ReportObligation.objects.pending().filter(
        deadline__lte=now + datetime.timedelta(days=400))
    candidates = list(pending.only("pk", "kind", "deadline"))
    sent = set(Reminder.objects.filter(obligation__in=pending.values("pk"))
               .values_list("obligation_id", "slot"))
    count = 0
    for obligation in candidates:
        try:
            days = schedule.reminder_days(obligation.kind, obligation.deadline_local.date())
        except RuleError:  # no reminder parameters for this kind or date
            continue
        due = schedule.reminder_due(obligation.deadline, now, days)
        if due is None or (obligation.pk, due.slot) in sent:
            continue
        if _remind(obligation, due, now):
            count += 1
    return count


# -- the register's yearly submission is the register report ---------------------------------

def register_obligations_submit(*, submission, actor=None) -> int:
    """The organisation submitted a year in the participant register: its open register
    obligations of that grant year are submitted by it (resubmitted after changes were
    requested; late marked after the deadline). One not yet open is left: the year's
    register report opens when the year is over, and is submitted again then."""
    count = 0
    now = submission.submitted_at or timezone.now()
    for obligation in (ReportObligation.objects.select_for_update().select_related("case")
                       .filter(organization_id=submission.organization_id,
                               kind=ObligationKind.REGISTER, grant_year=submission.year,
                               status__in=(ObligationStatus.OPEN, ObligationStatus.DRAFT,
                                           ObligationStatus.CHANGES_REQUESTED))):
        target = (ObligationStatus.RESUBMITTED if obligation.submitted_at
                  else ObligationStatus.SUBMITTED)
        transition_locked(obligation, target, actor=actor, now=now)
        count += 1
    return count


# -- certification of a report computed from the register -----------------------------------

def usage_report_certify(*, actor, obligation: ReportObligation, seen_hash: str,
                         now: datetime.datetime | None = None) -> UsageSnapshot:
    """The chief executive or a delegate certifies and submits the used-places or
    participant report exactly as they saw it: ``seen_hash`` is the fingerprint of the
    computation on their page. The report is computed anew from the register; if it no
    longer has that hash (the register changed), nothing is certified. What is certified is
    frozen in a UsageSnapshot; the obligation becomes submitted (resubmitted after changes
    were requested), marked late after the deadline and never refused for it; audited, and
    the receipt (a PDF) e-mailed, in one transaction."""
    allowed = can_certify_report(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    if obligation.kind not in USAGE_KINDS:
        raise ValidationError(_("Only the used-places and participant reports are computed "
                                "from the register."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = ReportObligation.objects.select_for_update().select_related(
            "organization", "case__application__round", "round__scheme").get(pk=obligation.pk)
        open_if_due(locked, now=now)
        if locked.status == ObligationStatus.NOT_YET_OPEN:
            raise ValidationError(_("The report opens %(day)s and can be certified from "
                                    "then.") % {"day": formatting.date(locked.opens_at)})
        target = (ObligationStatus.RESUBMITTED
                  if locked.status == ObligationStatus.CHANGES_REQUESTED
                  else ObligationStatus.SUBMITTED)
        if not locked.may_become(target):
            raise ValidationError(_("The report is already submitted."))
        try:
            report = usage_report(locked)
        except RuleError as error:
            raise ValidationError(str(error)) from None
        if not report.has_data:
            raise ValidationError(str(NO_DATA))
        data = report.as_dict()
        current = report.fingerprint()
        if not seen_hash or seen_hash != current:
            raise ValidationError(_(
                "The register changed after you opened the report, so the report is no "
                "longer what you saw. Nothing is certified: read the report again and "
                "certify it if it is right."))
        role = next(r for r in sorted(SIGNER_ROLES) if actor.has(r))
        snapshot = UsageSnapshot.objects.create(
            obligation=locked, model=report.model, data=data, sha256=current,
            total=report.total, participants=len(report.participants),
            participant_months=report.participant_months, certified_by=actor.user,
            certified_role=role, certified_at=now,
            late=schedule.is_late(now, locked.deadline))
        application = locked.case.application
        context = {"obligation": locked, "organization": locked.organization,
                   "application": application, "snapshot": snapshot, "report": report,
                   "explained": report.explained, "role": str(Role(role).label)}
        pdf = render_pdf("reporting/receipt.html", context, language="nb")
        name = f"kvittering-{application.reference}-rapport-{locked.pk}.pdf"
        snapshot.receipt_name, snapshot.receipt_sha256 = files.store("receipts", name, pdf)
        snapshot.save(update_fields=["receipt_name", "receipt_sha256"])
        obligation_transition(obligation=locked, to=target, actor=actor, now=now)
        audit_record(event_type=EventType.REPORT_CERTIFIED, actor=actor.user,
                     organization=actor.organization, **_audit_target(locked),
                     payload={"application_id": application.pk, "obligation_id": locked.pk,
                              "kind": locked.kind, "snapshot_id": snapshot.pk,
                              "sha256": current, "participants": snapshot.participants,
                              "amount": int(report.total), "in_time": not snapshot.late,
                              "role": role})
        receipt_mail(locked, actor, template="reporting/email/receipt.txt", context=context,
                     attachment=(name, "application/pdf", pdf))
    return snapshot


def receipt_mail(obligation: ReportObligation, actor, *, template: str, context: dict,
                 attachment: tuple[str, str, bytes]) -> None:
    """The receipt of a certified report, to the report's recipients and the signer (each
    in their language), queued in the caller's transaction."""
    recipients = report_recipients(obligation)
    signer = actor.user.email
    if signer and not any(signer in emails for _l, emails in recipients):
        recipients.append((actor.user.preferred_language or "nb", [signer]))
    for language, emails in recipients:
        mail_queue(kind="report_receipt", to=emails, template=template, language=language,
                   context=context, attachment=attachment)


# -- review by the directorate ----------------------------------------------------------------

def _review(actor, obligation: ReportObligation, comment: str, *, to: str,
            required: bool) -> tuple[ReportObligation, UsageSnapshot | ReportVersion | None, str]:
    allowed = can_review_reports(actor)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("At most %(n)s characters.") % {"n": COMMENT_MAX}})
    if required and len(comment) < REASON_MIN:
        raise ValidationError({"comment": _("Say what must be changed.")})
    locked = ReportObligation.objects.select_for_update().select_related(
        "organization", "case__application").get(pk=obligation.pk)
    if not locked.may_become(to):
        raise ValidationError(_("Only a submitted report can be accepted or sent back."))
    # What was certified: the register's snapshot, or the written report's version.
    # What was certified: the register's snapshot, or the written report's version. The
    # register report is the register's submission itself (register.Submission).
    if locked.kind == ObligationKind.REGISTER:
        snapshot = None
    else:
        records = (UsageSnapshot.objects if locked.kind in USAGE_KINDS
                   else ReportVersion.objects.filter(certified_at__isnull=False))
        snapshot = (records.select_for_update().filter(obligation=locked)
                    .order_by("-certified_at", "-pk").first())
        if snapshot is None or snapshot.review != UsageSnapshot.Review.PENDING:
            raise ValidationError(_("There is no certified report waiting for review."))
    now = timezone.now()
    if snapshot is not None:
        snapshot.review = to
        snapshot.review_comment, snapshot.reviewed_by, snapshot.reviewed_at = (
            comment, actor.user, now)
        snapshot.save(update_fields=["review", "review_comment", "reviewed_by",
                                     "reviewed_at"])
    obligation_transition(obligation=locked, to=to, actor=actor, now=now)
    locked.refresh_from_db(fields=["status", "updated_at"])
    return locked, snapshot, comment


def _reviewed(record) -> dict:
    """The audit payload's name for what was reviewed (nothing for the register report)."""
    if record is None:
        return {}
    key = "snapshot_id" if isinstance(record, UsageSnapshot) else "version_id"
    return {key: record.pk}


def report_accept(*, actor, obligation: ReportObligation, comment: str = ""
                  ) -> ReportObligation:
    """A case officer accepts a submitted report (the comment is optional). An accepted
    used-places or participant report is what the money is paid on (accepted_usage)."""
    with transaction.atomic():
        locked, snapshot, _comment = _review(actor, obligation, comment,
                                             to=ObligationStatus.ACCEPTED, required=False)
        report_accepted.send(sender=ReportObligation, obligation=locked, record=snapshot,
                             actor=actor)
        audit_record(event_type=EventType.REPORT_ACCEPTED, actor=actor.user,
                     organization=actor.organization, **_audit_target(locked),
                     payload={"application_id": locked.case.application_id,
                              "obligation_id": locked.pk, "kind": locked.kind,
                              **_reviewed(snapshot)})
    return locked


def report_request_changes(*, actor, obligation: ReportObligation, comment: str
                           ) -> ReportObligation:
    """A case officer sends a submitted report back with what must be changed; the
    recipient is e-mailed. The report is then certified again (resubmitted)."""
    with transaction.atomic():
        locked, snapshot, comment = _review(actor, obligation, comment,
                                            to=ObligationStatus.CHANGES_REQUESTED,
                                            required=True)
        audit_record(event_type=EventType.REPORT_CHANGES_REQUESTED, actor=actor.user,
                     organization=actor.organization, **_audit_target(locked),
                     payload={"application_id": locked.case.application_id,
                              "obligation_id": locked.pk, "kind": locked.kind,
                              **_reviewed(snapshot)})
        _mail(locked, kind="report_changes_requested",
              template="reporting/email/changes_requested.txt", context={"comment": comment})
    return locked
