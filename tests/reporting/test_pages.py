"""The reporting pages: a recipient's own reports by deadline, and a round's reports for
the directorate with counts and filters — scoped, bounded, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Organization
from reporting.models import ReportObligation
from schemes.models import Round
from tests.conftest import login_as

from .conftest import accepted
from .test_selectors import _fill

pytestmark = pytest.mark.django_db


def test_the_recipient_sees_its_reports_by_deadline(client):
    application = accepted("Jobbsjansen 2026")
    drammen = application.organization
    login_as(client, "tor.kommunedirektor", organization=drammen)
    response = client.get(reverse("reporting:home"))
    assert response.status_code == 302 and response.url == reverse("reporting:list")
    response = client.get(reverse("reporting:list"))
    assert response.status_code == 200
    text = response.content.decode()
    obligations = ReportObligation.objects.filter(case__application=application)
    assert obligations.exists()
    assert application.reference in text and "Brukte plasser" in text
    first = obligations.order_by("deadline").first()
    assert first.deadline_local.strftime("%d.%m.%Y") in text
    assert "used_places" not in text  # labels, never codes


def test_another_municipality_sees_none_of_them(client):
    application = accepted("Jobbsjansen 2026")
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    login_as(client, "bjorn.grimstad", organization=grimstad)
    response = client.get(reverse("reporting:list"))
    assert response.status_code == 200
    assert application.reference not in response.content.decode()


def test_the_directorate_sees_a_round_with_counts_and_filters(client):
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    _fill(round_, 3)
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("reporting:round"), {"utlysning": round_.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Alle (9)" in text and "Sendt inn (3)" in text
    filtered = client.get(reverse("reporting:round"),
                          {"utlysning": round_.pk, "status": "submitted"}).content.decode()
    assert filtered.count("<tr>") == 1 + 3  # the header and three rows
    # Bounded: an unknown status or kind is no filter, never an error.
    for params in ({"status": "x" * 600}, {"type": "nonsense"}, {"utlysning": "abc"},
                   {"side": "999"}):
        assert client.get(reverse("reporting:round"), params).status_code == 200


def test_the_round_page_takes_the_same_queries_for_9_or_99_reports(client):
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    login_as(client, "ola.saksbehandler")
    url = reverse("reporting:round")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"utlysning": round_.pk}).status_code == 200
        return len(queries)

    _fill(round_, 3)
    few = count()
    _fill(round_, 30)
    assert count() == few


def test_an_overdue_report_shows_on_the_start_page(client):
    application = accepted("Jobbsjansen 2026")
    overdue = ReportObligation.objects.filter(case__application=application).overdue()
    assert overdue.exists()  # the used places per 31 October were due 14 November
    login_as(client, "tor.kommunedirektor", organization=application.organization)
    text = client.get(reverse("shell:home")).content.decode()
    assert f"for «{application.title}»" in text or f"for “{application.title}”" in text
    assert reverse("reporting:list") in text


def _fingerprint(text: str) -> str:
    import re

    return re.search(r'name="seen" value="([0-9a-f]{64})"', text).group(1)


def test_a_whole_cycle_through_the_pages(client):
    """The signer certifies what the page shows; a register change in between refuses;
    the case officer asks for changes, the signer certifies again, the officer accepts."""
    from register.models import Participant
    from reporting.models import UsageSnapshot
    from reporting.selectors import accepted_usage

    application = accepted("Jobbsjansen 2026")
    drammen = application.organization
    obligation = ReportObligation.objects.get(case__application=application, kind="used_places")
    url = reverse("reporting:detail", kwargs={"pk": obligation.pk})
    login_as(client, "tor.kommunedirektor", organization=drammen)
    page = client.get(url).content.decode()
    assert "Attester og send inn" in page or "Certify and submit" in page
    seen = _fingerprint(page)

    # The register changes after the page was opened: nothing is certified.
    participant = Participant.objects.filter(organization=drammen, status="active").first()
    Participant.objects.filter(pk=participant.pk).update(financing="other")
    response = client.post(reverse("reporting:certify", kwargs={"pk": obligation.pk}),
                           {"seen": seen}, follow=True)
    assert not UsageSnapshot.objects.filter(obligation=obligation).exists()
    assert "Registeret ble endret" in response.content.decode()

    seen = _fingerprint(client.get(url).content.decode())
    client.post(reverse("reporting:certify", kwargs={"pk": obligation.pk}), {"seen": seen})
    snapshot = UsageSnapshot.objects.get(obligation=obligation)
    assert snapshot.sha256 == seen and snapshot.verifies()
    obligation.refresh_from_db()
    assert obligation.status == "submitted"
    receipt = client.get(reverse("reporting:receipt", kwargs={
        "pk": obligation.pk, "snapshot_id": snapshot.pk}))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"

    # A bad fingerprint is a clear error, not a 500.
    assert client.post(reverse("reporting:certify", kwargs={"pk": obligation.pk}),
                       {"seen": "x" * 5000}).status_code == 302

    login_as(client, "ola.saksbehandler")
    review = reverse("reporting:review", kwargs={"pk": obligation.pk})
    client.post(review, {"outcome": "changes", "comment": ""})  # a reason is required
    obligation.refresh_from_db()
    assert obligation.status == "submitted"
    client.post(review, {"outcome": "changes", "comment": "Sjekk deltakerne i mars."})
    obligation.refresh_from_db()
    assert obligation.status == "changes_requested"

    login_as(client, "tor.kommunedirektor", organization=drammen)
    seen = _fingerprint(client.get(url).content.decode())
    client.post(reverse("reporting:certify", kwargs={"pk": obligation.pk}), {"seen": seen})
    obligation.refresh_from_db()
    assert obligation.status == "resubmitted"

    login_as(client, "ola.saksbehandler")
    client.post(review, {"outcome": "accept", "comment": ""})
    obligation.refresh_from_db()
    assert obligation.status == "accepted"
    assert accepted_usage(obligation).sha256 == seen


def test_another_municipality_gets_404_for_a_report(client):
    application = accepted("Jobbsjansen 2026")
    obligation = ReportObligation.objects.filter(case__application=application).first()
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    login_as(client, "bjorn.grimstad", organization=grimstad)
    assert client.get(reverse("reporting:detail", kwargs={"pk": obligation.pk})
                      ).status_code == 404
    assert client.post(reverse("reporting:certify", kwargs={"pk": obligation.pk}),
                       {"seen": "0" * 64}).status_code == 404


def test_the_case_officer_requires_a_further_report_with_a_reason(client):
    from audit.models import AuditEvent
    from core.models import OutboundEmail

    application = accepted("Jobbsjansen 2026")
    case = application.case
    login_as(client, "ola.saksbehandler")
    page = reverse("reporting:grant", kwargs={"case_pk": case.pk})
    assert "Krev en ekstra rapport" in client.get(page).content.decode() or \
        "Require a further report" in client.get(page).content.decode()
    add = reverse("reporting:obligation_add", kwargs={"case_pk": case.pk})
    before = ReportObligation.objects.filter(case=case).count()
    fields = {"kind": "status_report", "period_start": "2027-01-01",
              "period_end": "2027-03-31", "deadline": "2027-04-30"}
    client.post(add, {**fields, "reason": ""})  # the reason is required; nothing lost
    assert ReportObligation.objects.filter(case=case).count() == before
    assert 'value="2027-03-31"' in client.get(page).content.decode()
    client.post(add, {**fields, "reason": "Avvik i regnskapet for 2026 må følges opp."})
    added = ReportObligation.objects.get(case=case, created_by_reaction=True)
    assert added.reason.startswith("Avvik") and added.deadline_local.hour == 23
    assert AuditEvent.objects.filter(event_type="reporting.obligation_added").exists()
    assert "Avvik i regnskapet" in OutboundEmail.objects.get(kind="report_added").body
    # The recipient sees it on the grant's page; another municipality gets 404.
    login_as(client, "tor.kommunedirektor", organization=application.organization)
    assert client.get(page).status_code == 200
    grimstad = Organization.objects.get(kind="municipality", code="4202")
    login_as(client, "bjorn.grimstad", organization=grimstad)
    assert client.get(page).status_code == 404


def test_the_reports_are_on_the_grants_timeline_in_case_handling(client):
    application = accepted("Jobbsjansen 2026")
    login_as(client, "ola.saksbehandler")
    page = client.get(reverse("casework:case", kwargs={"pk": application.pk})).content.decode()
    assert "Rapportene tilskuddet krever er opprettet" in page
