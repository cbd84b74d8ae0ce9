"""URL configuration: one include per app; error handlers in core.views."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("konto/", include("accounts.urls")),
    path("organisasjoner/", include("organizations.urls")),
    path("revisjonslogg/", include("audit.urls")),
    path("register/", include("register.urls")),
    path("", include("schemes.urls")),
    path("soknader/", include("applications.urls")),
    path("saksbehandling/", include("casework.urls")),
    path("jobber/", include("jobs.urls")),
]

if settings.TILSKUDD_OIDC_ENABLED:  # docs/oidc.md
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
