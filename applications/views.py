"""The portal's application pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.reauth import reauthentication_required
from core import files
from core.decorators import require
from core.forms import keep_draft, posted, take_drafts
from core.http import download_response, pdf_response
from organizations.models import APPLICANT_KINDS
from organizations.selectors import organization_resolve_code
from schemes.models import Round
from schemes.selectors import rounds_open

from . import permissions, services
from .checks import application_checklist
from .forms import (
    ApplicationForm,
    AttachmentForm,
    LateApplicationForm,
    PartnerAnswerForm,
    PartnerForm,
    ReturnForm,
)
from .models import Application, Status
from .selectors import application_visible_or_404


def _application(request, pk: int) -> Application:
    return application_visible_or_404(request.actor, pk)


def _partners(application):
    """The named partners, each with its answer (``consent``)."""
    consents = {c.organization_id: c for c in application.partner_consents.all()}
    partners = list(application.partners.order_by("code"))
    for org in partners:
        org.consent = consents.get(org.pk)
    return partners


@require(permissions.can_view_applications)
def list_view(request):
    org = request.actor.organization
    applications = (Application.objects.filter(Q(organization=org) | Q(partners=org))
                    .distinct().select_related("round__scheme", "organization"))
    return render(request, "applications/list.html", {
        "applications": applications, "rounds": rounds_open(),
        "can_edit": permissions.can_edit_applications(request.actor),
        "can_sign": permissions.can_sign_applications(request.actor)})


@require(permissions.can_edit_applications)
@require_POST
def start_view(request, round_pk: int):
    round_ = get_object_or_404(Round, pk=round_pk)
    try:
        application = services.application_start(actor=request.actor, round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("schemes:round_detail", pk=round_pk)
    return redirect("applications:detail", pk=application.pk)



def _labels(form) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.fields.items()}


@require(permissions.can_view_applications)
def detail_view(request, pk: int):
    application = _application(request, pk)
    lead = application.organization_id == request.actor.organization.pk
    editable = (lead and application.status == Status.DRAFT
                and permissions.can_edit_applications(request.actor))
    form = ApplicationForm(request.POST if request.method == "POST" else None,
                           initial=application.content, round_=application.round)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("The application is sent for signing and cannot be "
                                      "changed. The signer can return it for changes."))
            return redirect("applications:detail", pk=pk)
        form.is_valid()
        try:
            services.application_save(actor=request.actor, application=application,
                                      content=form.content())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("applications:detail", pk=pk)
        if not form.errors:
            messages.success(request, _("Saved."))
            return redirect("applications:detail", pk=pk)
        messages.error(request, _("What was valid is saved. Correct the fields marked below; "
                                  "what you typed is kept."))
        application.refresh_from_db()
    checklist = application_checklist(application)
    labels = _labels(form)
    return render(request, "applications/detail.html", {
        "application": application, "form": form, "editable": editable,
        "checklist": checklist, "missing": [labels.get(n, n) for n in checklist.missing],
        "rows": [(labels.get(n, n), application.content.get(n)) for n in labels],
        "can_sign": lead and permissions.can_sign_applications(request.actor),
        "can_edit": lead and permissions.can_edit_applications(request.actor),
        "lead": lead, "partners": _partners(application),
        "my_consent": None if lead else application.partner_consents.filter(
            organization=request.actor.organization).first(),
        "can_answer": not lead and permissions.can_answer_partnership(request.actor),
        "can_withdraw": services.may_withdraw(request.actor, application),
        "versions": application.versions.select_related("saved_by")[:20],
        "attachments": application.attachments.defer("data"),
        "case": getattr(application, "case", None),
        "can_accept": permissions.can_sign_applications(request.actor),
        "appeals": getattr(application, "case", None) and application.case.appeals.all(),
        "changes": getattr(application, "case", None) and application.case.change_requests.all(),
        "drafts": take_drafts(request, f"application:{pk}:"),
        "attachment_form": AttachmentForm()})


@require(permissions.can_edit_applications)
@require_POST
def send_view(request, pk: int):
    application = _application(request, pk)
    try:
        services.application_send_for_signing(actor=request.actor, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application is sent for signing. It cannot be "
                                    "changed unless the signer returns it."))
    return redirect("applications:detail", pk=pk)


@require(permissions.can_sign_applications)
@require_POST
def return_view(request, pk: int):
    application = _application(request, pk)
    key = f"application:{pk}:return"
    form = posted(request, ReturnForm, draft_key=key)
    if form is None:
        return redirect("applications:detail", pk=pk)
    try:
        services.application_return(actor=request.actor, application=application,
                                    comment=form.cleaned_data["comment"])
    except ValidationError as error:
        keep_draft(request, key, request.POST)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application is returned to the editor."))
    return redirect("applications:detail", pk=pk)


@require(permissions.can_sign_applications)
@require_POST
@reauthentication_required
def sign_view(request, pk: int):
    application = _application(request, pk)
    try:
        services.application_sign(actor=request.actor, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application is signed and submitted. The receipt "
                                    "is sent by e-mail."))
    return redirect("applications:detail", pk=pk)


@require(permissions.can_view_applications)
def receipt_view(request, pk: int):
    application = _application(request, pk)
    signature = getattr(application, "signature", None)
    if signature is None:
        raise Http404
    return pdf_response(files.read_or_404(signature.receipt_file, signature.receipt_hash),
                        f"kvittering-{application.reference}.pdf")


@require(permissions.can_view_applications)
@require_POST
@reauthentication_required
def withdraw_view(request, pk: int):
    application = _application(request, pk)
    try:
        services.application_withdraw(actor=request.actor, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:detail", pk=pk)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("applications:detail", pk=pk)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("applications:list")


@require(permissions.can_edit_applications)
@require_POST
def partner_add_view(request, pk: int):
    application = _application(request, pk)
    form = posted(request, PartnerForm)
    if form is None:
        return redirect("applications:detail", pk=pk)
    code = form.cleaned_data["code"].strip()
    found = [o for o in organization_resolve_code(code) if o.kind in APPLICANT_KINDS] if code \
        else []
    if len(found) != 1:
        messages.error(request, _("No single municipality, city district or county has this "
                                  "number."))
        return redirect("applications:detail", pk=pk)
    try:
        services.application_partner_add(actor=request.actor, application=application,
                                         organization=found[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(org)s is added as a partner. Its users can read the "
                                    "application.") % {"org": found[0]})
    return redirect("applications:detail", pk=pk)


@require(permissions.can_answer_partnership)
@require_POST
def partner_answer_view(request, pk: int):
    application = _application(request, pk)
    form = posted(request, PartnerAnswerForm)
    if form is None:
        return redirect("applications:detail", pk=pk)
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.application_partner_answer(actor=request.actor, application=application,
                                            accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        if accept:
            messages.success(request, _("Your organisation is named as a partner."))
        else:
            messages.success(request, _("You declined. Your organisation is no longer named "
                                        "in the application."))
            return redirect("applications:list")
    return redirect("applications:detail", pk=pk)


@require(permissions.can_edit_applications)
@require_POST
def partner_remove_view(request, pk: int, org_id: int):
    application = _application(request, pk)
    organization = get_object_or_404(application.partners, pk=org_id)
    try:
        services.application_partner_remove(actor=request.actor, application=application,
                                            organization=organization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("applications:detail", pk=pk)


@require(permissions.can_edit_applications)
@require_POST
def attachment_add_view(request, pk: int):
    application = _application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("applications:detail", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        services.attachment_add(actor=request.actor, application=application, name=upload.name,
                                content_type=form.content_type, data=upload.read())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The attachment is added."))
    return redirect("applications:detail", pk=pk)


@require(permissions.can_edit_applications)
@require_POST
def attachment_remove_view(request, pk: int, attachment_id: int):
    application = _application(request, pk)
    try:
        services.attachment_remove(actor=request.actor, application=application,
                                   attachment_id=attachment_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("applications:detail", pk=pk)


@require(permissions.can_view_applications)
def attachment_view(request, pk: int, attachment_id: int):
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    return download_response(files.read_or_404(attachment.file, attachment.sha256),
                             attachment.name, attachment.content_type)


@require(permissions.can_register_late)
def late_view(request):
    form = LateApplicationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.application_register_late(
                    actor=request.actor, round_=form.cleaned_data["round"],
                    organization=form.organization,
                    project_title=form.cleaned_data["project_title"],
                    received_at=form.cleaned_data["received_at"])
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Application %(ref)s is registered as late.")
                                 % {"ref": application.reference})
                return redirect("applications:late")
        messages.error(request, _("The application was not registered. Correct the fields "
                                  "marked below."))
    late = Application.objects.filter(late=True).select_related("round", "organization")[:50]
    return render(request, "applications/late.html", {"form": form, "late": late})


