"""Local development and `make run`: SQLite, demo data, mail printed to the console."""

from .auth import *  # noqa: F403
from .base import *  # noqa: F403
from .database import *  # noqa: F403
from .env import env, env_list
from .finance import *  # noqa: F403
from .i18n import *  # noqa: F403
from .logging import *  # noqa: F403
from .mail import *  # noqa: F403
from .security import *  # noqa: F403
from .tasks import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
TILSKUDD_DEMO_MODE = True
# Mail in development is printed by the server (and kept in the outbox page); set
# TILSKUDD_EMAIL_BACKEND to the SMTP backend to send it to a real server.
EMAIL_BACKEND = env("TILSKUDD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WHITENOISE_USE_FINDERS = True
