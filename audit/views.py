from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.permissions import can_view_audit_log
from core.decorators import require

from .forms import AuditSearchForm
from .selectors import audit_event_search


@require(can_view_audit_log)
def audit_search_view(request):
    form = AuditSearchForm(request.GET or None)
    events = audit_event_search()
    if form.is_bound and form.is_valid():
        events = audit_event_search(**form.cleaned_data)
    page = Paginator(events, 50).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "audit/search.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })
