"""The test suite: SQLite or PostgreSQL (DATABASE_URL), real SMTP to a local server."""

from .auth import *  # noqa: F403
from .base import *  # noqa: F403
from .database import *  # noqa: F403
from .env import env_list
from .finance import *  # noqa: F403
from .i18n import *  # noqa: F403
from .logging import *  # noqa: F403
from .mail import *  # noqa: F403
from .security import *  # noqa: F403
from .tasks import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
TILSKUDD_DEMO_MODE = True
# Hashing passwords with Argon2 for hundreds of test users is slow and proves nothing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Tasks run at once, in the request or test that enqueues them; tests of the queue itself
# (tests/jobs) switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                     "QUEUES": ["default"]}}
