"""Applications, middleware, templates and static files: the shape of the project."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # The house, from the foundation up (tests/test_layers.py keeps the order).
    "core",
    "audit",
    "organizations",
    "accounts",
    "jobs",
    "schemes",
    "register",
    "applications",
    "casework",
    "reporting",
    "finance",
    "shell",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.UserTextMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.ActiveOrganizationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tilskudd.urls"
WSGI_APPLICATION = "tilskudd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shell.context_processors.shell",
                "register.context_processors.register",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Static files. Front-end packages come from npm (package.json + package-lock.json)
# into node_modules/ and are collected from there; nothing is copied into the repo.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/designsystemet-css", NODE_MODULES / "@digdir" / "designsystemet-css" / "dist" / "src"),
    ("vendor/designsystemet-theme", NODE_MODULES / "@digdir" / "designsystemet-theme" / "brand"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/inter", NODE_MODULES / "@fontsource" / "inter"),
]
# Letters, receipts and attachments (core/files.py): a private directory, never served
# by the web server; every web process and worker must share it. Production may use an
# S3-compatible store instead (docs/operations.md).
TILSKUDD_FILES_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": os.environ.get("TILSKUDD_FILES_DIR") or BASE_DIR / "var" / "files"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "tilskudd_files": TILSKUDD_FILES_STORAGE,
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Demo mode: demo users and their printed passwords and TOTP secrets exist only here.
TILSKUDD_DEMO_MODE = False

# The population register: "local" (synthetic persons, demo and tests) or "folkeregisteret"
# (production; needs Maskinporten, see docs/register.md).
TILSKUDD_POPULATION_REGISTER = "local"

FORM_RENDERER = "core.forms.DesignsystemetFormRenderer"
