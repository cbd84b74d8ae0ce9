"""URL configuration: one include per app; error handlers in core.views."""

from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("konto/", include("accounts.urls")),
    path("organisasjoner/", include("organizations.urls")),
    path("revisjonslogg/", include("audit.urls")),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
