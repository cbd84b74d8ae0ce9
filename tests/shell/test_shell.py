import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from shell.navigation import SECTIONS, TASKS
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def test_navigation_differs_per_role(client):
    login_as(client, "ola.saksbehandler")
    officer = {s.key for s in client.get(reverse("shell:home")).context["nav_sections"]}
    login_as(client, "mona.kommuneadmin")
    admin = {s.key for s in client.get(reverse("shell:home")).context["nav_sections"]}
    assert officer == {"casework", "reporting", "insights"}
    assert admin == {"portal", "register", "reporting", "administration"}


def test_the_start_page_shows_what_each_role_can_do(client):
    login_as(client, "siri.namsos")
    response = client.get(reverse("shell:home"), HTTP_ACCEPT_LANGUAGE="nb")
    roles = [card["role"].value for card in response.context["cards"]]
    assert roles == ["municipality_admin", "application_editor"]
    body = response.content.decode()
    for task in TASKS["municipality_admin"]:
        assert str(task.label) in body


def test_every_task_link_goes_somewhere_real():
    from django.urls import NoReverseMatch

    for tasks in TASKS.values():
        for task in tasks:
            try:
                reverse(task.url_name, kwargs={"org_id": 1} if task.kwargs_from_actor else {})
            except NoReverseMatch:  # pragma: no cover - the assertion says which
                pytest.fail(f"{task.url_name} does not resolve")
    for section in SECTIONS:
        reverse(section.url_name)


def test_switching_organisation(client, users):
    login_as(client, "jonas.registrering")
    first = client.get(reverse("shell:home")).context["actor"].organization
    other = next(m.organization for m in client.get(reverse("shell:home")).context[
        "actor"].memberships if m.organization != first)
    response = client.post(reverse("accounts:switch_organization"), {"organization": other.pk})
    assert response.status_code == 302
    assert client.get(reverse("shell:home")).context["actor"].organization == other


def test_switching_to_an_organisation_without_a_role_is_refused(client):
    from organizations.models import Organization

    login_as(client, "jonas.registrering")
    namsos = Organization.objects.get(kind="municipality", code="5007")
    client.post(reverse("accounts:switch_organization"), {"organization": namsos.pk})
    assert client.get(reverse("shell:home")).context["actor"].organization != namsos


def test_language_choice_is_remembered_in_a_cookie_and_on_the_profile(client, users):
    login_as(client, "eva.soknad")
    response = client.post(reverse("shell:set_language"), {"language": "nn", "next": "/"})
    assert response.cookies["tilskudd_language"].value == "nn"
    users["eva.soknad"].refresh_from_db()
    assert users["eva.soknad"].preferred_language == "nn"
    page = client.get(reverse("shell:home"))
    assert '<html lang="nn"' in page.content.decode()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_error_pages_are_styled_and_translated(language):
    client = Client()
    client.cookies["tilskudd_language"] = language
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert "ds-skip-link" in body and "designsystemet" in body


def test_403_says_why(client):
    login_as(client, "eva.soknad")
    response = client.get(reverse("audit:search"))
    assert response.status_code == 403
    assert response.context["reason"]


def test_500_page(client, settings):
    from django.test import RequestFactory

    from shell.views import error_500

    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"designsystemet" in response.content


def test_bokmal_is_the_default_whatever_the_browser_says(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert '<html lang="nb"' in response.content.decode()


def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    login_as(client, "eva.soknad")
    assert client.get(reverse("shell:home"))["Cache-Control"] == "no-store"


def test_health(client):
    assert client.get(reverse("shell:health")).json() == {"status": "ok"}


def test_help_pages_have_a_last_updated_date_and_warn_about_e_mail(client):
    guide = client.get(reverse("shell:help"), HTTP_ACCEPT_LANGUAGE="nb")
    assert guide.context["updated"]
    contact = client.get(reverse("shell:contact"), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "sensitive personopplysninger" in contact


def test_logs_carry_no_personal_data(client, users, caplog):
    from core.logging import JsonFormatter, RequestIdFilter

    caplog.set_level(logging.INFO, logger="tilskudd.request")
    client.post(reverse("accounts:login"), {"username": "eva.soknad",
                                            "password": "Demo-passord-2026"})
    client.get(reverse("accounts:user_detail", kwargs={"user_id": users["eva.soknad"].pk}))
    formatter = JsonFormatter()
    lines = []
    for record in caplog.records:
        RequestIdFilter().filter(record)
        lines.append(formatter.format(record))
    assert lines
    text = "\n".join(lines)
    for secret in ("eva.soknad", "Eva", "Nilsen", "demo.tilskudd.example", "Demo-passord"):
        assert secret not in text
    entry = json.loads(lines[0])
    assert {"route", "status", "ms"} <= set(entry)


def test_the_outbox_is_for_system_administrators(client):
    login_as(client, "ingrid.admin")
    assert client.get(reverse("shell:outbox")).status_code == 200


def test_a_server_error_is_logged_by_its_reason_never_its_path():
    """Django 5 logs a 5xx as "%s: %s" with the reason and the path as arguments."""
    from core.logging import JsonFormatter

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "%s: %s",
                               ("Internal Server Error", "/register/deltakere/12345678901/"),
                               None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Internal Server Error"
    assert "12345678901" not in json.dumps(entry)
