"""Two real server processes on one database serve one user's flow, alternating.

Nothing a request needs may live in a process: the session (database sessions), the
CSRF secret (a cookie, checked with the shared SECRET_KEY), the user's choices (the
database). Two gunicorn processes on loopback share a database made for this test — a
SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL — with the
demo world loaded; a log-in on A is used on B, B saves the user's language, A reads it.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from shell.demo import DEMO_PASSWORD

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SETTINGS = "tilskudd.settings.test"
START_TIMEOUT = 20


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _database(tmp_path: Path):
    """A DATABASE_URL for a database that exists only for this test."""
    import dj_database_url

    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'two_processes.sqlite3'}"
        return
    import psycopg

    parsed = dj_database_url.parse(suite_url)
    name = f"tilskudd_two_processes_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(dbname="postgres", user=parsed["USER"] or None,
                            password=parsed["PASSWORD"] or None, host=parsed["HOST"] or None,
                            port=parsed["PORT"] or None, autocommit=True)
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        parts = urllib.parse.urlsplit(suite_url)
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=120)


def _wait_until_ready(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on {base_url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/klar/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn on {base_url} was not ready within {START_TIMEOUT} s: "
                       f"{_last_answer(base_url)}")


def _last_answer(base_url: str) -> str:
    try:
        with urllib.request.urlopen(f"{base_url}/klar/", timeout=2) as response:  # noqa: S310
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()
    except OSError as error:
        return repr(error)


@pytest.fixture
def two_servers(tmp_path):
    """Two gunicorn processes (A and B) on one freshly migrated database with the demo."""
    with _database(tmp_path) as database_url:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url,
               "DJANGO_SECRET_KEY": "two-processes-share-this-secret-" + uuid.uuid4().hex,
               "TILSKUDD_LOG_LEVEL": "WARNING"}
        # One process for both (each start of Django costs a second or two).
        _manage(env, "shell", "-c", "from django.core.management import call_command; "
                "call_command('migrate', interactive=False, verbosity=0); "
                "call_command('demo_seed')")
        processes: list[subprocess.Popen] = []
        urls: list[str] = []
        try:
            for _ in range(2):
                port = _free_port()
                log = (tmp_path / f"gunicorn-{port}.log").open("wb")
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "tilskudd.wsgi:application",
                     "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30",
                     "--no-control-socket"],
                    cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                ))
                log.close()
                urls.append(f"http://127.0.0.1:{port}")
            for url, process in zip(urls, processes, strict=True):
                _wait_until_ready(url, process)
            yield urls
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)


class Browser:
    """Just enough of a browser: one cookie jar for every server, redirects followed."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str):
        with self.opener.open(url, timeout=10) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, url: str, data: dict, *, referer: str):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": referer})
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.geturl(), response.read().decode()

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def forget(self, name: str) -> None:
        for c in list(self.cookies):
            if c.name == name:
                self.cookies.clear(c.domain, c.path, c.name)


def _csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_one_flow_alternates_between_two_server_processes(two_servers):
    a, b = two_servers
    browser = Browser()

    # A: the log-in page (CSRF cookie), the password; eva.soknad has no second factor.
    status, _, page = browser.get(f"{a}/konto/logg-inn/")
    assert status == 200
    status, landed, page = browser.post(
        f"{a}/konto/logg-inn/",
        {"csrfmiddlewaretoken": _csrf_token(page), "username": "eva.soknad",
         "password": DEMO_PASSWORD},
        referer=f"{a}/konto/logg-inn/")
    assert status == 200 and "/logg-inn/" not in landed
    session = browser.cookie("sessionid")
    assert session
    assert _lang(page) == "nb"

    # B knows the session A made: the profile page, not the log-in page.
    status, landed, page = browser.get(f"{b}/konto/")
    assert status == 200 and landed == f"{b}/konto/", landed
    assert "eva.soknad" in page or "Eva" in page

    # B saves something: the user's language (the profile, in the database).
    status, _, page = browser.post(
        f"{b}/sprak/", {"csrfmiddlewaretoken": _csrf_token(page), "language": "en",
                        "next": "/konto/"},
        referer=f"{b}/konto/")
    assert status == 200 and _lang(page) == "en"

    # A reads it back from the database: without the language cookie, a fresh log-in on
    # A takes the language from the profile B saved.
    status, _, page = browser.get(f"{a}/konto/")
    assert status == 200 and _lang(page) == "en"
    status, _, page = browser.post(f"{a}/konto/logg-ut/",
                                   {"csrfmiddlewaretoken": _csrf_token(page)},
                                   referer=f"{a}/konto/")
    assert status == 200
    browser.forget("tilskudd_language")
    status, _, page = browser.get(f"{b}/konto/logg-inn/")
    assert _lang(page) == "nb"
    status, landed, page = browser.post(
        f"{a}/konto/logg-inn/",
        {"csrfmiddlewaretoken": _csrf_token(page), "username": "eva.soknad",
         "password": DEMO_PASSWORD},
        referer=f"{a}/konto/logg-inn/")
    assert "/logg-inn/" not in landed
    assert browser.cookie("tilskudd_language") == "en"
    assert _lang(page) == "en"
    assert browser.cookie("sessionid") != session  # a new session, also shared

    # And B, again, serves that new session.
    status, landed, page = browser.get(f"{b}/konto/")
    assert landed == f"{b}/konto/" and _lang(page) == "en"
