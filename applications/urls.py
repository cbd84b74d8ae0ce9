from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("ny/<int:round_pk>/", views.start_view, name="start"),
    path("for-sent/", views.late_view, name="late"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/send/", views.send_view, name="send"),
    path("<int:pk>/returner/", views.return_view, name="return"),
    path("<int:pk>/signer/", views.sign_view, name="sign"),
    path("<int:pk>/kvittering.pdf", views.receipt_view, name="receipt"),
    path("<int:pk>/trekk/", views.withdraw_view, name="withdraw"),
    path("<int:pk>/partnere/", views.partner_add_view, name="partner_add"),
    path("<int:pk>/partnerskap/", views.partner_answer_view, name="partner_answer"),
    path("<int:pk>/vedlegg/", views.attachment_add_view, name="attachment_add"),
    path("<int:pk>/vedlegg/<int:attachment_id>/", views.attachment_view, name="attachment"),
    path("<int:pk>/vedlegg/<int:attachment_id>/fjern/", views.attachment_remove_view,
         name="attachment_remove"),
    path("<int:pk>/partnere/<int:org_id>/fjern/", views.partner_remove_view,
         name="partner_remove"),
]
