from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list_view, name="list"),
    path("<int:org_id>/", views.organization_detail_view, name="detail"),
    path("<int:org_id>/endre/", views.organization_edit_view, name="edit"),
]
