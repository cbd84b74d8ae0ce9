"""The payout account (issue 10, item 5): changed only after re-authentication, audited
old → new, told to the chief executive and administrators, and payments to a new account
held for the finance officer's review for PAYOUT_HOLD_DAYS."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.models import OutboundEmail
from organizations.models import PAYOUT_HOLD_DAYS, Organization
from organizations.selectors import payout_hold
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
NEW_ACCOUNT = "86011117947"


@pytest.fixture
def drammen():
    return Organization.objects.get(kind="municipality", code="3301")


def _details(org, **changes):
    data = {name: getattr(org, name) for name in (
        "org_number", "account_number", "postal_address", "postal_code", "postal_place",
        "phone", "email")}
    return {**data, **changes}


def test_the_account_cannot_be_changed_from_a_stale_session(client, drammen):
    login_as(client, "mona.kommuneadmin", recently_authenticated=False)
    url = reverse("organizations:edit", kwargs={"org_id": drammen.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    old = drammen.account_number
    response = client.post(url, _details(drammen, account_number="8601.11.17947"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    drammen.refresh_from_db()
    assert drammen.account_number == old and drammen.account_changed_at is None


def test_a_changed_account_is_audited_told_and_held_for_review(client, drammen, users):
    old = drammen.account_number
    login_as(client, "mona.kommuneadmin")
    url = reverse("organizations:edit", kwargs={"org_id": drammen.pk})
    response = client.post(url, _details(drammen, account_number="8601.11.17947"))
    assert response.status_code == 302
    drammen.refresh_from_db()
    assert drammen.account_number == NEW_ACCOUNT
    assert drammen.account_changed_at is not None
    event = AuditEvent.objects.get(event_type="organizations.account_changed")
    assert event.payload == {"old": old, "new": NEW_ACCOUNT}
    assert event.actor == users["mona.kommuneadmin"]
    notices = OutboundEmail.objects.filter(kind="account_changed")
    recipients = {address for notice in notices for address in notice.recipients}
    assert recipients == {users["tor.kommunedirektor"].email, users["mona.kommuneadmin"].email}
    assert "8601.11.17947" in notices.first().body

    today = timezone.localdate()
    assert payout_hold(drammen, today)
    assert payout_hold(drammen, today + datetime.timedelta(days=PAYOUT_HOLD_DAYS - 1))
    assert not payout_hold(drammen, today + datetime.timedelta(days=PAYOUT_HOLD_DAYS))

    # The finance officer sees the mark on the organisation page.
    login_as(client, "per.okonomi")
    page = client.get(reverse("organizations:detail", kwargs={"org_id": drammen.pk}))
    assert page.context["payout_held"] is True
    assert 'id="payout-hold"' in page.content.decode()


def test_other_changes_neither_hold_payments_nor_tell_anyone(client, drammen):
    login_as(client, "mona.kommuneadmin")
    url = reverse("organizations:edit", kwargs={"org_id": drammen.pk})
    client.post(url, _details(drammen, phone="32 04 00 01"))
    drammen.refresh_from_db()
    assert drammen.phone == "32 04 00 01"
    assert drammen.account_changed_at is None
    assert not payout_hold(drammen, timezone.localdate())
    assert not OutboundEmail.objects.filter(kind="account_changed").exists()
    login_as(client, "per.okonomi")
    page = client.get(reverse("organizations:detail", kwargs={"org_id": drammen.pk}))
    assert 'id="payout-hold"' not in page.content.decode()


def test_the_hold_counts_days_from_the_change():
    late_evening = timezone.make_aware(datetime.datetime(2027, 3, 1, 23, 30))
    org = Organization(account_changed_at=late_evening)
    assert org.payout_hold(datetime.date(2027, 3, 1))
    assert org.payout_hold(datetime.date(2027, 3, 30))
    assert not org.payout_hold(datetime.date(2027, 3, 31))
    assert org.payout_hold_until() == datetime.date(2027, 3, 31)
    assert not Organization().payout_hold(datetime.date(2027, 3, 1))
