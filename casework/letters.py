"""Letters to applicants and notices by e-mail: one way to render, store, audit and send.

A letter is rendered once in the applicant's written standard, stored with its SHA-256
(``Letter`` refuses changes), logged as an audit event and e-mailed as a PDF attachment
to the organisation's official address and the people involved — after commit.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone

from applications.models import Application
from audit.events import EventType
from audit.services import audit_record
from core.mail import mail_queue
from core.pdf import render_pdf

from .models import Case, Letter


def letter_language(application: Application) -> str:
    """The applicant's written standard for letters (nynorsk when chosen), else bokmål."""
    return "nn" if application.content.get("letter_language") == "nn" else "nb"


def applicant_recipients(application: Application, *users) -> list[str]:
    return sorted({e for e in (application.organization.email,
                               *(getattr(u, "email", "") for u in users)) if e})


def notify_applicant(application: Application, *, kind: str, template: str, context: dict,
                     users=(), attachment: tuple[str, str, bytes] | None = None) -> None:
    recipients = applicant_recipients(application, application.created_by, *users)
    if recipients:
        mail_queue(kind=kind, to=recipients, template=template,
                   context={"application": application, **context},
                   language=letter_language(application), attachment=attachment)


def send_letter(*, actor, application: Application, case: Case, kind: str, template: str,
                context: dict, filename: str, **fields) -> Letter:
    now = timezone.now()
    pdf = render_pdf(template, {"application": application,
                                "organization": application.organization, "sent_at": now,
                                **context}, language=letter_language(application))
    letter = Letter.objects.create(case=case, kind=kind, pdf=pdf,
                                   sha256=hashlib.sha256(pdf).hexdigest(), sent_at=now,
                                   sent_by=actor.user, **fields)
    audit_record(event_type=EventType.LETTER_SENT, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "letter_id": letter.pk, "kind": kind, "sha256": letter.sha256})
    notify_applicant(application, kind=f"{kind}_letter", template="casework/email/letter.txt",
                     context={"letter": letter},
                     attachment=(f"{filename}-{application.reference}.pdf", "application/pdf",
                                 pdf))
    return letter
