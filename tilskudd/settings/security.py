"""Security headers and cookies. Production tightens these in prod.py."""

from .env import env

SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-only-for-local-use-0123456789")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "shell.views.csrf_failure"
# Content Security Policy (see core/middleware.py): no inline scripts, nothing from outside.
TILSKUDD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)
# Pepper for keyed hashes of identifiers used by the throttle (never stored in clear).
TILSKUDD_HASH_KEY = env("TILSKUDD_HASH_KEY", SECRET_KEY)
