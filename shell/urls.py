from django.urls import path

from accounts.views.profile import set_language_view

from . import views

app_name = "shell"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("innsikt/", views.section_insights_view, name="section_insights"),
    path("administrasjon/", views.section_administration_view, name="section_administration"),
    path("administrasjon/utboks/", views.outbox_view, name="outbox"),
    path("hjelp/", views.help_view, name="help"),
    path("hjelp/sporsmal/", views.faq_view, name="faq"),
    path("hjelp/kontakt/", views.contact_view, name="contact"),
    path("tilgjengelighet/", views.accessibility_view, name="accessibility"),
    path("personvern/", views.privacy_view, name="privacy"),
    path("helse/", views.health_view, name="health"),
    path("klar/", views.readiness_view, name="ready"),
    path("favicon.ico", views.favicon_view, name="favicon"),
    path("sprak/", set_language_view, name="set_language"),
]
