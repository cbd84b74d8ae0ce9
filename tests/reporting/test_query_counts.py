"""Pinned query counts: the report inbox of a round (with and without its filters) and the
used-places report's page (for the recipient's signer and for a case officer) make a fixed
number of queries, the same with ten times the rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from register.codes import Financing, NameSource
from register.models import Participant
from reporting.models import ReportObligation
from schemes.models import Round
from tests.conftest import login_as

from .conftest import accepted
from .test_selectors import _fill

pytestmark = pytest.mark.django_db

# The request's own: the session, the user, the second factor, the roles (4), and the
# session's last activity saved (3: savepoint, update, release).
REQUEST_QUERIES = 4 + 3

# The inbox's: the rounds with reports, the regional offices (the filter's choices), the
# counts by status under the kind and region filters (one query), the paginator's count
# and the page's rows (with their organisation, round, scheme, case and application).
ROUND_QUERIES = REQUEST_QUERIES + 5

# The report's: the obligation (with its organisation, round, scheme, case, application and
# the application's round), the register's rows of the period (one query whatever the
# participants), the register states of the listed participants, and the certified
# snapshots.
DETAIL_QUERIES = REQUEST_QUERIES + 4


def test_the_report_inbox_makes_the_same_queries_for_5_or_50_grants(
        client, django_assert_num_queries):
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    login_as(client, "ola.saksbehandler")
    url = reverse("reporting:round")
    _fill(round_, 5)
    first = ReportObligation.objects.filter(round=round_).order_by("pk").first()
    region = str(first.organization.region().pk)  # stays in the round as it grows
    queries = [{}, {"region": region}, {"type": "status_report"}, {"status": "overdue"},
               {"status": "submitted", "region": region, "type": "status_report"},
               {"region": region, "side": "2"}, {"region": "nonsense", "type": "x"}]
    for grants in (5, 50):
        _fill(round_, grants - ReportObligation.objects.filter(round=round_).values(
            "case").distinct().count())
        assert ReportObligation.objects.filter(round=round_).count() == 3 * grants
        for query in queries:
            with django_assert_num_queries(ROUND_QUERIES):
                response = client.get(url, {"utlysning": round_.pk, **query})
            assert response.status_code == 200 and response.context["rows"], (grants, query)
    assert len(response.context["rows"]) == 50  # a full page of the 150


def _participants(organization, count: int) -> None:
    """``count`` participants of the organisation in the programme some time in 2026."""
    Participant.objects.bulk_create([
        Participant(organization=organization, national_id=f"0101902{i:04d}", name="Test",
                    name_source=NameSource.POPULATION_REGISTER,
                    start_date=datetime.date(2026, 1 + i % 10, 1 + i % 28),
                    financing=Financing.ALLOWANCE if i % 3 else Financing.OTHER)
        for i in range(Participant.objects.filter(national_id__startswith="0101902").count(),
                       count)])


@pytest.mark.parametrize("username", ["anders.namsos", "ola.saksbehandler"])
def test_the_used_places_report_makes_the_same_queries_for_20_or_200_participants(
        client, django_assert_num_queries, username):
    application = accepted("Jobbsjansen 2026", code="5007")
    namsos = application.organization
    obligation = ReportObligation.objects.get(case=application.case, kind="used_places")
    signer = username == "anders.namsos"
    login_as(client, username, organization=namsos if signer else None)
    url = reverse("reporting:detail", kwargs={"pk": obligation.pk})
    for participants in (20, 200):
        _participants(namsos, participants)
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["participants"]) == participants
        assert response.context["can_certify"] is signer
