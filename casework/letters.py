"""Letters to applicants and notices by e-mail: one way to render, store, audit and send.

A letter is rendered once in the applicant's written standard, stored with its SHA-256
(``Letter`` refuses changes), logged as an audit event and e-mailed as a PDF attachment
to the organisation's official address and the people involved — after commit. A letter
has one file name everywhere (``letter_filename``): the download, the e-mail attachment and
the portal's and the case page's links.
"""

from __future__ import annotations

from django.utils import timezone

from applications.models import Application
from audit.events import EventType
from audit.services import audit_record
from core import files
from core.mail import mail_queue
from core.pdf import render_pdf

from .models import Case, Letter

# The file name of each kind of letter: "<prefix>-<reference>.pdf", then "-2", "-3" for a
# case's second and third letter of the same kind (answers to change requests).
FILE_PREFIXES = {Letter.Kind.REJECTION: "avvisning", Letter.Kind.GRANT: "vedtak",
                 Letter.Kind.REFUSAL: "avslag", Letter.Kind.CHANGE: "endring",
                 Letter.Kind.HOLD_BACK: "tilbakeholdelse",
                 Letter.Kind.CLAW_BACK: "tilbakebetaling"}


def letter_filename(letter: Letter, application: Application | None = None) -> str:
    """The letter's one file name: ``vedtak-S-000001.pdf``."""
    application = application or letter.case.application
    prefix = FILE_PREFIXES.get(letter.kind, "brev")
    earlier = Letter.objects.filter(case_id=letter.case_id, kind=letter.kind,
                                    pk__lt=letter.pk).count()
    suffix = f"-{earlier + 1}" if earlier else ""
    return f"{prefix}-{application.reference}{suffix}.pdf"


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
                context: dict, **fields) -> Letter:
    now = timezone.now()
    pdf = render_pdf(template, {"application": application,
                                "organization": application.organization, "sent_at": now,
                                **context}, language=letter_language(application))
    name, sha256 = files.store("letters", f"{kind}-{application.reference}.pdf", pdf)
    letter = Letter.objects.create(case=case, kind=kind, file=name, sha256=sha256, sent_at=now,
                                   sent_by=actor.user, **fields)
    audit_record(event_type=EventType.LETTER_SENT, actor=actor.user,
                 organization=actor.organization, target=application,
                 payload={"application_id": application.pk, "case_id": case.pk,
                          "letter_id": letter.pk, "kind": kind, "sha256": letter.sha256})
    notify_applicant(application, kind=f"{kind}_letter", template="casework/email/letter.txt",
                     context={"letter": letter},
                     attachment=(letter_filename(letter, application), "application/pdf", pdf))
    return letter
