"""The written reports — status report, grant report with accounts, after-care — from the
first draft to the certification (issue 12).

An editor of the recipient writes: every save that changes something is a new version
(``report_save``), so nothing typed is ever lost. When nothing is missing and the accounts
hold, the report is sent for certification (``report_send``): the version is frozen with
its hash, together with the goal achievement the register shows for the period. For the
development grant the project lead and their superior — two persons — approve the frozen
accounts (``accounts_approve``). The chief executive or a delegate then certifies exactly
that version (``report_certify``, re-authenticated in the view), or returns it to the
writers (``report_return``). Certification submits the report (late is marked, never
refused), stores a receipt PDF and e-mails it. Each step is audited in its transaction and
appears on the grant's timeline; the directorate's review is services._review."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import SIGNER_ROLES, Role
from accounts.selectors import organization_contacts
from audit.events import EventType
from audit.services import audit_record
from core import files, formatting
from core.mail import mail_queue
from core.pdf import render_pdf
from rules import reporting as schedule
from rules.accounts import AccountsResult

from . import selectors, services
from .forms import KIND_TEXTS, label_of, missing
from .models import (
    AccountsApproval,
    ObligationStatus,
    ReportAttachment,
    ReportObligation,
    ReportVersion,
    UsageSnapshot,
    version_fingerprint,
)
from .permissions import (
    WRITER_ROLES,
    can_approve_accounts,
    can_certify_report,
    can_write_report,
)

S = ObligationStatus
EDITABLE = frozenset({S.OPEN, S.DRAFT, S.CHANGES_REQUESTED})
CONTENT_MAX = 64_000  # characters of JSON a version may hold (the form bounds each field)


def _target(obligation: ReportObligation) -> dict:
    return {"object_type": "applications.application",
            "object_id": obligation.case.application_id}


def _locked(obligation: ReportObligation) -> ReportObligation:
    return ReportObligation.objects.select_for_update().select_related(
        "organization", "round__scheme", "case__application").get(pk=obligation.pk)


def _check_written(obligation: ReportObligation) -> None:
    if obligation.kind not in KIND_TEXTS:
        raise ValidationError(_("This report is not written in a form."))


def _editable(obligation: ReportObligation) -> None:
    services.open_if_due(obligation, now=timezone.now())
    if obligation.status == S.NOT_YET_OPEN:
        raise ValidationError(_("The report opens %(day)s and can be written from then.") % {
            "day": formatting.date(obligation.opens_at)})
    if obligation.status not in EDITABLE:
        raise ValidationError(_("The report is sent for certification or submitted and "
                                "cannot be changed. The signer can return it for changes."))


def _new_version(obligation: ReportObligation, content: dict, *, user,
                 now: datetime.datetime, frozen: bool = False) -> ReportVersion:
    latest = obligation.versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    return ReportVersion.objects.create(
        obligation=obligation, number=number, content=content,
        sha256=version_fingerprint(obligation.pk, number, content), saved_by=user,
        saved_at=now, frozen_at=now if frozen else None)


def report_save(*, actor, obligation: ReportObligation, content: dict,
                now: datetime.datetime | None = None) -> ReportVersion | None:
    """Save what the editor wrote as a new version (None when nothing changed). The first
    save makes an open report a draft; a report sent back for changes becomes a draft."""
    allowed = can_write_report(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    _check_written(obligation)
    if len(str(content)) > CONTENT_MAX:
        raise ValidationError(_("The report is too long to be saved."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(obligation)
        _editable(locked)
        latest = selectors.report_latest_version(locked)
        merged = {**(latest.content.get("fields", {}) if latest else {}), **content}
        fields = {k: v for k, v in merged.items() if k in _names(locked)}
        if latest is not None and latest.frozen_at is None \
                and latest.content.get("fields") == fields:
            return None
        version = _new_version(locked, {"fields": fields}, user=actor.user, now=now)
        if locked.status != S.DRAFT:
            services.transition_locked(locked, S.DRAFT, actor=actor, now=now)
        audit_record(event_type=EventType.REPORT_SAVED, actor=actor.user,
                     organization=actor.organization, **_target(locked),
                     payload={"application_id": locked.case.application_id,
                              "obligation_id": locked.pk, "kind": locked.kind,
                              "version": version.number})
    return version


def _names(obligation: ReportObligation) -> set[str]:
    """The fields a version of this report may hold."""
    from_form = set(KIND_TEXTS[obligation.kind])
    if obligation.needs_accounts:
        from_form |= set(selectors.ACCOUNTS_NAMES)
    return from_form


def report_checklist(obligation: ReportObligation, fields: dict
                     ) -> tuple[list[str], AccountsResult | None]:
    """What is missing (field labels) and the accounts' check, for the fields given."""
    labels = [label_of(n) for n in missing(fields, obligation.kind, obligation.needs_accounts)]
    accounts = (selectors.accounts_result(obligation, fields)
                if obligation.needs_accounts else None)
    return labels, accounts


def report_send(*, actor, obligation: ReportObligation,
                now: datetime.datetime | None = None) -> ReportVersion:
    """Send the latest draft for certification: refused while a field is missing or the
    accounts do not hold; frozen with the register's goal achievement for the period and
    the report's attachments (by hash)."""
    allowed = can_write_report(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    _check_written(obligation)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(obligation)
        _editable(locked)
        latest = selectors.report_latest_version(locked)
        if latest is None:
            raise ValidationError(_("Write the report and save it first."))
        fields = dict(latest.content.get("fields", {}))
        absent, accounts = report_checklist(locked, fields)
        if absent:
            raise ValidationError(_("Fill in before the report is sent: %(fields)s.") % {
                "fields": ", ".join(absent)})
        if accounts is not None and accounts.blocks:
            language = translation.get_language()
            raise ValidationError([f.text(language) for f in accounts.findings
                                   if f.severity == "blocks"])
        content = {"fields": fields,
                   "goal": selectors.register_goal(locked),
                   "attachments": [{"id": a.pk, "name": a.name, "sha256": a.sha256,
                                    "size": a.size}
                                   for a in selectors.report_attachments(locked)]}
        version = _new_version(locked, content, user=actor.user, now=now, frozen=True)
        services.transition_locked(locked, S.AWAITING_CERTIFICATION, actor=actor, now=now)
        _mail_signers(locked, version)
        audit_record(event_type=EventType.REPORT_SENT_FOR_CERTIFICATION, actor=actor.user,
                     organization=actor.organization, **_target(locked),
                     payload={"application_id": locked.case.application_id,
                              "obligation_id": locked.pk, "kind": locked.kind,
                              "version": version.number, "sha256": version.sha256})
    return version


def _mail_signers(obligation: ReportObligation, version: ReportVersion) -> None:
    """Tell the recipient's chief executive and delegates that a report waits for them
    (each in their language); with two approvers, the writers too."""
    roles = set(SIGNER_ROLES) | (set(WRITER_ROLES) if obligation.accounts_two_approvers
                                 else set())
    by_language: dict[str, list[str]] = {}
    for user in organization_contacts(obligation.organization, roles):
        language = user.preferred_language if user.preferred_language in ("nb", "nn", "en") \
            else "nb"
        by_language.setdefault(language, []).append(user.email)
    for language, emails in sorted(by_language.items()):
        mail_queue(kind="report_for_certification", to=emails,
                   template="reporting/email/for_certification.txt", language=language,
                   context={"obligation": obligation, "organization": obligation.organization,
                            "application": obligation.case.application, "version": version})


def report_return(*, actor, obligation: ReportObligation,
                  now: datetime.datetime | None = None) -> ReportObligation:
    """The signer (or a writer) takes a report sent for certification back to draft; its
    approvals fall with the frozen version they named."""
    allowed = can_write_report(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(obligation)
        if locked.status != S.AWAITING_CERTIFICATION:
            raise ValidationError(_("Only a report sent for certification can be returned."))
        frozen = selectors.report_latest_version(locked)
        services.transition_locked(locked, S.DRAFT, actor=actor, now=now)
        audit_record(event_type=EventType.REPORT_RETURNED, actor=actor.user,
                     organization=actor.organization, **_target(locked),
                     payload={"application_id": locked.case.application_id,
                              "obligation_id": locked.pk, "kind": locked.kind,
                              "version": frozen.number if frozen else 0})
    return locked


def _frozen(locked: ReportObligation, seen_hash: str) -> ReportVersion:
    version = selectors.report_latest_version(locked)
    if locked.status != S.AWAITING_CERTIFICATION or version is None \
            or version.frozen_at is None:
        raise ValidationError(_("The report is not waiting for certification."))
    if not seen_hash or seen_hash != version.sha256 or not version.verifies():
        raise ValidationError(_("The report changed after you opened it. Nothing is "
                                "recorded: read the report again."))
    return version


def accounts_approve(*, actor, obligation: ReportObligation, capacity: str, seen_hash: str,
                     now: datetime.datetime | None = None) -> AccountsApproval:
    """The project lead or their superior approves the frozen accounts (two persons)."""
    allowed = can_approve_accounts(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    if capacity not in AccountsApproval.Capacity.values:
        raise ValidationError({"capacity": _("Choose whether you approve as the project lead "
                                             "or as the superior.")})
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = _locked(obligation)
            if not locked.accounts_two_approvers:
                raise ValidationError(_("These accounts are not approved in two steps."))
            version = _frozen(locked, seen_hash)
            approval = AccountsApproval.objects.create(
                version=version, capacity=capacity, sha256=version.sha256,
                approved_by=actor.user, approved_at=now)
            audit_record(event_type=EventType.REPORT_ACCOUNTS_APPROVED, actor=actor.user,
                         organization=actor.organization, **_target(locked),
                         payload={"application_id": locked.case.application_id,
                                  "obligation_id": locked.pk, "version": version.number,
                                  "sha256": version.sha256, "capacity": capacity})
    except IntegrityError:
        raise ValidationError(_("The accounts are approved by two different persons, once "
                                "as project lead and once as superior: this approval is "
                                "already given.")) from None
    return approval


def report_certify(*, actor, obligation: ReportObligation, seen_hash: str,
                   now: datetime.datetime | None = None) -> ReportVersion:
    """The chief executive or a delegate certifies and submits the frozen version they saw
    (``seen_hash``); for the development grant only once both approvals of that version are
    given. Submitted (resubmitted after changes were requested), marked late after the
    deadline; a receipt PDF stored and e-mailed, in one transaction."""
    allowed = can_certify_report(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    _check_written(obligation)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(obligation)
        version = _frozen(locked, seen_hash)
        if locked.accounts_two_approvers:
            given = set(version.approvals.values_list("capacity", flat=True))
            if given != set(AccountsApproval.Capacity.values):
                raise ValidationError(_("The accounts must first be approved by the project "
                                        "lead and by their superior."))
        target = S.RESUBMITTED if locked.submitted_at else S.SUBMITTED
        role = next(r for r in sorted(SIGNER_ROLES) if actor.has(r))
        version.certified_by, version.certified_role, version.certified_at = (
            actor.user, role, now)
        version.late = schedule.is_late(now, locked.deadline)
        version.review = UsageSnapshot.Review.PENDING
        application = locked.case.application
        context = {"obligation": locked, "organization": locked.organization,
                   "application": application, "version": version,
                   "document": _document_in_bokmal(locked, version),
                   "approvals": list(version.approvals.select_related("approved_by")),
                   "role": str(Role(role).label)}
        pdf = render_pdf("reporting/written_receipt.html", context, language="nb")
        name = f"kvittering-{application.reference}-rapport-{locked.pk}-v{version.number}.pdf"
        version.receipt_name, version.receipt_sha256 = files.store("receipts", name, pdf)
        version.save(update_fields=["certified_by", "certified_role", "certified_at", "late",
                                    "review", "receipt_name", "receipt_sha256"])
        services.transition_locked(locked, target, actor=actor, now=now)
        audit_record(event_type=EventType.REPORT_CERTIFIED, actor=actor.user,
                     organization=actor.organization, **_target(locked),
                     payload={"application_id": application.pk, "obligation_id": locked.pk,
                              "kind": locked.kind, "version_id": version.pk,
                              "sha256": version.sha256, "in_time": not version.late,
                              "role": role})
        services.receipt_mail(locked, actor, template="reporting/email/written_receipt.txt",
                              context=context, attachment=(name, "application/pdf", pdf))
    return version


def _document_in_bokmal(obligation: ReportObligation, version: ReportVersion) -> dict:
    """The receipt is written in bokmål, findings included."""
    with translation.override("nb"):
        return selectors.report_document(obligation, version)


# -- attachments (the accounts as a document) ----------------------------------------------

def attachment_add(*, actor, obligation: ReportObligation, name: str, content_type: str,
                   data: bytes) -> ReportAttachment:
    allowed = can_write_report(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    _check_written(obligation)
    with transaction.atomic():
        locked = _locked(obligation)
        _editable(locked)
        if selectors.report_attachments(locked).count() >= selectors.MAX_ATTACHMENTS:
            raise ValidationError(_("A report has at most %(n)s attachments.") % {
                "n": selectors.MAX_ATTACHMENTS})
        stored, sha256 = files.store("report-attachments", name, data)
        attachment = ReportAttachment.objects.create(
            obligation=locked, name=name[:200], content_type=content_type, size=len(data),
            sha256=sha256, file=stored, uploaded_by=actor.user)
        audit_record(event_type=EventType.REPORT_ATTACHMENT_ADDED, actor=actor.user,
                     organization=actor.organization, **_target(locked),
                     payload={"application_id": locked.case.application_id,
                              "obligation_id": locked.pk, "attachment_id": attachment.pk,
                              "sha256": sha256, "bytes": len(data)})
    return attachment


def attachment_remove(*, actor, obligation: ReportObligation, attachment_id: int) -> None:
    """Taken off the report (the file stays for the record: a frozen version names it)."""
    allowed = can_write_report(actor, obligation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    with transaction.atomic():
        locked = _locked(obligation)
        _editable(locked)
        removed = ReportAttachment.objects.filter(
            pk=attachment_id, obligation=locked, removed_at__isnull=True).update(
            removed_at=timezone.now())
        if not removed:
            raise ValidationError(_("The attachment is not on the report."))
        audit_record(event_type=EventType.REPORT_ATTACHMENT_REMOVED, actor=actor.user,
                     organization=actor.organization, **_target(locked),
                     payload={"application_id": locked.case.application_id,
                              "obligation_id": locked.pk, "attachment_id": attachment_id})
