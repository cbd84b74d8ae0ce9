from django.urls import path

from . import grant_views, views

app_name = "finance"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("til-utbetaling/", views.due_view, name="due"),
    path("til-utbetaling/ny-kjoring/", views.run_create_view, name="run_create"),
    path("konto/<int:org_id>/bekreft/", views.account_confirm_view, name="account_confirm"),
    path("kjoringer/", views.runs_view, name="runs"),
    path("kjoringer/<int:pk>/", views.run_view, name="run"),
    path("kjoringer/<int:pk>/ta-ut/<int:payment_id>/", views.run_remove_view,
         name="run_remove"),
    path("kjoringer/<int:pk>/godkjenn/", views.run_approve_view, name="run_approve"),
    path("kjoringer/<int:pk>/sendt/", views.run_sent_view, name="run_sent"),
    path("kjoringer/<int:pk>/fil/", views.run_file_view, name="run_file"),
    path("kjoringer/<int:pk>/bilag/", views.run_vouchers_view, name="run_vouchers"),
    path("kjoringer/<int:pk>/status/", views.status_import_view, name="status_import"),
    path("tilskudd/<int:case_pk>/", grant_views.grant_view, name="grant"),
    path("tilskudd/<int:case_pk>/reaksjon/", grant_views.reaction_propose_view,
         name="reaction_propose"),
    path("reaksjoner/<int:pk>/godkjenn/", grant_views.reaction_approve_view,
         name="reaction_approve"),
    path("reaksjoner/<int:pk>/trekk/", grant_views.reaction_withdraw_view,
         name="reaction_withdraw"),
    path("reaksjoner/<int:pk>/opphev/", grant_views.reaction_lift_view, name="reaction_lift"),
    path("reaksjoner/<int:pk>/brev/", grant_views.reaction_letter_view, name="reaction_letter"),
    path("krav/<int:pk>/betalt/", grant_views.receivable_paid_view, name="receivable_paid"),
    path("betalinger/<int:pk>/", views.payment_view, name="payment"),
    path("hovedbok/", views.ledger_view, name="ledger"),
    path("hovedbok/bevilgning/", views.appropriation_view, name="appropriation"),
]
