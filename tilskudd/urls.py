"""URL configuration: one include per app; error handlers in shell.views."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("shell.urls")),
    path("konto/", include("accounts.urls")),
    path("organisasjoner/", include(("accounts.organization_urls", "organizations"))),
    path("revisjonslogg/", include(("shell.audit_log", "audit"))),
    path("register/", include("register.urls")),
    path("", include("schemes.urls")),
    path("soknader/", include("applications.urls")),
    path("saksbehandling/", include("casework.urls")),
    path("", include(("casework.portal_urls", "grant"))),
    path("rapportering/", include("reporting.urls")),
    path("okonomi/", include("finance.urls")),
    path("jobber/", include("jobs.urls")),
]

if settings.TILSKUDD_OIDC_ENABLED:  # docs/oidc.md
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "shell.views.error_403"
handler404 = "shell.views.error_404"
handler500 = "shell.views.error_500"
