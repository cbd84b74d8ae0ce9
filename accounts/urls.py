from django.urls import path

from .views import auth, profile, signers, users

app_name = "accounts"

urlpatterns = [
    path("logg-inn/", auth.login_view, name="login"),
    path("logg-inn/kode/", auth.login_code_view, name="login_code"),
    path("logg-ut/", auth.logout_view, name="logout"),
    path("tofaktor/oppsett/", auth.two_factor_enroll_view, name="two_factor_enroll"),
    path("tofaktor/reservekoder/", auth.backup_codes_view, name="backup_codes"),
    path("bekreft/", auth.reauthenticate_view, name="reauthenticate"),
    path("passord/", auth.password_change_view, name="password_change"),
    path("passord/glemt/", auth.password_reset_view, name="password_reset"),
    path("passord/glemt/sendt/", auth.password_reset_done_view, name="password_reset_done"),
    path("passord/ny/<uidb64>/<token>/", auth.password_reset_confirm_view,
         name="password_reset_confirm"),
    path("passord/ny/ferdig/", auth.password_reset_complete_view,
         name="password_reset_complete"),
    path("invitasjon/<str:token>/", profile.invitation_accept_view, name="invitation_accept"),
    path("", profile.profile_view, name="profile"),
    path("organisasjon/", profile.switch_organization_view, name="switch_organization"),
    path("brukere/", users.user_list_view, name="user_list"),
    path("brukere/inviter/", users.user_invite_view, name="user_invite"),
    path("brukere/<int:user_id>/", users.user_detail_view, name="user_detail"),
    path("brukere/<int:user_id>/roller/", users.role_grant_view, name="role_grant"),
    path("brukere/<int:user_id>/roller/<int:assignment_id>/fjern/", users.role_revoke_view,
         name="role_revoke"),
    path("brukere/<int:user_id>/deaktiver/", users.user_remove_view, name="user_remove"),
    path("brukere/<int:user_id>/tofaktor/nullstill/", users.two_factor_reset_view,
         name="two_factor_reset"),
    path("signaturrett/", signers.signer_list_view, name="signer_list"),
]
