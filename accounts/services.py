"""Writes for users, roles, invitations and two-factor devices.

Every function runs in one transaction and writes its audit event in it; e-mail is
queued in the outbox and sent after commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.events import EventType
from audit.services import audit_record
from core.mail import mail_queue
from organizations.models import Organization

from . import permissions
from .actor import Actor
from .models import Invitation, RoleAssignment, User
from .roles import Role
from .selectors import organization_contacts

BACKUP_CODE_COUNT = 10


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- roles ---------------------------------------------------------------------------


def role_grant(
    *, actor: Actor, user: User, organization: Organization, role: str
) -> RoleAssignment:
    decision = permissions.can_grant_role(actor, organization, role, user=user)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        existing = RoleAssignment.objects.active().filter(
            user=user, organization=organization, role=role
        ).first()
        if existing:
            return existing
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    user=user, organization=organization, role=role, granted_by=actor.user
                )
        except IntegrityError:
            # Granted by someone else at the same moment: the role is there, as wanted.
            return RoleAssignment.objects.active().get(
                user=user, organization=organization, role=role
            )
        audit_record(
            event_type=EventType.ROLE_GRANTED, actor=actor.user,
            organization=actor.organization, target=assignment,
            payload={"user_id": user.pk, "role": role, "organization_id": organization.pk,
                     "assignment_id": assignment.pk},
        )
        _notify_sensitive_grant(assignment, granted_by=actor.user)
    return assignment


# Roles whose grant is told to the organisation's chief executive(s) and other
# administrators: the right to sign for the organisation, and access to the participant
# register (the roles nobody may give themselves, see permissions.NO_SELF_GRANT).
NOTIFY_ON_GRANT = permissions.NO_SELF_GRANT


def _notify_sensitive_grant(assignment: RoleAssignment, *, granted_by) -> None:
    """E-mail the organisation's chief executive(s) and administrators — except the one
    who granted and the one who got the role — that a signing or register role was given."""
    if assignment.role not in NOTIFY_ON_GRANT:
        return
    recipients = organization_contacts(
        assignment.organization, {Role.CHIEF_EXECUTIVE, Role.MUNICIPALITY_ADMIN},
        exclude=[granted_by, assignment.user],
    )
    for recipient in recipients:
        mail_queue(
            kind="sensitive_role_granted", to=[recipient.email],
            template="accounts/email/sensitive_role_granted.txt",
            context={"recipient": recipient, "assignment": assignment,
                     "granted_by": granted_by},
            language=recipient.preferred_language or None,
        )


def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    decision = permissions.can_manage_roles_in(actor, assignment.organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.revoked_at is not None:
            return assignment
        assignment.revoked_at = timezone.now()
        assignment.revoked_by = actor.user
        assignment.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            event_type=EventType.ROLE_REVOKED, actor=actor.user,
            organization=actor.organization, target=assignment,
            payload={"user_id": assignment.user_id, "role": assignment.role,
                     "organization_id": assignment.organization_id,
                     "assignment_id": assignment.pk},
        )
    return assignment


def user_remove_from_organization(*, actor: Actor, user: User, organization: Organization) -> int:
    """Revoke all the user's roles in one organisation (a municipality's 'deactivate')."""
    decision = permissions.can_manage_roles_in(actor, organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        assignments = list(
            RoleAssignment.objects.active().filter(user=user, organization=organization)
        )
        for assignment in assignments:
            role_revoke(actor=actor, assignment=assignment)
        audit_record(
            event_type=EventType.USER_DEACTIVATED, actor=actor.user,
            organization=actor.organization, target=user,
            payload={"user_id": user.pk, "scope": "organization",
                     "organization_id": organization.pk},
        )
    return len(assignments)


def user_set_active(*, actor: Actor, user: User, active: bool) -> User:
    decision = permissions.can_deactivate_account(actor, user)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            event_type=EventType.USER_REACTIVATED if active else EventType.USER_DEACTIVATED,
            actor=actor.user, organization=actor.organization, target=user,
            payload={"user_id": user.pk} if active else {"user_id": user.pk, "scope": "account"},
        )
    return user


# -- invitations ---------------------------------------------------------------------


def user_invite(
    *, actor: Actor, email: str, first_name: str, last_name: str,
    organization: Organization, role: str,
) -> Invitation:
    """Invite a person by e-mail to take a role. The role exists only when the invited
    person accepts it: someone without an account creates one from the link, someone with
    an account logs in and accepts (or declines). The inviter gets the same answer either
    way, so an invitation never tells whether an address has an account."""
    decision = permissions.can_grant_role(actor, organization, role)
    if not decision:
        raise PermissionDenied(decision.reason)
    email = email.strip()
    own = getattr(actor.user, "email", "") or ""
    if own and email.casefold() == own.casefold():
        raise PermissionDenied(_("You cannot invite yourself. Ask another administrator if "
                                 "you need another role."))
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            email=email, first_name=first_name.strip(), last_name=last_name.strip(),
            organization=organization, role=role, token_hash=_hash_token(token),
            invited_by=actor.user,
            expires_at=timezone.now() + timedelta(days=settings.TILSKUDD_INVITATION_DAYS),
        )
        audit_record(
            event_type=EventType.USER_INVITED, actor=actor.user,
            organization=actor.organization, target=invitation,
            payload={"invitation_id": invitation.pk, "role": role,
                     "organization_id": organization.pk},
        )
        mail_queue(
            kind="invitation", to=[email],
            template=("accounts/email/invitation_existing.txt" if existing is not None
                      else "accounts/email/invitation.txt"),
            context={"invitation": invitation, "token": token, "user": existing},
            language=(existing.preferred_language or None) if existing is not None else None,
            secrets=[token],
        )
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.filter(token_hash=_hash_token(token)).select_related(
        "organization", "invited_by"
    ).first()
    return invitation if invitation is not None and invitation.is_open else None


def invitation_has_account(invitation: Invitation) -> bool:
    """Whether the invited address has an account (told only to the invited person)."""
    return User.objects.filter(email__iexact=invitation.email).exists()


def _grant_from_invitation(invitation: Invitation, user: User) -> RoleAssignment:
    """Give the invited role (inside the caller's transaction, the invitation locked)."""
    assignment = RoleAssignment.objects.active().filter(
        user=user, organization=invitation.organization, role=invitation.role
    ).first()
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            user=user, organization=invitation.organization, role=invitation.role,
            granted_by=invitation.invited_by,
        )
        audit_record(
            event_type=EventType.ROLE_GRANTED, actor=invitation.invited_by,
            organization=invitation.organization, target=assignment,
            payload={"user_id": user.pk, "role": invitation.role,
                     "organization_id": invitation.organization_id,
                     "assignment_id": assignment.pk},
        )
        _notify_sensitive_grant(assignment, granted_by=invitation.invited_by)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        event_type=EventType.INVITATION_ACCEPTED, actor=user,
        organization=invitation.organization, target=invitation,
        payload={"invitation_id": invitation.pk, "user_id": user.pk},
    )
    return assignment


def _locked_open_invitation(invitation: Invitation) -> Invitation:
    # Lock the invitation's row only (the inviter is a nullable join, which PostgreSQL
    # cannot lock).
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
        "organization", "invited_by").get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used or has expired."))
    return invitation


def invitation_accept(*, invitation: Invitation, username: str, password: str) -> User:
    """Create the account of a person without one, with the invited role."""
    user = User(
        username=username, email=invitation.email,
        first_name=invitation.first_name, last_name=invitation.last_name,
    )
    validate_password(password, user)
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail address already exists. "
                                    "Log in instead."))
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        _grant_from_invitation(invitation, user)
    return user


def invitation_check_invitee(invitation: Invitation, user: User) -> None:
    """Refuse (PermissionDenied) unless ``user`` is the invited person — never the inviter."""
    if invitation.invited_by_id is not None and invitation.invited_by_id == user.pk:
        # Separation of duties: whoever invited may not take the invitation themselves.
        raise PermissionDenied(_("You sent this invitation yourself, so you cannot accept "
                                 "it. The invited person must accept it."))
    if (user.email or "").casefold() != invitation.email.casefold():
        raise PermissionDenied(_("This invitation is for another account. Log out and log in "
                                 "as the invited person."))


def invitation_accept_existing(*, invitation: Invitation, user: User) -> RoleAssignment:
    """The logged-in person the invitation was sent to accepts it: now the role exists."""
    invitation_check_invitee(invitation, user)
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation)
        invitation_check_invitee(invitation, user)
        return _grant_from_invitation(invitation, user)


def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    invitation_check_invitee(invitation, user)
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation)
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
        audit_record(
            event_type=EventType.INVITATION_DECLINED, actor=user,
            organization=invitation.organization, target=invitation,
            payload={"invitation_id": invitation.pk, "user_id": user.pk},
        )
    return invitation


# -- password reset --------------------------------------------------------------------


def password_reset_send(*, email: str) -> int:
    """Mail a link to choose a new password to the active accounts with this address (the
    view calls this after its response has gone). The link is valid for
    PASSWORD_RESET_TIMEOUT and is never stored: the outbox keeps the mail without it."""
    from django.contrib.auth.forms import PasswordResetForm
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    sent = 0
    for user in PasswordResetForm().get_users(email):
        token = default_token_generator.make_token(user)
        with transaction.atomic():
            audit_record(event_type=EventType.PASSWORD_RESET_REQUESTED, actor=user, target=user)
            mail_queue(
                kind="password_reset", to=[user.email],
                template="accounts/email/password_reset.txt",
                context={"user": user, "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                         "token": token,
                         "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
                language=user.preferred_language or None, secrets=[token],
            )
        sent += 1
    return sent


# -- two-factor ----------------------------------------------------------------------


def totp_device_for_enrollment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
    return device


class TwoFactorReplaceRefused(Exception):
    """The password or the current code was wrong when replacing the authenticator app."""


def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm a first authenticator app with a code from it. Returns fresh backup codes,
    or None if the code was wrong. Replacing an app someone already has goes through
    ``totp_replace``."""
    if user_has_confirmed_totp(user):
        raise PermissionDenied(_("Replacing your authenticator app needs your password and a "
                                 "code from the app you have now."))
    if not device.verify_token(token.replace(" ", "")):
        return None
    return _totp_activate(user=user, device=device, replaced=False)


def totp_replace(*, user: User, device: TOTPDevice, password: str, current_code: str,
                 token: str) -> list[str] | None:
    """Replace the user's authenticator app with ``device``. Needs the password and a
    current code from the app being replaced — a logged-in session alone is never enough
    (it may be stale or someone else's) — and the user is told by e-mail. Raises
    TwoFactorReplaceRefused if the password or current code is wrong; returns None if the
    code from the new app is wrong, else fresh backup codes."""
    password_ok = user.check_password(password)
    current = two_factor_match(user, current_code, backup_codes=False) if password_ok else None
    if current is None:
        raise TwoFactorReplaceRefused
    if not device.verify_token(token.replace(" ", "")):
        return None
    return _totp_activate(user=user, device=device, replaced=True)


def _totp_activate(*, user: User, device: TOTPDevice, replaced: bool) -> list[str]:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _backup_codes_replace(user)
        audit_record(
            event_type=EventType.TWO_FACTOR_REPLACED if replaced else EventType.TWO_FACTOR_ENROLLED,
            actor=user, target=user, payload={"device_id": device.pk},
        )
        _mail_two_factor_changed(user, change="replaced" if replaced else "enrolled")
    return codes


def _mail_two_factor_changed(user: User, *, change: str) -> None:
    """Tell the user (after commit) that their second factor changed, so a change they did
    not make is noticed."""
    if user.email:
        mail_queue(kind="two_factor_changed", to=[user.email],
                   template="accounts/email/two_factor_changed.txt",
                   context={"user": user, "change": change, "at": timezone.now()},
                   language=user.preferred_language or None)


# Backup codes are stored as a keyed hash, never in clear (issue 10, item 9). django-otp's
# static device compares the stored token with what it is given, so we give it the hash of
# what the user typed. 10 bytes of HMAC-SHA256 in base32 fill its 16-character column.
BACKUP_CODE_HASH_CHARS = 16


def backup_code_digest(code: str) -> str:
    """The stored form of a backup code: HMAC-SHA256 keyed with TILSKUDD_HASH_KEY."""
    normalized = code.replace(" ", "").replace("-", "").strip().lower()
    mac = hmac.new(settings.TILSKUDD_HASH_KEY.encode(), b"backup-code:" + normalized.encode(),
                   hashlib.sha256).digest()
    return base64.b32encode(mac[:10]).decode().lower()[:BACKUP_CODE_HASH_CHARS]


_TOTP_CODE = re.compile(r"[0-9]{6}")


def two_factor_match(user: User, code: str, *, backup_codes: bool = True):
    """The device a code belongs to — the authenticator app (six ASCII digits) or, if
    allowed, one of the backup codes (used up) — or None. django-otp's own throttling of
    each device (a delay that doubles after each wrong code) applies."""
    code = (code or "").replace(" ", "").strip()
    if _TOTP_CODE.fullmatch(code):
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        return None
    if backup_codes and code:
        digest = backup_code_digest(code)
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(digest):
                return device
    return None


def two_factor_paused(user: User) -> bool:
    """Whether django-otp is pausing the user's app after wrong codes."""
    return any(not device.verify_is_allowed()[0]
               for device in TOTPDevice.objects.filter(user=user, confirmed=True))


def _backup_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Reservekoder", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=backup_code_digest(code)) for code in codes
    )
    return codes


def backup_codes_regenerate(*, user: User) -> list[str]:
    with transaction.atomic():
        codes = _backup_codes_replace(user)
        audit_record(event_type=EventType.BACKUP_CODES_GENERATED, actor=user, target=user,
                     payload={"count": len(codes)})
    return codes


def two_factor_reset(*, actor: Actor, user: User) -> None:
    """The directorate's reset (a system administrator, never for oneself): the user sets
    up a new app at the next log-in. Audited, and the user is told by e-mail."""
    decision = permissions.can_reset_two_factor(actor, user)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(event_type=EventType.TWO_FACTOR_RESET, actor=actor.user,
                     organization=actor.organization, target=user,
                     payload={"user_id": user.pk})
        _mail_two_factor_changed(user, change="reset")


def user_has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
