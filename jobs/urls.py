from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("feilet/", views.failed_view, name="failed"),
    path("<int:pk>/", views.job_view, name="detail"),
    path("<int:pk>/fil/", views.download_view, name="download"),
]
