"""The organisation pages: the list, an organisation's details and numbers over time, and
its administrators' edit of its own details (payout account with re-authentication)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.reauth import is_recently_authenticated, reauthentication_redirect
from accounts.selectors import signer_list_for
from core.decorators import require
from organizations.forms import OrganizationProfileForm
from organizations.models import (
    PAYOUT_HOLD_DAYS,
    MunicipalityChange,
    Organization,
    OrganizationKind,
)
from organizations.selectors import organization_list, organization_resolve_code, payout_hold

from ..organization_profile import organization_update_profile


@require(permissions.can_list_organizations)
def organization_list_view(request):
    kind = request.GET.get("type", "")
    if kind not in OrganizationKind.values:
        kind = ""
    query = request.GET.get("q", "").strip()
    resolved = organization_resolve_code(query) if query.isdigit() and len(query) == 4 else []
    organizations = organization_list(kind=kind or None, query=query)
    page = Paginator(organizations, 50).get_page(request.GET.get("side"))
    return render(request, "organizations/list.html", {
        "page": page, "kind": kind, "query": query, "kinds": OrganizationKind.choices,
        "resolved": [org for org in resolved if org.code != query],
        "can_view_signers": permissions.can_view_signers(request.actor),
    })


def _visible_organization(request, org_id: int) -> Organization:
    organization = get_object_or_404(
        Organization.objects.select_related("parent", "regional_office"), pk=org_id
    )
    decision = permissions.can_view_organization(request.actor, organization)
    if not decision:
        # Another organisation's page: as if it did not exist.
        from django.http import Http404

        raise Http404
    return organization


@require(permissions.has_any_role)
def organization_detail_view(request, org_id: int):
    organization = _visible_organization(request, org_id)
    changes = MunicipalityChange.objects.filter(
        new_code__in=organization.codes.values("code")
    ) | MunicipalityChange.objects.filter(old_code__in=organization.codes.values("code"))
    can_view_signers = permissions.can_view_signers(request.actor)
    return render(request, "organizations/detail.html", {
        "organization": organization,
        "codes": organization.codes.all(),
        "changes": changes.distinct(),
        "region": organization.region(),
        "children": organization.children.order_by("code")[:100],
        "can_edit": permissions.can_edit_organization(request.actor, organization),
        "payout_held": payout_hold(organization, timezone.localdate()),
        "can_view_signers": can_view_signers,
        "signers": signer_list_for(request.actor, organization=organization)[:SIGNERS_SHOWN]
        if can_view_signers else [],
    })


# The organisation page lists this many signers; the full list is on the signer page.
SIGNERS_SHOWN = 50


@require(permissions.has_any_role)
def organization_edit_view(request, org_id: int):
    organization = _visible_organization(request, org_id)
    decision = permissions.can_edit_organization(request.actor, organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    # The payout account and the address for official mail are here: confirm who it is
    # before the form is shown, and again if the confirmation has expired on submit.
    if not is_recently_authenticated(request):
        return reauthentication_redirect(request)
    form = OrganizationProfileForm(request.POST or None, instance=Organization.objects.get(
        pk=organization.pk))
    if request.method == "POST" and form.is_valid():
        old_account = organization.account_number
        saved = organization_update_profile(
            actor=request.actor, organization=organization,
            data={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("The details are saved."))
        if saved.account_number != old_account:
            messages.info(request, _("The account number is changed. The chief executive and "
                                     "the administrators have been told by e-mail."))
        return redirect("organizations:detail", org_id=organization.pk)
    if request.method == "POST":
        messages.error(request, _("The details were not saved. Correct the fields marked below."))
    return render(request, "organizations/edit.html", {
        "organization": organization, "form": form, "payout_hold_days": PAYOUT_HOLD_DAYS,
    })
