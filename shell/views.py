"""The shell: start page, sections, help pages, error pages, health and outbox."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts.permissions import can_view_outbox, is_logged_in
from accounts.roles import ROLE_DESCRIPTIONS, Role
from core.decorators import public, require
from core.health import log_not_ready, readiness
from core.models import OutboundEmail
from schemes.selectors import rounds_open

from .navigation import SECTIONS_BY_KEY, TASKS
from .todo import todo_for

# The user guide's "last updated" date: change it with the guide.
USER_GUIDE_UPDATED = datetime.date(2026, 11, 23)


@public
def home_view(request):
    """The start page: for a visitor, the rounds open now and the way in; for a user, what
    each of their roles can do here."""
    if not request.user.is_authenticated:
        return render(request, "shell/home.html", {
            "anonymous": True, "rounds": list(rounds_open()[:20]),
            "oidc_enabled": settings.TILSKUDD_OIDC_ENABLED})
    return _user_home(request)


@require(is_logged_in)
def _user_home(request):
    actor = request.actor
    cards = []
    for role in sorted(actor.roles, key=lambda r: list(Role).index(r)):
        tasks = []
        for task in TASKS.get(role, ()):
            kwargs = {"org_id": actor.organization.pk} if task.kwargs_from_actor else {}
            tasks.append((task, reverse(task.url_name, kwargs=kwargs)))
        cards.append({"role": Role(role), "description": ROLE_DESCRIPTIONS[role],
                      "tasks": tasks})
    return render(request, "shell/home.html", {"cards": cards, "todo": todo_for(actor)})


def _section_view(key: str):
    section = SECTIONS_BY_KEY[key]

    @require(section.allows)
    def view(request):
        links = []
        if key == "administration":
            links = [
                task for role in sorted(request.actor.roles)
                for task in TASKS.get(role, ())
                if task.url_name in {"accounts:user_list", "organizations:list",
                                     "organizations:detail", "audit:search", "shell:outbox",
                                     "jobs:failed"}
            ]
            links = [
                (task, reverse(task.url_name, kwargs={"org_id": request.actor.organization.pk}
                               if task.kwargs_from_actor else {}))
                for task in dict.fromkeys(links)
            ]
        return render(request, "shell/section.html", {"section": section, "links": links})

    view.__name__ = f"section_{key}_view"
    return view


section_insights_view = _section_view("insights")
section_administration_view = _section_view("administration")


@public
def favicon_view(request):
    """Browsers that ask for /favicon.ico get the SVG icon the pages link to."""
    # Not permanent: in production the static name carries a hash that changes.
    return redirect(static("core/favicon.svg"))


@public
def help_view(request):
    return render(request, "shell/help/guide.html", {"updated": USER_GUIDE_UPDATED})


@public
def faq_view(request):
    return render(request, "shell/help/faq.html", {"updated": USER_GUIDE_UPDATED})


@public
def contact_view(request):
    return render(request, "shell/help/contact.html")


@public
def accessibility_view(request):
    return render(request, "shell/help/accessibility.html")


@public
def privacy_view(request):
    return render(request, "shell/help/privacy.html")


@public
@never_cache
def health_view(request):
    """Liveness: the process answers (no database, see core/health.py)."""
    return JsonResponse({"status": "ok"})


@public
@never_cache
def readiness_view(request):
    """Readiness: database reachable and migrations applied; 503 when not."""
    ready, report = readiness()
    response = JsonResponse(report, status=200 if ready else 503)
    if not ready:
        # One warning with the checks instead of Django's error line for every 5xx: a
        # process that waits for its migrations is not an error, and probes are frequent.
        log_not_ready(report)
        response._has_been_logged = True
    return response


@require(can_view_outbox)
def outbox_view(request):
    page = Paginator(OutboundEmail.objects.all(), 50).get_page(request.GET.get("side"))
    return render(request, "shell/outbox.html", {"page": page})


# -- errors --------------------------------------------------------------------------


def _error(request, template: str, status: int, **context):
    return render(request, template, context, status=status)


def error_403(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    return _error(request, "errors/403.html", 403, reason=reason)


def error_404(request, exception=None):
    return _error(request, "errors/404.html", 404)


def error_500(request):
    # Rendered without the request context processors that touch the database.
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(
        request, "request_id", "")}))


def csrf_failure(request, reason=""):
    return _error(request, "errors/csrf.html", 403)


