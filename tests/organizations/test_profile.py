import pytest
from django.urls import reverse

from audit.models import AuditEvent
from organizations.models import Organization
from organizations.models import OrganizationKind as K
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def drammen():
    return Organization.objects.get(kind=K.MUNICIPALITY, code="3301")


def test_bad_numbers_get_norwegian_field_errors_and_nothing_is_lost(client, drammen):
    login_as(client, "mona.kommuneadmin")
    url = reverse("organizations:edit", kwargs={"org_id": drammen.pk})
    response = client.post(url, {
        "org_number": "123456789", "account_number": "1234.56.78901",
        "postal_address": "Engene 1", "postal_code": "30", "postal_place": "Drammen",
        "phone": "32 04 00 00", "email": "post@drammen.example",
    }, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"org_number", "account_number", "postal_code"}
    assert "kontrollsifferet" in form.errors["org_number"][0]
    assert "kontonummer" in form.errors["account_number"][0].lower()
    body = response.content.decode()
    assert 'value="Engene 1"' in body and 'value="1234.56.78901"' in body
    assert 'aria-invalid="true"' in body
    drammen.refresh_from_db()
    assert drammen.postal_address != "Engene 1"


def test_valid_details_are_saved_normalised_and_audited(client, drammen):
    login_as(client, "mona.kommuneadmin")
    url = reverse("organizations:edit", kwargs={"org_id": drammen.pk})
    response = client.post(url, {
        "org_number": "974 760 673", "account_number": "8601.11.17947",
        "postal_address": "Engene 1", "postal_code": "3015", "postal_place": "Drammen",
        "phone": "32 04 00 00", "email": "post@drammen.example",
    })
    assert response.status_code == 302
    drammen.refresh_from_db()
    assert (drammen.org_number, drammen.account_number) == ("974760673", "86011117947")
    event = AuditEvent.objects.filter(event_type="organizations.updated").latest("id")
    assert event.object_id == str(drammen.pk)
    assert "org_number" in event.payload["fields"]


def test_another_municipality_is_not_even_visible(client):
    login_as(client, "mona.kommuneadmin")
    namsos = Organization.objects.get(kind=K.MUNICIPALITY, code="5007")
    for name in ("organizations:detail", "organizations:edit"):
        assert client.get(reverse(name, kwargs={"org_id": namsos.pk})).status_code == 404


def test_searching_an_old_number_shows_its_successor(client):
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("organizations:list"), {"q": "1507"})
    assert [org.code for org in response.context["resolved"]] == ["1508", "1580"]
