"""Writes for applications: start, save (every save a version), send for signing (freeze),
return for changes, sign (submit, with hash and receipt), withdraw."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.actor import Actor
from accounts.models import RoleAssignment
from accounts.roles import SIGNER_ROLES, Role
from audit.events import EventType
from audit.services import audit_record
from core import files, formatting
from core.mail import mail_queue
from core.pdf import render_pdf
from organizations.models import APPLICANT_KINDS, Organization
from schemes.models import Round
from schemes.selectors import round_may_apply

from . import permissions, signals
from .checks import application_checklist
from .models import (
    Application,
    ApplicationVersion,
    Attachment,
    PartnerConsent,
    Signature,
    Status,
)
from .selectors import computed_amount_applied

# At most this many attachments per application (each at most 10 MB, applications/forms.py).
MAX_ATTACHMENTS = 20


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _own(actor: Actor, application: Application) -> None:
    if actor.organization is None or application.organization_id != actor.organization.pk:
        raise PermissionDenied(_("This application belongs to another organisation."))


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related(
        "round__scheme", "organization").get(pk=application.pk)


def _version(application: Application, actor: Actor) -> None:
    application.version += 1
    application.save()
    ApplicationVersion.objects.create(application=application, number=application.version,
                                      content=application.content, status=application.status,
                                      saved_by=actor.user)


def application_start(*, actor: Actor, round_: Round) -> Application:
    _require(permissions.can_edit_applications(actor))
    if not round_.is_open():
        raise ValidationError(_("The round does not take applications now."))
    refusal = round_may_apply(round_, actor.organization)
    if refusal:
        raise ValidationError(refusal.text(get_language()))
    org = actor.organization
    content = {"contact_name": actor.user.get_full_name(), "contact_email": actor.user.email,
               "contact_phone": org.phone}
    try:
        with transaction.atomic():
            application = Application.objects.create(round=round_, organization=org,
                                                     content=content, created_by=actor.user)
            _version(application, actor)
            audit_record(event_type=EventType.APPLICATION_STARTED, actor=actor.user,
                         organization=org, target=application,
                         payload={"application_id": application.pk, "round_id": round_.pk})
    except IntegrityError:
        raise ValidationError(_("Your organisation already has an application in this "
                                "round.")) from None
    return application


@transaction.atomic
def application_save(*, actor: Actor, application: Application, content: dict) -> list[str]:
    _require(permissions.can_edit_applications(actor))
    _own(actor, application)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("The application is sent for signing and cannot be changed. "
                                "The signer can return it for changes."))
    changed = sorted(name for name, value in content.items()
                     if application.content.get(name) != value)
    if not changed:
        return []
    application.content = {**application.content, **content}
    _version(application, actor)
    audit_record(event_type=EventType.APPLICATION_SAVED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "version": application.version,
                          "fields": changed[:30]})
    return changed


@transaction.atomic
def application_send_for_signing(*, actor: Actor, application: Application) -> Application:
    _require(permissions.can_edit_applications(actor))
    _own(actor, application)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent for signing."))
    checklist = application_checklist(application)
    if not checklist.ready:
        raise ValidationError(_("The application is not complete: see the checklist."))
    application.status = Status.FOR_SIGNING
    application.return_comment = ""
    _version(application, actor)
    audit_record(event_type=EventType.APPLICATION_SENT_FOR_SIGNING, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "version": application.version})
    signers = signer_addresses(application.organization)
    if signers:
        mail_queue(kind="application_for_signing", to=signers,
                   template="applications/email/for_signing.txt",
                   context={"application": application,
                            "sender": actor.user.get_full_name() or actor.user.username})
    return application


def signer_addresses(organization: Organization) -> list[str]:
    """The e-mail addresses of the organisation's chief executive and delegated signers."""
    return sorted({a.user.email for a in RoleAssignment.objects.active().filter(
        organization=organization, role__in=SIGNER_ROLES, user__is_active=True)
        .select_related("user") if a.user.email})


@transaction.atomic
def application_return(*, actor: Actor, application: Application, comment: str
                       ) -> Application:
    _require(permissions.can_sign_applications(actor))
    _own(actor, application)
    application = _locked(application)
    if application.status != Status.FOR_SIGNING:
        raise ValidationError(_("Only an application sent for signing can be returned."))
    if not 5 <= len(comment.strip()) <= 4000:
        raise ValidationError({"comment": _("Say what must be changed (at most 4000 "
                                            "characters).")})
    application.status = Status.DRAFT
    application.return_comment = comment.strip()
    _version(application, actor)
    audit_record(event_type=EventType.APPLICATION_RETURNED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "version": application.version})
    return application


def signed_document(application: Application) -> str:
    """The canonical text that is hashed and signed: exactly what the signer saw."""
    org = application.organization
    return json.dumps({
        "application": application.reference, "round": application.round.title,
        "round_id": application.round_id, "organization": f"{org.code} {org.name}",
        "org_number": org.org_number, "account_number": org.account_number,
        "address": f"{org.postal_address}, {org.postal_code} {org.postal_place}",
        "phone": org.phone, "email": org.email,
        "version": application.version, "content": application.content,
        "attachments": [{"name": a.name, "size": a.size, "sha256": a.sha256}
                        for a in application.attachments.order_by("id")],
        # A joint application's partners, each of which accepted being named.
        "partners": [f"{p.code} {p.name}" for p in application.partners.order_by("code")],
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_signature(application: Application, *, user, role: str, at) -> Signature:
    """Freeze what was signed: the canonical document, its hash, the receipt PDF, and the
    amount applied for (the content no longer changes, so lists read it from the column)."""
    document = signed_document(application)
    content_hash = hashlib.sha256(document.encode()).hexdigest()
    application.status = Status.SUBMITTED
    application.submitted_at = at
    application.amount_applied = computed_amount_applied(application)
    application.save(update_fields=["status", "submitted_at", "amount_applied", "updated_at"])
    pdf = render_pdf("applications/receipt.html", {
        "application": application, "content": application.content, "document": document,
        "content_hash": content_hash, "signed_at": at, "signer": user,
        "role": str(Role(role).label)}, language="nb")
    name, receipt_hash = files.store("receipts", f"kvittering-{application.reference}.pdf", pdf)
    return Signature.objects.create(
        application=application, version=application.version, signed_by=user, role=role,
        signed_at=at, content_hash=content_hash, signed_document=document, receipt_file=name,
        receipt_hash=receipt_hash)


def application_sign(*, actor: Actor, application: Application) -> Signature:
    _require(permissions.can_sign_applications(actor))
    _own(actor, application)
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.FOR_SIGNING:
            raise ValidationError(_("Only an application sent for signing can be signed."))
        now = timezone.now()
        if now >= application.round.deadline:
            raise ValidationError(_("The deadline was %(deadline)s. The application can no "
                                    "longer be signed; contact the directorate.")
                                  % {"deadline": formatting.datetime(application.round.deadline)})
        waiting = [str(c.organization) for c in application.partner_consents.exclude(
            answer=PartnerConsent.Answer.ACCEPTED).select_related("organization")
            if application.partners.filter(pk=c.organization_id).exists()]
        if waiting:
            raise ValidationError(_("Every partner must accept being named before you sign. "
                                    "Waiting for: %(orgs)s.") % {"orgs": ", ".join(waiting)})
        role = next(r for r in sorted(SIGNER_ROLES) if actor.has(r))
        signature = record_signature(application, user=actor.user, role=role, at=now)
        content_hash = signature.content_hash
        audit_record(event_type=EventType.APPLICATION_SIGNED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk,
                              "version": application.version, "role": role,
                              "content_hash": content_hash})
        recipients = sorted({u.email for u in (application.created_by, actor.user)
                             if u is not None and u.email})
        if recipients:
            mail_queue(kind="application_receipt", to=recipients,
                       template="applications/email/receipt.txt",
                       context={"application": application, "signature": signature},
                       attachment=(f"kvittering-{application.reference}.pdf",
                                   "application/pdf", signature.read_receipt()))
    return signature


def may_withdraw(actor: Actor, application: Application) -> bool:
    """Whether the actor may withdraw the application now (the rule of
    ``application_withdraw``, for showing the button)."""
    if actor.organization is None or application.organization_id != actor.organization.pk:
        return False
    if application.status == Status.SUBMITTED:
        return bool(permissions.can_sign_applications(actor)) and not any(
            reason for _receiver, reason in signals.withdrawal_blocked.send(
                sender=Application, application=application))
    return application.status in (Status.DRAFT, Status.FOR_SIGNING) and bool(
        permissions.can_edit_applications(actor) or permissions.can_sign_applications(actor))


@transaction.atomic
def application_withdraw(*, actor: Actor, application: Application) -> Application:
    """Withdraw an application. A draft (or one waiting for signature) is the editors' own
    and any editor or signer may withdraw it. A submitted application was signed by the
    chief executive or a delegate: only a signer withdraws it, and only before any
    decision (a rejection, a grant or a refusal) — after that, the decision stands. Case
    handling closes the case as withdrawn, or refuses (``signals.application_withdrawing``);
    the case stays visible to the directorate."""
    _own(actor, application)
    application = _locked(application)
    if application.status == Status.WITHDRAWN:
        return application
    if application.status == Status.SUBMITTED:
        _require(permissions.can_sign_applications(actor))
    else:
        _require(permissions.can_edit_applications(actor) or
                 permissions.can_sign_applications(actor))
    if application.submitted_at is not None:
        signals.application_withdrawing.send(sender=Application, application=application,
                                             actor=actor)
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit_record(event_type=EventType.APPLICATION_WITHDRAWN, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk})
    return application


@transaction.atomic
def application_partner_add(*, actor: Actor, application: Application,
                            organization: Organization) -> None:
    """Name a partner. The partner is asked to accept (its signers and administrators are
    e-mailed); it reads the application meanwhile, and the lead cannot sign before every
    partner has accepted."""
    _require(permissions.can_edit_applications(actor))
    _own(actor, application)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("Partners can be changed only while the application is a "
                                "draft."))
    if organization == application.organization or organization.kind not in APPLICANT_KINDS:
        raise ValidationError(_("Choose another municipality, city district or county."))
    application.partners.add(organization)
    PartnerConsent.objects.update_or_create(
        application=application, organization=organization,
        defaults={"answer": PartnerConsent.Answer.PENDING, "asked_at": timezone.now(),
                  "answered_at": None, "answered_by": None})
    audit_record(event_type=EventType.APPLICATION_PARTNER_ADDED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk,
                          "organization_id": organization.pk})
    recipients = partner_answerers(organization)
    if recipients:
        mail_queue(kind="partner_asked", to=recipients,
                   template="applications/email/partner_asked.txt",
                   context={"application": application, "partner": organization})


def partner_answerers(organization: Organization) -> list[str]:
    """Who answers for a partner: its chief executive, delegated signers, administrators."""
    return sorted({a.user.email for a in RoleAssignment.objects.active().filter(
        organization=organization, user__is_active=True,
        role__in=[*SIGNER_ROLES, Role.MUNICIPALITY_ADMIN]).select_related("user")
        if a.user.email})


@transaction.atomic
def application_partner_answer(*, actor: Actor, application: Application,
                               accept: bool) -> PartnerConsent:
    _require(permissions.can_answer_partnership(actor))
    application = _locked(application)
    consent = PartnerConsent.objects.select_for_update().filter(
        application=application, organization=actor.organization).first()
    if consent is None or not application.partners.filter(pk=actor.organization.pk).exists():
        raise PermissionDenied(_("Your organisation is not named as a partner in this "
                                 "application."))
    if application.status not in (Status.DRAFT, Status.FOR_SIGNING):
        raise ValidationError(_("The application is already signed or withdrawn."))
    consent.answer = (PartnerConsent.Answer.ACCEPTED if accept
                      else PartnerConsent.Answer.DECLINED)
    consent.answered_at, consent.answered_by = timezone.now(), actor.user
    consent.save(update_fields=["answer", "answered_at", "answered_by"])
    if not accept:
        application.partners.remove(actor.organization)
    audit_record(event_type=EventType.APPLICATION_PARTNER_ANSWERED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk,
                          "organization_id": actor.organization.pk,
                          "answer": consent.answer})
    return consent


@transaction.atomic
def application_partner_remove(*, actor: Actor, application: Application,
                               organization: Organization) -> None:
    _require(permissions.can_edit_applications(actor))
    _own(actor, application)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("Partners can be changed only while the application is a "
                                "draft."))
    application.partners.remove(organization)
    PartnerConsent.objects.filter(application=application, organization=organization).delete()
    audit_record(event_type=EventType.APPLICATION_PARTNER_REMOVED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk,
                          "organization_id": organization.pk})


@transaction.atomic
def attachment_add(*, actor: Actor, application: Application, name: str, content_type: str,
                   data: bytes) -> Attachment:
    _require(permissions.can_edit_applications(actor))
    _own(actor, application)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("Attachments can be changed only while the application is a "
                                "draft."))
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _(
            "An application has at most %(n)s attachments. Remove one, or combine several "
            "documents in one PDF.") % {"n": MAX_ATTACHMENTS}})
    stored, sha256 = files.store("attachments", name, data)
    attachment = Attachment.objects.create(
        application=application, name=name[:200], content_type=content_type, size=len(data),
        sha256=sha256, file=stored, uploaded_by=actor.user)
    _version(application, actor)
    audit_record(event_type=EventType.APPLICATION_ATTACHMENT_ADDED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "attachment_id": attachment.pk,
                          "size": attachment.size, "content_type": content_type[:64]})
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Actor, application: Application, attachment_id: int) -> None:
    _require(permissions.can_edit_applications(actor))
    _own(actor, application)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("Attachments can be changed only while the application is a "
                                "draft."))
    deleted, _rows = application.attachments.filter(pk=attachment_id).delete()
    if deleted:
        _version(application, actor)
        audit_record(event_type=EventType.APPLICATION_ATTACHMENT_REMOVED, actor=actor.user,
                     organization=actor.organization, target=application,
                     payload={"application_id": application.pk,
                              "attachment_id": attachment_id})


@transaction.atomic
def application_register_late(*, actor: Actor, round_: Round, organization: Organization,
                              project_title: str, received_at) -> Application:
    """The directorate registers an application that came after the deadline (by letter or
    e-mail), marked late; screening decides whether it is rejected (issue 6)."""
    _require(permissions.can_register_late(actor))
    if organization.kind not in APPLICANT_KINDS:
        raise ValidationError({"code": _("Choose a municipality, city district or county.")})
    if Application.objects.filter(round=round_, organization=organization).exclude(
            status=Status.WITHDRAWN).exists():
        raise ValidationError({"code": _("The organisation already has an application in this "
                                         "round.")})
    application = Application.objects.create(
        round=round_, organization=organization, status=Status.SUBMITTED, late=True,
        content={"project_title": project_title.strip()}, created_by=actor.user,
        submitted_at=received_at)
    _version(application, actor)
    audit_record(event_type=EventType.APPLICATION_LATE_REGISTERED, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "round_id": round_.pk})
    return application
