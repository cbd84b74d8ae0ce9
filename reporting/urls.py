from django.urls import path

from . import report_views, views

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
    path("rapporter/<int:pk>/skriv/", report_views.write_view, name="write"),
    path("rapporter/<int:pk>/send/", report_views.send_view, name="send"),
    path("rapporter/<int:pk>/tilbake/", report_views.return_view, name="return"),
    path("rapporter/<int:pk>/godkjenn-regnskap/", report_views.approve_view, name="approve"),
    path("rapporter/<int:pk>/vedlegg/", report_views.attachment_add_view,
         name="attachment_add"),
    path("rapporter/<int:pk>/vedlegg/<int:attachment_id>/", report_views.attachment_view,
         name="attachment"),
    path("rapporter/<int:pk>/vedlegg/<int:attachment_id>/fjern/",
         report_views.attachment_remove_view, name="attachment_remove"),
    path("rapporter/<int:pk>/versjon/<int:version_id>/kvittering/",
         report_views.version_receipt_view, name="version_receipt"),
    path("tilskudd/<int:case_pk>/", views.grant_view, name="grant"),
    path("tilskudd/<int:case_pk>/ny-rapport/", views.obligation_add_view,
         name="obligation_add"),
]
