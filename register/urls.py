from django.urls import path

from . import directorate_views, views

app_name = "register"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("deltakere/", views.overview_view, name="overview"),
    path("deltakere/sok/", views.overview_search_view, name="overview_search"),
    path("deltakere/eksport.csv", views.export_csv_view, name="export_csv"),
    path("deltakere/eksport.xlsx", views.export_xlsx_view, name="export_xlsx"),
    path("deltakere/ny/", views.participant_create_view, name="participant_create"),
    path("deltakere/<int:pk>/", views.participant_detail_view, name="participant_detail"),
    path("deltakere/<int:pk>/vurdering/", views.justify_view, name="participant_justify"),
    path("deltakere/<int:pk>/utskriv/", views.discharge_view, name="participant_discharge"),
    path("deltakere/<int:pk>/slett/", views.delete_view, name="participant_delete"),
    path("deltakere/<int:pk>/tiltak/<int:measure_id>/fjern/", views.measure_remove_view,
         name="measure_remove"),
    path("deltakere/<int:pk>/tiltak/<int:measure_id>/endre/", views.measure_edit_view,
         name="measure_edit"),
    path("deltakere/<int:pk>/<slug:page>/", views.participant_page_view,
         name="participant_page"),
    path("innsending/", views.submission_view, name="submission"),
    path("hjelp/", views.help_view, name="help"),
    path("informasjonsbrev/<str:language>/", views.info_letter_view, name="info_letter"),
    path("tilgangslogg/", views.access_log_view, name="access_log"),
    path("avtaler/", directorate_views.agreements_view, name="agreements"),
    path("innsendinger/", directorate_views.submissions_view, name="submissions"),
    path("analyse/", directorate_views.analysis_view, name="analysis"),
    path("flytt/", directorate_views.move_view, name="move"),
]
