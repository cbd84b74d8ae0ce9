"""The written reports' pages: the form (every save a version; what was valid is kept and
what was typed wrong is shown again), sending for certification, the accounts' approvals,
returning to the writers, attachments and the receipts. The report's own page is
views.detail_view; these views answer its forms and come back to it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import Decision, allow, deny
from accounts.reauth import reauthentication_required
from core import files
from core.decorators import require
from core.forms import posted
from core.http import download_response, pdf_response

from . import permissions, selectors, written
from .forms import WRITTEN_KINDS, AccountsAttachmentForm, ApprovalForm, ReportForm
from .models import ObligationStatus, ReportAttachment, ReportObligation, ReportVersion
from .views import can_use_reporting, obligation_visible_or_404


def can_write_reports(actor) -> Decision:
    """A writer of a recipient (each report is checked again: its own organisation's)."""
    if actor.organization is not None and actor.has(*permissions.WRITER_ROLES):
        return allow()
    return deny(_("Only the organisation's application editors and signers "
                              "write its reports."))


def _written(request, pk: int) -> ReportObligation:
    obligation = obligation_visible_or_404(request, pk)
    if obligation.kind not in WRITTEN_KINDS:
        raise Http404
    return obligation


def _form(obligation: ReportObligation, data=None) -> ReportForm:
    latest = selectors.report_latest_version(obligation)
    return ReportForm(data, initial=latest.content.get("fields", {}) if latest else {},
                      kind=obligation.kind, accounts=obligation.needs_accounts,
                      goals=obligation.case.application.content)


@require(can_write_reports)
def write_view(request, pk: int):
    """The report's form: saved as a new version whenever something changed."""
    obligation = obligation_visible_or_404(request, pk)
    if obligation.kind not in WRITTEN_KINDS or not permissions.can_write_report(
            request.actor, obligation):
        return redirect("reporting:detail", pk=pk)
    if request.method != "POST" and obligation.status not in written.EDITABLE \
            and not (obligation.status == ObligationStatus.NOT_YET_OPEN
                     and obligation.opens_at <= timezone.now()):
        messages.info(request, _("The report cannot be changed now."))
        return redirect("reporting:detail", pk=pk)
    form = _form(obligation, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        try:
            saved = True
            written.report_save(actor=request.actor, obligation=obligation,
                                content=form.content())
        except ValidationError as error:
            # Nothing is saved; the page shows the form again with what was typed.
            saved = False
            messages.error(request, " ".join(error.messages))
        if saved and not form.errors:
            messages.success(request, _("Saved."))
            return redirect("reporting:detail", pk=pk)
        if saved:
            messages.error(request, _("What was valid is saved. Correct the fields marked "
                                      "below; what you typed is kept."))
    latest = selectors.report_latest_version(obligation)
    document = selectors.report_document(obligation, latest)
    absent, _accounts = written.report_checklist(obligation, document["fields"])
    return render(request, "reporting/write.html", {
        "obligation": obligation, "form": form, "document": document, "missing": absent,
        "saved": latest is not None and latest.frozen_at is None,
        "accounts_only": {"accounts": document["accounts"]},
        "attachment_form": AccountsAttachmentForm() if obligation.needs_accounts else None,
        "attachments": list(selectors.report_attachments(obligation))})


@require(can_write_reports)
@require_POST
def send_view(request, pk: int):
    obligation = _written(request, pk)
    try:
        written.report_send(actor=request.actor, obligation=obligation)
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
        return redirect("reporting:write", pk=pk)
    messages.success(request, _("The report is sent for certification. It can no longer be "
                                "changed unless it is returned."))
    return redirect("reporting:detail", pk=pk)


@require(can_write_reports)
@require_POST
def return_view(request, pk: int):
    obligation = _written(request, pk)
    try:
        written.report_return(actor=request.actor, obligation=obligation)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The report is back with its writers as a draft."))
    return redirect("reporting:detail", pk=pk)


@require(can_write_reports)
@require_POST
@reauthentication_required
def approve_view(request, pk: int):
    obligation = _written(request, pk)
    form = posted(request, ApprovalForm)
    if form is None:
        return redirect("reporting:detail", pk=pk)
    try:
        written.accounts_approve(actor=request.actor, obligation=obligation,
                                 capacity=form.cleaned_data["capacity"],
                                 seen_hash=form.cleaned_data["seen"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your approval of the accounts is recorded."))
    return redirect("reporting:detail", pk=pk)


@require(can_write_reports)
@require_POST
def attachment_add_view(request, pk: int):
    obligation = _written(request, pk)
    form = AccountsAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("reporting:write", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        written.attachment_add(actor=request.actor, obligation=obligation, name=upload.name,
                               content_type=form.content_type, data=upload.read())
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The attachment is added."))
    return redirect("reporting:write", pk=pk)


@require(can_write_reports)
@require_POST
def attachment_remove_view(request, pk: int, attachment_id: int):
    obligation = _written(request, pk)
    try:
        written.attachment_remove(actor=request.actor, obligation=obligation,
                                  attachment_id=attachment_id)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The attachment is removed."))
    return redirect("reporting:write", pk=pk)


@require(can_use_reporting)
def attachment_view(request, pk: int, attachment_id: int):
    """An attachment, for the recipient and the directorate (a frozen version names it
    even when it was taken off the report later)."""
    obligation = obligation_visible_or_404(request, pk)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_id, obligation=obligation)
    return download_response(files.read_or_404(attachment.file, attachment.sha256),
                         attachment.name, attachment.content_type)


@require(can_use_reporting)
def version_receipt_view(request, pk: int, version_id: int):
    obligation = obligation_visible_or_404(request, pk)
    version = get_object_or_404(ReportVersion, pk=version_id, obligation=obligation,
                                certified_at__isnull=False)
    return pdf_response(files.read_or_404(version.receipt_name, version.receipt_sha256),
                        f"kvittering-{obligation.case.application.reference}-rapport-"
                        f"{obligation.pk}-v{version.number}.pdf")
