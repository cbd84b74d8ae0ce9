import os
import subprocess
import sys

from django.conf import settings

BASE_ENV = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_production_settings_pass_the_deploy_check():
    env = {**BASE_ENV, "DJANGO_SETTINGS_MODULE": "tilskudd.settings.prod",
           "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-0123456789",
           "DJANGO_ALLOWED_HOSTS": "tilskudd.example"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret():
    env = {k: v for k, v in BASE_ENV.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "tilskudd.settings.prod"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR,
                            env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_has_no_demo_mode():
    env = {**BASE_ENV, "DJANGO_SETTINGS_MODULE": "tilskudd.settings.prod",
           "DJANGO_SECRET_KEY": "y" * 60, "DJANGO_ALLOWED_HOSTS": "tilskudd.example"}
    result = subprocess.run([sys.executable, "manage.py", "demo_seed"], cwd=settings.BASE_DIR,
                            env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "demo mode" in result.stderr.lower()


def test_time_zone_and_language():
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _name in settings.LANGUAGES] == ["nb", "nn", "en"]
