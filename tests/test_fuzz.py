"""Hostile input to every URL of the access matrix (issue 10, security item 6).

Every form field and query parameter the project knows — the names in its forms, in its
templates and in the views' reads of ``request.GET``/``request.POST`` — gets random and
hostile values (NaN, infinities, 30-digit and negative numbers, superscript, Arabic-Indic
and fullwidth digits, the null character, bidirectional overrides, impossible dates, a
100 000-character text), all at once, on every URL as a user who may use it. Two things
must hold for every request:

- never a server error (the test client re-raises exceptions, so a 500 fails here with its
  traceback), and
- a refusal (a 4xx answer or an error message to the user) changes no row.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from tests.conftest import login_as
from tests.test_access_matrix import MATRIX, PUBLIC, ROLE_USERS, _kwargs

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "applications", "audit", "casework", "core", "organizations", "register",
        "schemes", "reporting", "finance", "insights", "api")

HOSTILE = [
    "", " ", "NaN", "-Infinity", "1e309", "-1", "9" * 30, "-" + "9" * 20, "3,7", "²",
    "١٢٣٤٥٦٧٨٩٠١", "１２３４", "\x00", "a\u202eb", "2026-02-30", "99999-12-31",
    "<script>alert(1)</script>' OR 1=1 --", "x" * 100_000,
]


def _field_names() -> list[str]:
    """Every name a form or a query string of the project can carry."""
    names: set[str] = set()
    read = re.compile(r"request\.(?:GET|POST)\.(?:get|getlist)\(\s*[\"']([\w-]+)[\"']")
    for app in APPS:
        for path in (ROOT / app).rglob("*.py") if (ROOT / app).exists() else ():
            names.update(read.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "templates").rglob("*.html"):
        names.update(re.findall(r'name="([\w-]+)"', path.read_text(encoding="utf-8")))
    from django import forms

    for app in APPS:
        try:
            module = __import__(f"{app}.forms", fromlist=["*"])
        except ImportError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(value.base_fields)
    names.discard("csrfmiddlewaretoken")
    return sorted(n for n in names if "{" not in n)


FIELDS = _field_names()


def _payloads(seed: int) -> list[dict[str, str]]:
    """Each hostile value in every field at once, then random mixes."""
    rng = random.Random(seed)
    payloads = [dict.fromkeys(FIELDS, value) for value in HOSTILE]
    for _ in range(2):
        payloads.append({name: rng.choice(HOSTILE) for name in FIELDS})
    return payloads


@pytest.fixture
def writes():
    """Rows saved or deleted during a request, except the logs that record every request
    (audit events, sessions, access records, log-in attempts)."""
    changed: list[str] = []

    def note(sender, **kwargs):
        label = sender._meta.label
        if sender._meta.app_label in ("audit", "sessions", "otp_static", "otp_totp") or \
                any(word in label for word in ("Access", "Attempt", "Throttle", "Outbound")):
            return
        changed.append(label)

    post_save.connect(note, weak=False, dispatch_uid="fuzz-save")
    post_delete.connect(note, weak=False, dispatch_uid="fuzz-delete")
    try:
        yield changed
    finally:
        post_save.disconnect(dispatch_uid="fuzz-save")
        post_delete.disconnect(dispatch_uid="fuzz-delete")


def _user_for(rule) -> str | None:
    if rule == PUBLIC:
        return None
    # A page no role may see (a job is its owner's alone): someone who is not the owner.
    return next((ROLE_USERS[role] for role in sorted(rule)), ROLE_USERS["register_user"])


def _refused(response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    queued = getattr(response.wsgi_request, "_messages", None)
    return bool(queued) and any(m.level >= constants.ERROR for m in queued._queued_messages)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_hostile_input_never_breaks_a_page_or_changes_a_row_on_refusal(client, name, writes):
    method, rule = MATRIX[name]
    url = reverse(name, kwargs=_kwargs(name))
    username = _user_for(rule)
    problems = []
    for n, payload in enumerate(_payloads(seed=sum(map(ord, name)))):
        for verb in ("get", "post") if method == "get" else ("post",):
            if username:
                login_as(client, username)
            writes.clear()
            try:
                response = getattr(client, verb)(url, payload)
            except Exception as error:  # noqa: BLE001 - reported with the input below
                problems.append(f"{verb.upper()} payload {n}: {type(error).__name__}: {error}")
                continue
            if response.status_code >= 500:
                problems.append(f"{verb.upper()} payload {n}: {response.status_code}")
            elif _refused(response) and writes:
                problems.append(f"{verb.upper()} payload {n}: refused but wrote {writes}")
    assert not problems, f"{name}: " + "; ".join(problems[:5])
