"""The start page says what waits for the person (issue 10: the signer sees a to-do when
an application awaits signature; the case officer what waits for approval)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from casework import services
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


def test_the_signer_sees_an_application_awaiting_signature(client):
    drammen = Organization.objects.get(kind="municipality", code="3301")
    draft = Application.objects.get(organization=drammen, status="draft")
    Application.objects.filter(pk=draft.pk).update(status="for_signing")
    login_as(client, "tor.kommunedirektor", organization=drammen)
    page = client.get(reverse("shell:home")).content.decode()
    assert reverse("applications:detail", kwargs={"pk": draft.pk}) in page
    assert 'id="todo-heading"' in page


def test_the_editor_has_nothing_to_sign(client):
    drammen = Organization.objects.get(kind="municipality", code="3301")
    Application.objects.filter(organization=drammen, status="draft").update(
        status="for_signing")
    login_as(client, "eva.soknad", organization=drammen)
    assert 'id="todo-heading"' not in client.get(reverse("shell:home")).content.decode()


def test_another_case_officer_sees_a_decision_waiting_for_approval(client):
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    application = Application.objects.get(organization__code="3301", status="submitted")
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(1_000_000), reasons="Redusert for å holde rammen.")
    login_as(client, "kari.saksbehandler")
    page = client.get(reverse("shell:home")).content.decode()
    assert "godkjenning=meg" in page
    login_as(client, "ola.saksbehandler")
    assert "godkjenning=meg" not in client.get(reverse("shell:home")).content.decode()
