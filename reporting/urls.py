from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("rapporter/", views.list_view, name="list"),
    path("utlysning/", views.round_view, name="round"),
    path("rapporter/<int:pk>/", views.detail_view, name="detail"),
    path("rapporter/<int:pk>/attester/", views.certify_view, name="certify"),
    path("rapporter/<int:pk>/vurder/", views.review_view, name="review"),
    path("rapporter/<int:pk>/kvittering/<int:snapshot_id>/", views.receipt_view,
         name="receipt"),
    path("tilskudd/<int:case_pk>/", views.grant_view, name="grant"),
    path("tilskudd/<int:case_pk>/ny-rapport/", views.obligation_add_view,
         name="obligation_add"),
]
