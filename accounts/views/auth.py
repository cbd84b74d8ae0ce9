"""Log-in in two steps (password, then a code), enrolment, re-authentication, log-out."""

from __future__ import annotations

import base64
import logging
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
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from audit.events import EventType
from audit.services import audit_record
from core.decorators import public, require

from .. import services, throttle
from ..forms import CodeForm, EnrollForm, LoginForm, ReauthForm, ReplaceTwoFactorForm
from ..middleware import LOGIN_AT_SESSION_KEY, is_two_factor_verified
from ..permissions import is_logged_in
from ..reauth import is_recently_authenticated, mark_reauthenticated
from ..selectors import user_needs_two_factor

logger = logging.getLogger("tilskudd.accounts")
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
    next_url = request.session.get(PENDING_KEY, {}).get("next") or _safe_next(
        request, reverse("shell:home"))
    request.session.pop(PENDING_KEY, None)
    with transaction.atomic():
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        if device is not None:
            otp_login(request, device)
        audit_record(event_type=EventType.LOGIN_SUCCEEDED, actor=user, target=user,
                     payload={"method": method, "two_factor": device is not None})
    request.session[LOGIN_AT_SESSION_KEY] = time.time()
    mark_reauthenticated(request)
    throttle.clear_failures(account=throttle.account_key(user))
    response = redirect(next_url)
    if user.preferred_language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def _record_failure(request, *, account: str, user=None, step: str) -> None:
    throttle.register_failure(account=account, address=throttle.client_address(request))
    if user is not None:
        with transaction.atomic():
            audit_record(event_type=EventType.LOGIN_FAILED, target=user, payload={"step": step})


def _record_throttled(gate) -> None:
    with transaction.atomic():
        audit_record(event_type=EventType.LOGIN_THROTTLED, payload={"scope": gate.scope})


def _throttled_message(gate) -> str:
    return _("Many failed log-ins have been made for this account or from this network, so "
             "a password alone is not accepted until %(time)s. If you use an authenticator "
             "app, enter your password and the code from the app together and log in now. "
             "Otherwise wait until then, or contact your administrator.") % {
        "time": timezone.localtime(gate.retry_at).strftime("%H:%M:%S")}


def _start_pending_login(request, user) -> HttpResponseRedirect:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk, "at": time.time(),
        "next": _safe_next(request, reverse("shell:home")),
    }
    if services.user_has_confirmed_totp(user):
        return redirect("accounts:login_code")
    if user_needs_two_factor(user):
        return redirect("accounts:two_factor_enroll")
    return _complete_login(request, user)


@public
@never_cache
@sensitive_post_parameters("password", "code")
def login_view(request):
    """The password step. Failures count against the user the name or e-mail address
    resolves to (see accounts/throttle.py). In back-off, a password alone waits for the
    delay, but the right password with the right code from the app gets in at once — so
    others' failures cannot lock a signer out on deadline day — and the answer is the same
    for every failure, so it tells nothing about the password or the account."""
    from django.contrib.auth import authenticate

    if request.user.is_authenticated:
        return redirect("shell:home")
    address = throttle.client_address(request)
    with_code = bool(request.POST.get("code")) or request.POST.get("with_code") == "1"
    form = LoginForm(request.POST or None, with_code=with_code)
    context = {"form": form, "oidc_enabled": settings.TILSKUDD_OIDC_ENABLED,
               "next": _safe_next(request, "")}
    if request.method == "POST" and form.is_valid():
        login_name = form.cleaned_data["username"]
        known = throttle.resolve_user(login_name)
        account = throttle.account_key(known or login_name)
        gate = throttle.gate(account=account, address=address)
        user = authenticate(request, username=login_name, password=form.cleaned_data["password"])
        if gate.paused:
            code = form.cleaned_data.get("code", "")
            device = None
            if user is not None and code and services.user_has_confirmed_totp(user):
                device = services.two_factor_match(user, code)
            if device is not None:
                request.session.cycle_key()
                return _complete_login(request, user, device=device, method="password+totp")
            _record_throttled(gate)
            form = LoginForm(request.POST, with_code=True)
            form.is_valid()
            form.add_error(None, _throttled_message(gate))
            return render(request, "accounts/login.html", {**context, "form": form},
                          status=429)
        if user is None:
            _record_failure(request, account=account, user=known, step="password")
            form.add_error(None, _("The log-in name or password is wrong. Check both and try "
                                   "again."))
        else:
            code = form.cleaned_data.get("code", "")
            if code and services.user_has_confirmed_totp(user):
                device = services.two_factor_match(user, code)
                if device is not None:
                    request.session.cycle_key()
                    return _complete_login(request, user, device=device,
                                           method="password+totp")
            return _start_pending_login(request, user)
    return render(request, "accounts/login.html", context)


@public
@never_cache
@sensitive_post_parameters("code")
def login_code_view(request):
    """The code step, after the right password. Not paused by others' failures; wrong codes
    count against the account, and django-otp pauses the app itself after wrong codes
    (a delay that doubles each time)."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Start by entering your log-in name and password."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_match(user, form.cleaned_data["code"])
        if device is None:
            _record_failure(request, account=throttle.account_key(user), user=user, step="code")
            if services.two_factor_paused(user):
                form.add_error("code", _("Too many wrong codes. Wait a minute and enter the "
                                         "newest code from your app."))
            else:
                form.add_error("code", _("The code is wrong or has expired. Enter the code "
                                         "shown in your app now."))
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
@sensitive_post_parameters("password", "current_code", "code")
def two_factor_enroll_view(request):
    """Set up an authenticator app: as the second step of a first log-in, or later. To
    replace an app one already has, the password and a current code from that app are
    needed (a logged-in session alone may be stale or someone else's)."""
    user = request.user if request.user.is_authenticated else _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    verified = request.user.is_authenticated and is_two_factor_verified(request)
    has_app = services.user_has_confirmed_totp(user)
    if has_app and not verified:
        # Replacing an app requires the current one: a password alone must never be
        # enough to enrol a new second factor over an existing one.
        if not request.user.is_authenticated:
            return redirect("accounts:login_code")
        return redirect(f"{reverse('accounts:reauthenticate')}?next="
                        f"{reverse('accounts:two_factor_enroll')}")
    if has_app and request.method == "GET" and "replace" not in request.GET:
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("accounts:profile")
    device = services.totp_device_for_enrollment(user=user)
    form = (ReplaceTwoFactorForm if has_app else EnrollForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = None
        if has_app:
            gate = throttle.gate(account=throttle.account_key(user),
                                 address=throttle.client_address(request))
            try:
                # Password and current code together, as at a log-in in back-off: checked
                # even during the delay, counted only outside it.
                codes = services.totp_replace(
                    user=user, device=device, password=form.cleaned_data["password"],
                    current_code=form.cleaned_data["current_code"],
                    token=form.cleaned_data["code"],
                )
            except services.TwoFactorReplaceRefused:
                if not gate.paused:
                    _record_failure(request, account=throttle.account_key(user), user=user,
                                    step="two_factor_replace")
                form.add_error(None, _("The password or the code from your current app is "
                                       "wrong. Nothing is changed."))
            else:
                if codes is None:
                    form.add_error("code", _("The code from the new app did not match. Check "
                                             "that the clock on your phone is right and enter "
                                             "the newest code."))
        else:
            codes = services.totp_confirm(user=user, device=device,
                                          token=form.cleaned_data["code"])
            if codes is None:
                form.add_error("code", _("The code did not match. Check that the clock on "
                                         "your phone is right and enter the newest code."))
        if codes is not None:
            request.session[BACKUP_CODES_KEY] = codes
            if not request.user.is_authenticated:
                response = _complete_login(request, user, device=device, method="password+totp")
                response["Location"] = reverse("accounts:backup_codes")
                return response
            otp_login(request, device)
            if has_app:
                messages.success(request, _("Your new app is set up. We have sent you an "
                                            "e-mail about the change."))
            return redirect("accounts:backup_codes")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code for your authenticator app")
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor_enroll.html", {
        "form": form, "qr_svg": qr_svg,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "pending": not request.user.is_authenticated, "replacing": has_app,
    })


@require(is_logged_in)
@never_cache
def backup_codes_view(request):
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    if request.method == "POST":
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
    next_url = _safe_next(request, reverse("shell:home"))
    if request.method == "POST" and form.is_valid():
        # The same rule as at log-in: in back-off a password alone waits for the delay, the
        # password with the right code is accepted at once (a signer is not locked out).
        account = throttle.account_key(user)
        gate = throttle.gate(account=account, address=throttle.client_address(request))
        paused = gate.paused and not needs_code
        ok = not paused and user.check_password(form.cleaned_data["password"])
        if ok and needs_code:
            ok = services.two_factor_match(user, form.cleaned_data["code"]) is not None
        if ok:
            mark_reauthenticated(request)
            with transaction.atomic():
                audit_record(event_type=EventType.REAUTHENTICATED, actor=user,
                             organization=request.actor.organization, target=user,
                             payload={"purpose": "sensitive_action"})
            return redirect(next_url)
        if paused:
            _record_throttled(gate)
            form.add_error(None, _throttled_message(gate))
        else:
            if not gate.paused:
                _record_failure(request, account=account, user=user, step="reauth")
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


class _RedirectThenRun(HttpResponseRedirect):
    """A redirect that does some work only after it has been sent: the WSGI server calls
    ``close()`` once the response is written, so the work is never in the request's timing
    path (and a failure in it never changes the answer)."""

    def __init__(self, url, *, after):
        super().__init__(url)
        self._after = after

    def close(self):
        after, self._after = self._after, None
        if after is not None:
            try:
                after()
            except Exception:
                logger.exception("work after the response failed")
        super().close()


@public
@never_cache
def password_reset_view(request):
    """Ask for a link to choose a new password. The answer is the same, and takes the
    same time, whether or not an account has the address: the user is looked up and the
    link made and mailed only after the response has gone. Requests are limited per
    address and per client (decision 0009)."""
    form = auth_forms.PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip()
        refused = throttle.reset_request_refused(email=email,
                                                 address=throttle.client_address(request))
        if refused:
            with transaction.atomic():
                audit_record(event_type=EventType.PASSWORD_RESET_THROTTLED,
                             payload={"scope": refused})
            form.add_error(None, _("There have been many requests for a new password for this "
                                   "address or from this network. Wait an hour and try "
                                   "again, or contact your administrator."))
            return render(request, "accounts/password_reset.html", {"form": form}, status=429)
        return _RedirectThenRun(reverse("accounts:password_reset_done"),
                                after=lambda: services.password_reset_send(email=email))
    return render(request, "accounts/password_reset.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(event_type=EventType.PASSWORD_RESET_COMPLETED, actor=form.user,
                         target=form.user)
        throttle.clear_failures(account=throttle.account_key(form.user))
        return response


password_reset_done_view = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm_view = public(PasswordResetConfirmView.as_view())
password_reset_complete_view = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
