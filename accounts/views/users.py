"""User administration: the organisation's administrator (own organisation) and the
directorate's system administrators (everyone)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import require
from organizations.models import Organization

from .. import permissions, selectors, services
from ..forms import GrantRoleForm, InviteForm
from ..reauth import reauthentication_required
from ..roles import Role


def _is_system_admin(actor) -> bool:
    return actor.is_directorate and actor.has(Role.SYSTEM_ADMIN)


def _organization_choices(actor):
    if _is_system_admin(actor):
        return Organization.objects.active().order_by("kind", "code"), None
    return Organization.objects.filter(pk=actor.organization.pk), actor.organization


@require(permissions.can_manage_users)
def user_list_view(request):
    actor = request.actor
    query = request.GET.get("q", "").strip()
    users = selectors.user_list_with_roles(actor, query=query)
    page = Paginator(users, 50).get_page(request.GET.get("side"))
    return render(request, "accounts/users/list.html", {
        "page": page, "query": query,
        "invitations": selectors.invitation_list_for(actor)[:50],
        "scope_all": _is_system_admin(actor),
    })


@require(permissions.can_manage_users)
@reauthentication_required
def user_invite_view(request):
    actor = request.actor
    organizations, fixed = _organization_choices(actor)
    form = InviteForm(request.POST or None, organizations=organizations, fixed_organization=fixed,
                      actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_invite(
                actor=actor, email=data["email"], first_name=data["first_name"],
                last_name=data["last_name"], organization=data["organization"], role=data["role"],
            )
        except PermissionDenied as exc:
            form.add_error("role", str(exc))
        else:
            # The same answer whether or not the address has an account: the role exists
            # only when the invited person accepts it.
            messages.success(request, _("The invitation has been sent to %(email)s. The "
                                        "person gets the role when they accept it.")
                             % {"email": data["email"]})
            return redirect("accounts:user_list")
    return render(request, "accounts/users/invite.html", {"form": form})


@require(permissions.can_manage_users)
def user_detail_view(request, user_id: int):
    actor = request.actor
    user = get_object_or_404(selectors.user_list_for(actor), pk=user_id)
    organizations, fixed = _organization_choices(actor)
    return render(request, "accounts/users/detail.html", {
        "subject": user,
        "assignments": selectors.role_assignments_visible_to(actor, user),
        "grant_form": GrantRoleForm(organizations=organizations, fixed_organization=fixed,
                                    actor=actor, subject=user),
        "can_deactivate": permissions.can_deactivate_account(actor, user),
        "can_reset_two_factor": permissions.can_reset_two_factor(actor, user),
        "has_totp": services.user_has_confirmed_totp(user),
    })


@require(permissions.can_manage_users)
@require_POST
@reauthentication_required
def role_grant_view(request, user_id: int):
    actor = request.actor
    user = get_object_or_404(selectors.user_list_for(actor), pk=user_id)
    organizations, fixed = _organization_choices(actor)
    form = GrantRoleForm(request.POST, organizations=organizations, fixed_organization=fixed,
                         actor=actor, subject=user)
    if form.is_valid():
        try:
            services.role_grant(actor=actor, user=user,
                                organization=form.cleaned_data["organization"],
                                role=form.cleaned_data["role"])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The role has been granted."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accounts:user_detail", user_id=user.pk)


@require(permissions.can_manage_users)
@require_POST
@reauthentication_required
def role_revoke_view(request, user_id: int, assignment_id: int):
    actor = request.actor
    user = get_object_or_404(selectors.user_list_for(actor), pk=user_id)
    assignment = get_object_or_404(
        selectors.role_assignments_visible_to(actor, user), pk=assignment_id
    )
    services.role_revoke(actor=actor, assignment=assignment)
    messages.success(request, _("The role has been removed."))
    if not selectors.user_list_for(actor).filter(pk=user.pk).exists():
        return redirect("accounts:user_list")
    return redirect("accounts:user_detail", user_id=user.pk)


@require(permissions.can_manage_users)
@require_POST
@reauthentication_required
def user_remove_view(request, user_id: int):
    """Deactivate: in a municipality, remove all roles here; at the directorate, the account."""
    actor = request.actor
    user = get_object_or_404(selectors.user_list_for(actor), pk=user_id)
    if _is_system_admin(actor):
        active = request.POST.get("active") == "1"
        services.user_set_active(actor=actor, user=user, active=active)
        messages.success(request, _("The account is active again.") if active
                         else _("The account is deactivated."))
        return redirect("accounts:user_detail", user_id=user.pk)
    services.user_remove_from_organization(actor=actor, user=user, organization=actor.organization)
    messages.success(request, _("%(user)s no longer has any role in %(org)s.")
                     % {"user": user, "org": actor.organization})
    return redirect("accounts:user_list")


@require(permissions.can_manage_users)
@require_POST
@reauthentication_required
def two_factor_reset_view(request, user_id: int):
    actor = request.actor
    user = get_object_or_404(selectors.user_list_for(actor), pk=user_id)
    services.two_factor_reset(actor=actor, user=user)
    messages.success(request, _("Two-factor authentication is reset. The user sets it up again "
                                "at the next log-in."))
    return redirect("accounts:user_detail", user_id=user.pk)
