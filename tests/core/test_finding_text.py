"""Rules findings on the pages in the reader's language (issue 10): ``{{ f|finding_text }}``
shows a finding from the rules core in bokmål, nynorsk or English (the language cookie),
and a finding the Django apps made themselves as its (gettext) message."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from organizations.models import Organization
from register import services
from register.demo import DEMO_PERSONS
from register.population import LocalPopulationRegister
from rules.findings import Finding, Severity
from tests.conftest import login_as
from tests.register.conftest import actor_for, recent_start

pytestmark = pytest.mark.django_db

INTRODUCTION_UNKNOWN = {
    "nb": "Det er ikke registrert når introduksjonsprogrammet ble avsluttet",
    "nn": "Det er ikkje registrert når introduksjonsprogrammet vart avslutta",
    "en": "It is not recorded when the introduction programme ended",
}
OWN_FINANCING = {"nb": "Egenfinansieringen er", "nn": "Eigenfinansieringa er",
                 "en": "Own financing is"}
RESULT_GOALS = {"nb": "Det mangler kvalitative.", "nn": "Det manglar kvalitative resultatmål.",
                "en": "The qualitative ones are missing."}


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


@pytest.fixture
def participant(drammen):
    number = LocalPopulationRegister().numbers()[DEMO_PERSONS + 20]  # no demo participant
    return services.participant_create(actor=actor_for("jonas.registrering", drammen),
                                       national_id=number, start_date=recent_start(),
                                       financing="allowance")


def _get(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_participant_page_shows_a_rules_finding_in_the_chosen_language(client, drammen,
                                                                           participant,
                                                                           language):
    login_as(client, "jonas.registrering", organization=drammen)
    client.post(reverse("register:participant_page",
                        kwargs={"pk": participant.pk, "page": "bakgrunn"}),
                {"introduction": "unknown"})
    html = _get(client, reverse("register:participant_detail", kwargs={"pk": participant.pk}),
                language)
    assert 'id="finding-introduction_unknown"' in html
    assert INTRODUCTION_UNKNOWN[language] in html
    for other in {"nb", "nn", "en"} - {language}:
        assert INTRODUCTION_UNKNOWN[other] not in html


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_application_checklist_shows_rules_findings_in_the_chosen_language(
        client, drammen, language):
    draft = Application.objects.get(organization=drammen, status="draft")
    login_as(client, "eva.soknad", organization=drammen)
    html = _get(client, reverse("applications:detail", kwargs={"pk": draft.pk}), language)
    assert OWN_FINANCING[language] in html and RESULT_GOALS[language] in html
    for other in {"nb", "nn", "en"} - {language}:
        assert OWN_FINANCING[other] not in html and RESULT_GOALS[other] not in html


def test_the_open_rounds_say_in_nynorsk_and_english_why_an_organisation_cannot_apply(client):
    login_as(client, "knut.vestland")
    nn = _get(client, reverse("schemes:open_rounds"), "nn")
    en = _get(client, reverse("schemes:open_rounds"), "en")
    assert "kan ikkje søkje i denne utlysinga" in nn and "kan ikke søke" not in nn
    assert "cannot apply in this round" in en


def _render(finding, language):
    with translation.override(language):
        return Template("{% load fmt %}{{ f|finding_text }}").render(Context({"f": finding}))


def test_the_filter_falls_back_to_bokmal_and_to_the_message():
    rules_finding = Finding("kvp", Severity.BLOCKS, source="Rundskriv 23-15067 §2")
    assert _render(rules_finding, "nn") == ("Deltakarar i kvalifiseringsprogrammet (KVP) er "
                                            "ikkje i målgruppa.")
    assert _render(rules_finding, "en").startswith("Participants in the qualification")
    assert _render(rules_finding, "de") == rules_finding.message
    django_finding = Finding("multi_year", Severity.INFORMATION, "Flerårig: se vedtaket.",
                             "imdi.no")
    assert _render(django_finding, "en") == "Flerårig: se vedtaket."
    assert _render(None, "nn") == ""
