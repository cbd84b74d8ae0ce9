"""The organisation pages, mounted as /organisasjoner/ with the namespace organizations."""

from django.urls import path

from .views import organizations as views

urlpatterns = [
    path("", views.organization_list_view, name="list"),
    path("<int:org_id>/", views.organization_detail_view, name="detail"),
    path("<int:org_id>/endre/", views.organization_edit_view, name="edit"),
]
