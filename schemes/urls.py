from django.urls import path

from . import views

app_name = "schemes"

urlpatterns = [
    path("utlysninger/", views.open_rounds_view, name="open_rounds"),
    path("utlysninger/<int:pk>/", views.round_detail_view, name="round_detail"),
    path("ordninger/", views.manage_view, name="manage"),
    path("ordninger/runder/ny/", views.round_edit_view, name="round_create"),
    path("ordninger/runder/<int:pk>/endre/", views.round_edit_view, name="round_edit"),
    path("ordninger/runder/<int:pk>/publiser/", views.round_publish_view, name="round_publish"),
    path("ordninger/runder/<int:pk>/lukk/", views.round_close_view, name="round_close"),
    path("ordninger/runder/<int:pk>/satsingsomrader/", views.focus_area_add_view,
         name="focus_area_add"),
    path("ordninger/runder/<int:pk>/rapportering/", views.reporting_duty_add_view,
         name="reporting_duty_add"),
]
