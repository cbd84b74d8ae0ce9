"""Small faults (issue 10): the favicon, no inline style on the log-in pages, the open
rounds and the log-in for anonymous visitors at /, round pages that say how to apply, a
searchable organisation field in user administration. The browser side (390 px, axe,
keyboard) is in tests/browser/test_small_faults.py."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment, User
from organizations.models import Organization
from schemes.models import Round
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def test_favicon_is_linked_and_favicon_ico_is_no_404(client):
    html = client.get(reverse("shell:help")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon and icon.group(1).endswith("core/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url == icon.group(1)
    from pathlib import Path

    from django.contrib.staticfiles import finders

    svg = Path(finders.find("core/favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "</svg>" in svg


@pytest.mark.parametrize("url", ["/konto/logg-inn/", "/"])
def test_the_log_in_page_has_no_inline_style(client, url):
    html = Client().get(url).content.decode()
    assert "style=" not in html
    assert "<style" not in html


def test_the_code_page_has_no_inline_style():
    from django.template.loader import render_to_string

    from accounts.forms import CodeForm

    html = render_to_string("accounts/login_code.html", {"form": CodeForm()})
    assert "style=" not in html


def test_anonymous_visitors_see_the_open_rounds_and_the_log_in(client):
    response = client.get(reverse("shell:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("accounts:login") in html
    open_rounds = Round.objects.open_at(timezone.now())
    assert open_rounds.exists()
    for round_ in open_rounds:
        assert reverse("schemes:round_detail", kwargs={"pk": round_.pk}) in html
        assert round_.title in html
    assert reverse("schemes:open_rounds") in html


def test_logged_in_users_still_get_their_start_page(client):
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("shell:home"))
    assert response.status_code == 200 and response.context["cards"]


def test_an_open_round_says_how_to_apply(client):
    round_ = Round.objects.open_at(timezone.now()).order_by("id").first()
    url = reverse("schemes:round_detail", kwargs={"pk": round_.pk})
    response = client.get(url)
    html = response.content.decode()
    assert 'id="how-heading"' in html
    # Log in (back to this page), who may apply, the deadline.
    assert f'{reverse("accounts:login")}?next={url.replace("/", "%2F")}' in html
    assert response.context["who_may_apply"] in html and response.context["who_may_apply"]
    section = html[html.index('id="how-heading"'):]
    section = section[:section.index("</section>")]
    local = timezone.localtime(round_.deadline)
    assert f"{local:%d.%m.%Y}" in section or f"{local.day}. " in section
    assert f"{local:%Y}" in section and reverse("accounts:login") in section
    # A logged-in editor is told they are logged in, not sent to log in.
    login_as(client, "eva.soknad")
    html = client.get(url).content.decode()
    assert 'id="how-heading"' in html and "?next=" not in html


def test_a_closed_round_has_no_how_to_apply(client):
    closed = Round.objects.filter(status="closed").first()
    html = client.get(reverse("schemes:round_detail", kwargs={"pk": closed.pk})
                      ).content.decode()
    assert 'id="how-heading"' not in html


def _detail(client, subject):
    return client.get(reverse("accounts:user_detail", kwargs={"user_id": subject.pk}))


def test_the_organisation_field_is_searchable_for_the_directorate(client):
    login_as(client, "ingrid.admin")
    eva = User.objects.get(username="eva.soknad")
    html = _detail(client, eva).content.decode()
    field = re.search(r'<input[^>]*name="organization"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'list="id_organization-options"' in field
    assert 'id="id_organization"' in field
    assert '<select name="organization"' not in html
    options = re.findall(r'<option value="([^"]*)"></option>',
                         html[html.index('<datalist id="id_organization-options">'):])
    assert len(options) == Organization.objects.active().count() > 300
    assert "4202 Grimstad" in options
    assert 'for="id_organization"' in html  # labelled


@pytest.mark.parametrize("typed", ["4202 Grimstad", "  4202   grimstad ", "4202"])
def test_a_role_is_granted_in_the_organisation_typed(client, typed):
    login_as(client, "ingrid.admin")
    eva = User.objects.get(username="eva.soknad")
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    client.post(reverse("accounts:role_grant", kwargs={"user_id": eva.pk}),
                {"organization": typed, "role": "application_editor"})
    assert RoleAssignment.objects.active().filter(user=eva, organization=grimstad,
                                                  role="application_editor").exists()


@pytest.mark.parametrize("typed", ["Grim", "99", "9999 Nowhere", ""])
def test_an_organisation_not_in_the_list_is_a_clear_error(client, typed):
    from accounts.forms import GrantRoleForm

    form = GrantRoleForm({"organization": typed, "role": "application_editor"},
                         organizations=Organization.objects.active())
    assert not form.is_valid()
    assert list(form.errors) == ["organization"]


def test_a_municipality_administrator_still_grants_in_her_own_organisation(client):
    login_as(client, "mona.kommuneadmin")
    eva = User.objects.get(username="eva.soknad")
    html = _detail(client, eva).content.decode()
    drammen = Organization.objects.get(kind="municipality", code="3301")
    assert f'<input type="hidden" name="organization" value="{drammen.pk}"' in html
    assert "<datalist" not in html


def test_no_template_has_an_inline_style():
    """The Content Security Policy allows no inline styles: every template uses classes."""
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = [str(path.relative_to(settings.BASE_DIR))
                 for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
                 if re.search(r"\sstyle=[\"']", path.read_text(encoding="utf-8"))]
    assert not offenders, offenders
