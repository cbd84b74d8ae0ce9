from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("soknader/<int:pk>/", views.case_view, name="case"),
    path("soknader/<int:pk>/tildel/", views.assign_view, name="assign"),
    path("soknader/<int:pk>/notat/", views.note_view, name="note"),
    path("soknader/<int:pk>/vedlegg/<int:attachment_id>/", views.attachment_view,
         name="attachment"),
    path("soknader/<int:pk>/kvittering.pdf", views.receipt_view, name="receipt"),
    path("soknader/<int:pk>/formell-kontroll/", views.screen_view, name="screen"),
    path("soknader/<int:pk>/brev/<int:letter_id>/", views.letter_view, name="letter"),
    path("soknader/<int:pk>/vurdering/", views.assess_view, name="assess"),
    path("soknader/<int:pk>/vedtak/", views.propose_view, name="propose"),
    path("soknader/<int:pk>/vedtak/godkjenn/", views.approve_view, name="approve"),
    path("soknader/<int:pk>/akseptfrist/", views.extend_view, name="extend"),
    path("soknader/<int:pk>/klager/<int:appeal_id>/", views.appeal_action_view,
         name="appeal_action"),
    path("soknader/<int:pk>/endringer/<int:change_id>/", views.change_decide_view,
         name="change_decide"),
    path("utlysninger/<int:round_pk>/vurderinger/", views.summary_view, name="summary"),
]
