from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("ny/<int:round_pk>/", views.start_view, name="start"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/send/", views.send_view, name="send"),
    path("<int:pk>/returner/", views.return_view, name="return"),
    path("<int:pk>/signer/", views.sign_view, name="sign"),
    path("<int:pk>/kvittering.pdf", views.receipt_view, name="receipt"),
    path("<int:pk>/trekk/", views.withdraw_view, name="withdraw"),
]
