"""Request ids, request logging without personal data, and security headers."""

import logging
import time
import uuid

from django.conf import settings
from django.urls import Resolver404, resolve

from .request_context import reset_request_id, set_request_id
from .text import clean_shown, clean_text, has_controls

logger = logging.getLogger("tilskudd.request")


class RequestIdMiddleware:
    """Give every request an id (for logs and audit events) and log it by route name.

    The log line names the route (``accounts:login``), never the path, so ids in URLs
    and query strings never reach the logs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = str(uuid.uuid4())
        request.request_id = request_id
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            try:
                route = resolve(request.path_info).view_name
            except Resolver404:
                route = "-"
            user = getattr(request, "user", None)
            logger.info(
                "request",
                extra={
                    "route": route,
                    "method": request.method,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            reset_request_id(token)


class SecurityHeadersMiddleware:
    """Content Security Policy and Permissions Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.TILSKUDD_CSP)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages behind log-in hold municipal and personal data: never cache them.
            response.setdefault("Cache-Control", "no-store")
        return response


class LanguageMiddleware:
    """Bokmål unless the person has chosen otherwise (the language cookie, set by the
    language switch and at log-in from the profile). The browser's Accept-Language is
    deliberately not used: a Norwegian public service starts in Norwegian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.setdefault("Content-Language", language)
        return response


# No query parameter of the service needs more (searches, filters, a return path): longer
# values are cut, so no search becomes a pattern the database refuses.
QUERY_VALUE_LENGTH = 500


class UserTextMiddleware:
    """Remove bidirectional controls and null characters from every submitted value and
    every rendered page (core/text.py says why), and bound every query parameter. Uploaded
    files are left as they are; their names are cleaned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            post = request.POST
            if any(has_controls(k) or any(has_controls(v) for v in post.getlist(k))
                   for k in post):
                cleaned = post.copy()
                for key in list(cleaned):
                    values = [clean_text(v) for v in cleaned.getlist(key)]
                    del cleaned[key]
                    cleaned.setlist(clean_text(key), values)
                cleaned._mutable = False
                request.POST = cleaned
            for upload in request.FILES.values():
                upload.name = clean_text(upload.name or "")
        if request.GET and any(has_controls(k) or len(k) > QUERY_VALUE_LENGTH or any(
                has_controls(v) or len(v) > QUERY_VALUE_LENGTH for v in request.GET.getlist(k))
                for k in request.GET):
            cleaned = request.GET.copy()
            for key in list(cleaned):
                values = [clean_text(v)[:QUERY_VALUE_LENGTH] for v in cleaned.getlist(key)]
                del cleaned[key]
                cleaned.setlist(clean_text(key)[:QUERY_VALUE_LENGTH], values)
            cleaned._mutable = False
            request.GET = cleaned
        response = self.get_response(request)
        if (not response.streaming and response.get("Content-Type", "").startswith("text/html")
                and response.content):
            text = response.content.decode(response.charset or "utf-8", errors="replace")
            shown = clean_shown(text)
            if shown != text:
                response.content = shown.encode(response.charset or "utf-8")
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response
