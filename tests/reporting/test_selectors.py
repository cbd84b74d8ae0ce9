"""What later pages read: an organisation's reports (its own only), its overdue reports,
and a round's reports for the directorate with counts by status in fixed queries."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from casework.models import Case, CaseStatus
from organizations.models import Organization
from reporting import selectors
from reporting.models import ObligationStatus, ReportObligation
from schemes.models import Round
from tests.register.conftest import actor_for

from .conftest import accepted, officers

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def test_an_organisation_sees_its_own_reports_only():
    drammen = accepted("Jobbsjansen 2026")
    grimstad = accepted("Jobbsjansen – pilot per capita 2024", code="4202")
    eva = actor_for("eva.soknad", drammen.organization)
    assert {o.case_id for o in selectors.obligations_of_organization(
        eva, drammen.organization)} == {drammen.case.pk}
    assert not selectors.obligations_of_organization(eva, grimstad.organization).exists()
    maria = actor_for("maria.grimstad", grimstad.organization)
    assert selectors.obligations_of_organization(maria, grimstad.organization).count() == 4
    assert not selectors.obligations_of_organization(maria, drammen.organization).exists()
    ola, _kari = officers()
    assert selectors.obligations_of_organization(ola, drammen.organization).count() == 3
    assert not selectors.obligations_of_organization(ola, None).exists()


def test_overdue_reports_of_an_organisation():
    application = accepted("Jobbsjansen 2026")
    eva = actor_for("eva.soknad", application.organization)
    used = ReportObligation.objects.get(case=application.case, kind="used_places")
    on_time = used.deadline
    assert not selectors.overdue_of_organization(eva, application.organization,
                                                 now=on_time).exists()
    later = on_time + datetime.timedelta(seconds=1)
    assert list(selectors.overdue_of_organization(eva, application.organization,
                                                  now=later)) == [used]
    ReportObligation.objects.filter(pk=used.pk).update(status=ObligationStatus.SUBMITTED)
    assert not selectors.overdue_of_organization(eva, application.organization,
                                                 now=later).exists()


def _fill(round_: Round, count: int) -> None:
    """``count`` accepted grants in the round, three reports each, made cheaply."""
    organizations = Organization.objects.filter(kind="municipality").exclude(
        pk__in=Application.objects.filter(round=round_).values("organization_id"))[:count]
    rows = []
    for organization in organizations:
        application = Application.objects.create(round=round_, organization=organization,
                                                 status="submitted", content={})
        case = Case.objects.create(application=application, status=CaseStatus.ACCEPTED)
        for index, status in enumerate((ObligationStatus.OPEN, ObligationStatus.SUBMITTED,
                                        ObligationStatus.NOT_YET_OPEN)):
            start = datetime.date(2026, 1 + index * 4, 1)
            rows.append(ReportObligation(
                case=case, organization=organization, round=round_, kind="status_report",
                grant_year=2026, period_start=start, period_end=start + datetime.timedelta(
                    days=27), opens_at=datetime.datetime(2026, 1 + index * 4, 28, tzinfo=OSLO),
                deadline=datetime.datetime(2026, 2 + index * 4, 15, 23, 59, 59, tzinfo=OSLO),
                status=status))
    ReportObligation.objects.bulk_create(rows)


def _page(actor, round_) -> tuple[int, int]:
    now = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=OSLO)
    with CaptureQueriesContext(connection) as queries:
        reports = selectors.round_obligations(actor, round_, now=now)
        for row in reports.rows:
            str(row.organization.official_name), row.case.application.reference
            row.round.scheme.grant_model, row.get_kind_display(), row.is_overdue(now)
    return len(queries), reports.total


def test_a_rounds_reports_with_counts_in_fixed_queries():
    ola, _kari = officers()
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    _fill(round_, 3)
    few, total = _page(ola, round_)
    assert total == 9
    _fill(round_, 30)
    many, total = _page(ola, round_)
    assert total == 99
    assert many == few == 2


def test_counts_by_status_and_overdue_and_filters():
    ola, _kari = officers()
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    _fill(round_, 4)
    now = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=OSLO)
    reports = selectors.round_obligations(ola, round_, now=now)
    assert reports.counts["open"] == 4 and reports.counts["submitted"] == 4
    assert reports.counts["not_yet_open"] == 4 and reports.counts["accepted"] == 0
    assert reports.overdue == 8  # open and not yet open, all past their deadlines
    assert reports.rows.count() == 12
    assert selectors.round_obligations(ola, round_, status="overdue", now=now).rows.count() == 8
    assert selectors.round_obligations(ola, round_, status="submitted").rows.count() == 4
    assert selectors.round_obligations(ola, round_, kind="used_places").total == 0
    assert selectors.round_obligations(ola, round_, status="nonsense").rows.count() == 12


def test_a_municipality_does_not_see_a_rounds_reports():
    application = accepted("Jobbsjansen 2026")
    eva = actor_for("eva.soknad", application.organization)
    reports = selectors.round_obligations(eva, application.round)
    assert not reports.rows.exists() and reports.total == 0
