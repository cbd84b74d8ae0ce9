"""Sending e-mail: recorded in the outbox in the caller's transaction, sent after commit.

A message is never sent for a change that was rolled back, and a failed send is kept
in the outbox with its error, so nothing is lost silently.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail

logger = logging.getLogger("tilskudd.mail")


def mail_queue(
    *, kind: str, to: list[str], template: str, context: dict, language: str | None = None,
    attachment: tuple[str, str, bytes] | None = None,
) -> OutboundEmail:
    """Render ``template`` (subject on the first line, then the body) and send after commit."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        rendered = render_to_string(
            template, {**context, "public_url": settings.TILSKUDD_PUBLIC_URL}
        ).strip()
    subject, _sep, body = rendered.partition("\n")
    name, content_type, data = attachment or ("", "", None)
    message = OutboundEmail.objects.create(
        kind=kind, recipients=list(to), subject=subject.strip(), body=body.strip() + "\n",
        attachment_name=name, attachment_type=content_type, attachment=data,
    )
    transaction.on_commit(lambda: mail_send(message.pk))
    return message


def mail_send(message_id: int) -> None:
    message = OutboundEmail.objects.get(pk=message_id)
    try:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
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
