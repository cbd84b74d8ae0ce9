"""Case handling's pages in the portal, with the namespace ``grant``: the applicant's
side of a case on the application's page (the letters, accepting the grant, appealing a
rejection, asking for a change) and the public list of a round's grant recipients. They
live with case handling because they act on or read cases; the portal below does not
import them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.reauth import reauthentication_required
from applications import permissions
from applications.selectors import application_visible_or_404
from core import files, formatting
from core.decorators import public, require
from core.forms import keep_draft, posted
from core.http import pdf_response
from schemes.models import Round

from .forms import AppealForm, ChangeRequestForm
from .letters import letter_filename
from .models import Letter
from .selectors import grant_recipients
from .services import appeal_file, change_request_file, grant_accept


@require(permissions.can_view_applications)
def letter_view(request, pk: int, letter_id: int):
    application = application_visible_or_404(request.actor, pk)
    letter = get_object_or_404(Letter, pk=letter_id, case__application=application)
    return pdf_response(files.read_or_404(letter.file, letter.sha256),
                        letter_filename(letter, application))


@require(permissions.can_sign_applications)
@require_POST
@reauthentication_required
def accept_view(request, pk: int):
    application = application_visible_or_404(request.actor, pk)
    try:
        grant_accept(actor=request.actor, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The grant is accepted. The directorate pays the advance "
                                    "as the grant letter says."))
    return redirect("applications:detail", pk=pk)


@require(permissions.can_view_applications)
@require_POST
def appeal_view(request, pk: int):
    application = application_visible_or_404(request.actor, pk)
    key = f"application:{pk}:appeal"
    form = posted(request, AppealForm, draft_key=key)
    if form is None:
        return redirect("applications:detail", pk=pk)
    received_on = form.cleaned_data["received_on"]
    try:
        appeal = appeal_file(actor=request.actor, application=application,
                             text=form.cleaned_data["text"], received_on=received_on)
    except ValidationError as error:
        keep_draft(request, key, request.POST)
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        if appeal.in_time:
            messages.success(request, _("The appeal is filed in time. The directorate "
                                        "prepares it and forwards it to the ministry."))
        else:
            messages.warning(request, _("The appeal is filed, but after the deadline "
                                        "(%(date)s). The directorate decides whether it can "
                                        "be considered.")
                             % {"date": formatting.date(appeal.deadline)})
    return redirect("applications:detail", pk=pk)


@require(permissions.can_view_applications)
@require_POST
def change_request_view(request, pk: int):
    application = application_visible_or_404(request.actor, pk)
    key = f"application:{pk}:change"
    form = posted(request, ChangeRequestForm, draft_key=key)
    if form is None:
        return redirect("applications:detail", pk=pk)
    try:
        change_request_file(actor=request.actor, application=application,
                            kind=form.cleaned_data["kind"],
                            description=form.cleaned_data["description"])
    except ValidationError as error:
        keep_draft(request, key, request.POST)
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The change request is sent to the directorate. Do not "
                                    "make the change before it consents."))
    return redirect("applications:detail", pk=pk)


@public
def recipients_view(request, pk: int):
    """The public list of a round's grant recipients, once there are decisions."""
    round_ = get_object_or_404(Round.objects.select_related("scheme"), pk=pk)
    if round_.status == Round.Status.DRAFT:
        raise Http404
    return render(request, "schemes/recipients.html", {
        "round": round_, "groups": grant_recipients(round_)})
