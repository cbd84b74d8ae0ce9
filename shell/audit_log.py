"""The audit log's search page, for the directorate (the log itself is audit/, low in
the house; this page needs the permissions above it). Mounted with the namespace
``audit`` in tilskudd/urls.py."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from accounts.permissions import can_view_audit_log
from audit.forms import AuditSearchForm
from audit.selectors import audit_event_search
from core.decorators import require


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


urlpatterns = [
    path("", audit_search_view, name="search"),
]
