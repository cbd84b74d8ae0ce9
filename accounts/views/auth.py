"""Log-in in two steps (password, then a code), enrolment, re-authentication, log-out."""

from __future__ import annotations

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from audit.events import EventType
from audit.services import audit_record
from core.decorators import public, require
from core.mail import mail_queue

from .. import services, throttle
from ..forms import CodeForm, EnrollForm, LoginForm, ReauthForm
from ..middleware import LOGIN_AT_SESSION_KEY, is_two_factor_verified
from ..permissions import is_logged_in
from ..reauth import mark_reauthenticated
from ..selectors import user_needs_two_factor

PENDING_KEY = "tilskudd_pending_login"
BACKUP_CODES_KEY = "tilskudd_new_backup_codes"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > settings.TILSKUDD_PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()


def _complete_login(request, user, *, device=None, method="password") -> HttpResponseRedirect:
    next_url = request.session.get(PENDING_KEY, {}).get("next") or reverse("core:home")
    request.session.pop(PENDING_KEY, None)
    with transaction.atomic():
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        if device is not None:
            otp_login(request, device)
        audit_record(event_type=EventType.LOGIN_SUCCEEDED, actor=user, target=user,
                     payload={"method": method, "two_factor": device is not None})
    request.session[LOGIN_AT_SESSION_KEY] = time.time()
    mark_reauthenticated(request)
    throttle.clear_failures(login_name=user.username)
    response = redirect(next_url)
    if user.preferred_language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def _record_failure(request, *, login_name: str, user=None, step: str) -> None:
    throttle.register_failure(login_name=login_name, address=throttle.client_address(request))
    if user is not None:
        with transaction.atomic():
            audit_record(event_type=EventType.LOGIN_FAILED, target=user, payload={"step": step})


THROTTLED_MESSAGE = gettext_lazy(
    "Too many failed attempts. For your security, log-in is paused for a while. "
    "Wait 15 minutes and try again, or contact your administrator."
)


@public
@never_cache
@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_name = form.cleaned_data["username"]
        address = throttle.client_address(request)
        scope = throttle.is_throttled(login_name=login_name, address=address)
        if scope:
            with transaction.atomic():
                audit_record(event_type=EventType.LOGIN_THROTTLED, payload={"scope": scope})
            form.add_error(None, THROTTLED_MESSAGE)
            return render(request, "accounts/login.html", {"form": form}, status=429)
        from django.contrib.auth import authenticate

        user = authenticate(request, username=login_name, password=form.cleaned_data["password"])
        if user is None:
            known = get_user_model().objects.filter(username__iexact=login_name).first()
            _record_failure(request, login_name=login_name, user=known, step="password")
            form.add_error(None, _("The log-in name or password is wrong. Check both and try "
                                   "again."))
        else:
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user_id": user.pk, "at": time.time(),
                "next": _safe_next(request, reverse("core:home")),
            }
            if services.user_has_confirmed_totp(user):
                return redirect("accounts:login_code")
            if user_needs_two_factor(user):
                return redirect("accounts:two_factor_enroll")
            return _complete_login(request, user)
    return render(request, "accounts/login.html", {
        "form": form, "oidc_enabled": settings.TILSKUDD_OIDC_ENABLED,
        "next": request.GET.get("next", ""),
    })


@public
@never_cache
@sensitive_post_parameters("code")
def login_code_view(request):
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Start by entering your log-in name and password."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scope = throttle.is_throttled(login_name=user.username,
                                      address=throttle.client_address(request))
        if scope:
            form.add_error(None, THROTTLED_MESSAGE)
            return render(request, "accounts/login_code.html", {"form": form}, status=429)
        device = match_token(user, form.cleaned_data["code"])
        if device is None:
            _record_failure(request, login_name=user.username, user=user, step="code")
            form.add_error("code", _("The code is wrong or has expired. Enter the code shown in "
                                     "your app now."))
        else:
            if device.__class__.__name__ == "StaticDevice":
                remaining = device.token_set.count()
                with transaction.atomic():
                    audit_record(event_type=EventType.BACKUP_CODE_USED, actor=user, target=user,
                                 payload={"remaining": remaining})
                if remaining <= 3:
                    messages.warning(request, _("You have %(count)s backup codes left. Make new "
                                                "ones on your profile page.")
                                     % {"count": remaining})
            return _complete_login(request, user, device=device, method="password+totp")
    return render(request, "accounts/login_code.html", {"form": form})


@public
@never_cache
def two_factor_enroll_view(request):
    """Set up an authenticator app: as the second step of a first log-in, or later."""
    user = request.user if request.user.is_authenticated else _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    verified = request.user.is_authenticated and is_two_factor_verified(request)
    if services.user_has_confirmed_totp(user) and not verified:
        # Replacing an app requires the current one: a password alone must never be
        # enough to enrol a new second factor over an existing one.
        if not request.user.is_authenticated:
            return redirect("accounts:login_code")
        return redirect(f"{reverse('accounts:reauthenticate')}?next="
                        f"{reverse('accounts:two_factor_enroll')}")
    if request.user.is_authenticated and is_two_factor_verified(request) and \
            services.user_has_confirmed_totp(user) and request.method == "GET" and \
            "replace" not in request.GET:
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("accounts:profile")
    device = services.totp_device_for_enrollment(user=user)
    form = EnrollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(user=user, device=device, token=form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", _("The code did not match. Check that the clock on your "
                                     "phone is right and enter the newest code."))
        else:
            request.session[BACKUP_CODES_KEY] = codes
            if not request.user.is_authenticated:
                response = _complete_login(request, user, device=device, method="password+totp")
                response["Location"] = reverse("accounts:backup_codes")
                return response
            otp_login(request, device)
            return redirect("accounts:backup_codes")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code for your authenticator app")
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor_enroll.html", {
        "form": form, "qr_svg": qr_svg,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "pending": not request.user.is_authenticated,
    })


@require(is_logged_in)
@never_cache
def backup_codes_view(request):
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    if request.method == "POST":
        from ..reauth import is_recently_authenticated

        if not is_recently_authenticated(request):
            return redirect(f"{reverse('accounts:reauthenticate')}?next="
                            f"{reverse('accounts:profile')}")
        codes = services.backup_codes_regenerate(user=request.user)
    if not codes:
        messages.info(request, _("Backup codes are shown only once. Make new ones if you have "
                                 "lost them."))
        return redirect("accounts:profile")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@require(is_logged_in)
@never_cache
@sensitive_post_parameters("password", "code")
def reauthenticate_view(request):
    user = request.user
    needs_code = services.user_has_confirmed_totp(user)
    form = ReauthForm(request.POST or None, needs_code=needs_code)
    next_url = _safe_next(request, reverse("core:home"))
    if request.method == "POST" and form.is_valid():
        scope = throttle.is_throttled(login_name=user.username,
                                      address=throttle.client_address(request))
        ok = not scope and user.check_password(form.cleaned_data["password"])
        if ok and needs_code:
            ok = match_token(user, form.cleaned_data["code"]) is not None
        if ok:
            mark_reauthenticated(request)
            with transaction.atomic():
                audit_record(event_type=EventType.REAUTHENTICATED, actor=user,
                             organization=request.actor.organization, target=user,
                             payload={"purpose": "sensitive_action"})
            return redirect(next_url)
        if scope:
            form.add_error(None, THROTTLED_MESSAGE)
        else:
            _record_failure(request, login_name=user.username, user=user, step="reauth")
            form.add_error(None, _("The password or code is wrong."))
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": next_url})


@public
@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        with transaction.atomic():
            audit_record(event_type=EventType.LOGOUT, actor=request.user, target=request.user)
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(event_type=EventType.PASSWORD_CHANGED, actor=self.request.user,
                         target=self.request.user)
        messages.success(self.request, _("Your password is changed."))
        return response


password_change_view = require(is_logged_in)(PasswordChangeView.as_view())


class OutboxPasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending through the outbox like every other e-mail."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        mail_queue(kind="password_reset", to=[to_email], template=email_template_name,
                            context=context)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


password_reset_view = public(PasswordResetView.as_view())
password_reset_done_view = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm_view = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete_view = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
