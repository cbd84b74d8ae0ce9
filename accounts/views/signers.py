"""Who holds the right to sign where: the directorate's overview of signing roles."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from core.decorators import require

from .. import permissions, selectors

PAGE_SIZE = 50


@require(permissions.can_view_signers)
def signer_list_view(request):
    query = request.GET.get("q", "").strip()[:100]
    assignments = selectors.signer_list_for(request.actor, query=query)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "accounts/signers.html", {
        "page": page, "query": query, "page_query": urlencode({"q": query}) if query else "",
    })
