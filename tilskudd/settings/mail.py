"""E-mail: every message goes through SMTP and is recorded in the outbox (core.Outbox)."""

from .env import env, env_bool, env_int

EMAIL_BACKEND = env("TILSKUDD_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tilskudd (IMDi) <ikke-svar@tilskudd.imdi.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address where the system runs, used in links in e-mails. Production sets it;
# in development it follows the address `make run` serves on (HOST and PORT).
TILSKUDD_PUBLIC_URL = env("TILSKUDD_PUBLIC_URL",
                          f"http://{env('HOST', '127.0.0.1')}:{env('PORT', '8000')}")
# The outbox keeps a copy of every e-mail (without secret links, see core/mail.py) for
# this many days after it was sent or failed; `manage.py outbox_purge` deletes older
# mail. Decided 2026-11-24 (issue 10): 90 days covers a round's deadline, screening and
# the three-week appeal period with a margin, which is as long as support needs to answer
# "did the mail go?"; the letters themselves are kept with their cases.
TILSKUDD_OUTBOX_RETENTION_DAYS = env_int("TILSKUDD_OUTBOX_RETENTION_DAYS", 90)
