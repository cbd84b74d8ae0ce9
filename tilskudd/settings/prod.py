"""Production: everything from the environment; `manage.py check --deploy` is clean."""

from .auth import *  # noqa: F403
from .base import *  # noqa: F403
from .database import *  # noqa: F403
from .env import env, env_bool, env_list
from .finance import *  # noqa: F403
from .i18n import *  # noqa: F403
from .logging import *  # noqa: F403
from .mail import *  # noqa: F403
from .security import *  # noqa: F403
from .tasks import *  # noqa: F403

DEBUG = False
TILSKUDD_DEMO_MODE = False  # never in production: no demo users, no synthetic id numbers
SECRET_KEY = env("DJANGO_SECRET_KEY", required=True)
TILSKUDD_HASH_KEY = env("TILSKUDD_HASH_KEY", SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-tilskudd_session"
CSRF_COOKIE_NAME = "__Host-tilskudd_csrf"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "tilskudd_files": TILSKUDD_FILES_STORAGE,  # noqa: F405
}
