from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import permissions
from core.decorators import require

from .forms import OrganizationProfileForm
from .models import MunicipalityChange, Organization, OrganizationKind
from .selectors import organization_list, organization_resolve_code
from .services import organization_update_profile


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
    return render(request, "organizations/detail.html", {
        "organization": organization,
        "codes": organization.codes.all(),
        "changes": changes.distinct(),
        "region": organization.region(),
        "children": organization.children.order_by("code")[:100],
        "can_edit": permissions.can_edit_organization(request.actor, organization),
    })


@require(permissions.has_any_role)
def organization_edit_view(request, org_id: int):
    organization = _visible_organization(request, org_id)
    decision = permissions.can_edit_organization(request.actor, organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = OrganizationProfileForm(request.POST or None, instance=Organization.objects.get(
        pk=organization.pk))
    if request.method == "POST" and form.is_valid():
        organization_update_profile(
            actor=request.actor, organization=organization,
            data={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("The details are saved."))
        return redirect("organizations:detail", org_id=organization.pk)
    if request.method == "POST":
        messages.error(request, _("The details were not saved. Correct the fields marked below."))
    return render(request, "organizations/edit.html", {"organization": organization, "form": form})
