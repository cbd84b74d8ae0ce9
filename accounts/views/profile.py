"""The user's own page, the organisation switcher and the language choice."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from audit.events import EventType
from audit.services import audit_record
from core.decorators import public, require

from .. import services
from ..forms import AcceptInvitationForm
from ..middleware import ACTIVE_ORG_SESSION_KEY
from ..permissions import is_logged_in
from ..roles import ROLE_DESCRIPTIONS


@require(is_logged_in)
def profile_view(request):
    user = request.user
    from django_otp.plugins.otp_static.models import StaticToken

    return render(request, "accounts/profile.html", {
        "memberships": [
            (m, [(role, ROLE_DESCRIPTIONS.get(role, "")) for role in sorted(m.roles)])
            for m in request.actor.memberships
        ],
        "has_totp": services.user_has_confirmed_totp(user),
        "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
        "needs_two_factor": request.actor.needs_two_factor,
    })


@require(is_logged_in)
@require_POST
def switch_organization_view(request):
    try:
        wanted = int(request.POST.get("organization", ""))
    except ValueError:
        wanted = None
    membership = next(
        (m for m in request.actor.memberships if m.organization.pk == wanted), None
    )
    if membership is None:
        messages.error(request, _("You have no role in that organisation."))
    else:
        request.session[ACTIVE_ORG_SESSION_KEY] = membership.organization.pk
        with transaction.atomic():
            audit_record(event_type=EventType.ORGANIZATION_SWITCHED, actor=request.user,
                         organization=membership.organization,
                         payload={"organization_id": membership.organization.pk})
        messages.success(request, _("You are now working for %(org)s.")
                         % {"org": membership.organization})
    # Back to the start page: the page we came from may not exist for the new roles.
    return redirect("shell:home")


@public
@require_POST
def set_language_view(request):
    """Django's language switch, also remembered on the user's profile."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return set_language(request)


@public
def invitation_accept_view(request, token: str):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if services.invitation_has_account(invitation):
        return _respond_to_invitation(request, invitation)
    if request.user.is_authenticated:
        if request.user.pk == invitation.invited_by_id:
            messages.error(request, _("You sent this invitation yourself, so you cannot accept "
                                      "it. The invited person must accept it."))
        else:
            messages.info(request, _("Log out before you accept an invitation for someone "
                                     "else."))
        return redirect("shell:home")
    initial = {"username": f"{invitation.first_name}.{invitation.last_name}".lower()
               .replace(" ", "-")}
    form = AcceptInvitationForm(request.POST or None, initial=initial, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            services.invitation_accept(
                invitation=invitation, username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("password1" if "password" in message.lower() else None, message)
        else:
            messages.success(request, _("Your account is ready. Log in with your new log-in "
                                        "name and password."))
            return redirect(f"{reverse('accounts:login')}")
    return render(request, "accounts/invitation_accept.html",
                  {"form": form, "invitation": invitation})


def _respond_to_invitation(request, invitation):
    """An invitation to someone who has an account: they log in, then accept or decline.
    The role does not exist before they accept."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if not request.user.is_authenticated:
        login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation_respond.html",
                      {"invitation": invitation, "login_url": login_url})
    try:
        services.invitation_check_invitee(invitation, request.user)
    except PermissionDenied as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)},
                      status=403)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                services.invitation_accept_existing(invitation=invitation, user=request.user)
                messages.success(request, _("You now have the role %(role)s in %(org)s.")
                                 % {"role": invitation.get_role_display(),
                                    "org": invitation.organization})
            elif request.POST.get("answer") == "decline":
                services.invitation_decline(invitation=invitation, user=request.user)
                messages.info(request, _("You have declined the invitation. Nothing has "
                                         "changed."))
            else:
                return render(request, "accounts/invitation_respond.html",
                              {"invitation": invitation, "error": True}, status=400)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("accounts:profile")
    return render(request, "accounts/invitation_respond.html", {"invitation": invitation})
