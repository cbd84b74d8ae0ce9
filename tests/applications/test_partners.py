"""A partner in a joint application must accept being named (issue 10, security item 10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications import services
from applications.models import Application, PartnerConsent
from core.models import OutboundEmail
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


@pytest.fixture
def namsos():
    return Organization.objects.get(kind="municipality", code="5007")


@pytest.fixture
def ready(drammen):
    """Drammen's draft, complete and with Namsos named as a partner."""
    draft = Application.objects.get(organization=drammen, status="draft")
    editor = actor_for("eva.soknad", drammen)
    services.application_save(actor=editor, application=draft, content={
        "goals_qualitative": "Økt mestring.", "own_premises": "500000", "own_other": "300000",
        "knowledge_transfer": "Nettverk og rapport."})
    draft.refresh_from_db()
    services.application_partner_add(actor=editor, application=draft,
                                     organization=Organization.objects.get(
                                         kind="municipality", code="5007"))
    draft.refresh_from_db()
    return draft


def test_naming_a_partner_asks_it_and_signing_waits_for_its_answer(drammen, namsos, ready,
                                                                   users):
    consent = PartnerConsent.objects.get(application=ready, organization=namsos)
    assert consent.answer == "pending"
    mail = OutboundEmail.objects.get(kind="partner_asked")
    assert users["anders.namsos"].email in mail.recipients
    services.application_send_for_signing(actor=actor_for("eva.soknad", drammen),
                                          application=ready)
    ready.refresh_from_db()
    chief = actor_for("tor.kommunedirektor", drammen)
    with pytest.raises(ValidationError, match="Namsos"):
        services.application_sign(actor=chief, application=ready)
    services.application_partner_answer(actor=actor_for("anders.namsos", namsos),
                                        application=ready, accept=True)
    services.application_sign(actor=chief, application=ready)
    ready.refresh_from_db()
    assert ready.status == "submitted"


def test_a_partner_that_declines_is_no_longer_named_and_no_longer_reads(client, namsos,
                                                                       ready):
    login_as(client, "anders.namsos", organization=namsos)
    page = client.get(reverse("applications:detail", kwargs={"pk": ready.pk})).content.decode()
    assert reverse("applications:partner_answer", kwargs={"pk": ready.pk}) in page
    client.post(reverse("applications:partner_answer", kwargs={"pk": ready.pk}),
                {"answer": "decline"})
    assert PartnerConsent.objects.get(application=ready, organization=namsos).answer == \
        "declined"
    assert not ready.partners.filter(pk=namsos.pk).exists()
    assert client.get(reverse("applications:detail",
                              kwargs={"pk": ready.pk})).status_code == 404


def test_only_a_named_partners_signer_or_administrator_answers(drammen, namsos, ready):
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    with pytest.raises(PermissionDenied):  # not named
        services.application_partner_answer(actor=actor_for("bjorn.grimstad", grimstad),
                                            application=ready, accept=True)
    with pytest.raises(PermissionDenied):  # the lead's editor
        services.application_partner_answer(actor=actor_for("eva.soknad", drammen),
                                            application=ready, accept=True)
    assert PartnerConsent.objects.get(application=ready, organization=namsos).answer == \
        "pending"


def test_the_checklist_says_which_partner_has_not_answered(ready):
    from applications.checks import application_checklist

    codes = [f.code for f in application_checklist(ready).findings]
    assert "partner_pending" in codes
