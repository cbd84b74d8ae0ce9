"""Sending e-mail: recorded in the outbox in the caller's transaction, sent after commit.

A message is never sent for a change that was rolled back, and a failed send is kept
in the outbox with its error, so nothing is lost silently.

Secrets at rest: a message that carries a secret link (a password reset, an invitation)
names the secret in ``secrets``; the outbox stores the body with the link replaced by
``REDACTED`` and the real body is sent from memory, so the link is never written to the
database. Sent and failed mail is deleted after ``TILSKUDD_OUTBOX_RETENTION_DAYS``
(``outbox_delete_expired``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail

logger = logging.getLogger("tilskudd.mail")

# What the outbox shows instead of a link that carries a secret (stored text, the same in
# every language: the outbox is read by the directorate's system administrators).
REDACTED = "[lenke fjernet]"


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every word (a link) that contains one of ``secrets`` replaced."""
    for secret in secrets:
        if secret:
            text = re.sub(r"\S*" + re.escape(secret) + r"\S*", REDACTED, text)
    return text


def mail_queue(
    *, kind: str, to: list[str], template: str, context: dict, language: str | None = None,
    attachment: tuple[str, str, bytes] | None = None, secrets: Sequence[str] = (),
) -> OutboundEmail:
    """Render ``template`` (subject on the first line, then the body) and send after commit.

    ``secrets``: values in the body (tokens) that must never be stored; see the module.
    """
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        rendered = render_to_string(
            template, {**context, "public_url": settings.TILSKUDD_PUBLIC_URL}
        ).strip()
    subject, _sep, body = rendered.partition("\n")
    body = body.strip() + "\n"
    secrets = [secret for secret in secrets if secret]
    name, content_type, data = attachment or ("", "", None)
    message = OutboundEmail.objects.create(
        kind=kind, recipients=list(to), subject=redact(subject.strip(), secrets),
        body=redact(body, secrets),
        attachment_name=name, attachment_type=content_type, attachment=data,
    )
    clear_body = body if secrets else None
    transaction.on_commit(lambda: mail_send(message.pk, body=clear_body))
    return message


def mail_send(message_id: int, *, body: str | None = None) -> None:
    """Send a queued message; ``body`` is the unredacted text of a message with secrets."""
    message = OutboundEmail.objects.get(pk=message_id)
    try:
        email = EmailMessage(
            subject=message.subject,
            body=body if body is not None else message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=message.recipients,
        )
        if message.attachment_name:
            email.attach(message.attachment_name, bytes(message.attachment),
                         message.attachment_type)
        email.send()
    except OSError as exc:
        message.status = OutboundEmail.Status.FAILED
        message.error = type(exc).__name__
        message.save(update_fields=["status", "error"])
        logger.warning("mail failed", extra={"outbox_id": message.pk, "error": message.error})
        return
    message.status = OutboundEmail.Status.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at"])
    logger.info("mail sent", extra={"outbox_id": message.pk, "kind": message.kind})


def outbox_delete_expired(*, now=None) -> int:
    """Delete sent and failed mail older than the retention period; returns how many.

    Queued mail is kept (it has not gone yet). The letters themselves are kept with their
    cases; the outbox copy is only a record of what was sent. The caller records the
    purge in the audit log in the same transaction (jobs.tasks.outbox_purge, nightly).
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.TILSKUDD_OUTBOX_RETENTION_DAYS)
    with transaction.atomic():
        sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT, sent_at__lt=cutoff)
        failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED,
                                              created_at__lt=cutoff)
        count = sent.count() + failed.count()
        if count:
            sent.delete()
            failed.delete()
    return count
