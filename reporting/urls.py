from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("rapporter/", views.list_view, name="list"),
    path("utlysning/", views.round_view, name="round"),
]
