"""The report inbox's filter by regional office: a report is listed under the regional
office of its organisation (a county's own, a municipality's county's, a city district's
municipality's county's), the counts by status follow the filter, links keep it, and an
unknown value is no filter."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import Application
from casework.models import Case, CaseStatus
from organizations.models import Organization
from reporting import selectors
from reporting.models import ObligationStatus, ReportObligation
from schemes.models import Round
from tests.conftest import login_as

from .conftest import officers

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=OSLO)
STATUSES = (ObligationStatus.OPEN, ObligationStatus.SUBMITTED, ObligationStatus.NOT_YET_OPEN)


def _reports(round_: Round, organization: Organization, *, kind: str = "status_report"
             ) -> Case:
    """An accepted grant of ``organization`` in the round, with three reports of ``kind``:
    open, submitted and not yet open (the open one and the not yet open one overdue)."""
    assert not Application.objects.filter(round=round_, organization=organization).exists()
    application = Application.objects.create(round=round_, organization=organization,
                                             status="submitted", content={})
    case = Case.objects.create(application=application, status=CaseStatus.ACCEPTED)
    for index, status in enumerate(STATUSES):
        start = datetime.date(2026, 1 + index * 4, 1)
        ReportObligation.objects.create(
            case=case, organization=organization, round=round_, kind=kind, grant_year=2026,
            period_start=start, period_end=start + datetime.timedelta(days=27),
            opens_at=datetime.datetime(2026, 1 + index * 4, 28, tzinfo=OSLO),
            deadline=datetime.datetime(2026, 2 + index * 4, 15, 23, 59, 59, tzinfo=OSLO),
            status=status)
    return case


def office(code: str) -> Organization:
    return Organization.objects.get(kind="regional_office", code=code)


@pytest.fixture
def round_() -> Round:
    """A round with the reports of Drammen (IMDi Indre Øst, through its county Buskerud),
    Namsos (IMDi Midt, through Trøndelag), the county of Oslo (IMDi Øst, its own) and the
    city district Gamle Oslo (IMDi Øst, through the municipality of Oslo's county)."""
    round_ = Round.objects.get(title="Utviklingstilskudd 2025")
    _reports(round_, Organization.objects.get(kind="municipality", code="3301"))
    _reports(round_, Organization.objects.get(kind="municipality", code="5007"))
    _reports(round_, Organization.objects.get(kind="county", code="03"))
    _reports(round_, Organization.objects.get(kind="city_district", code="030101"))
    return round_


def _recipients(reports) -> set[str]:
    return {o.organization.code for o in reports.rows}


def test_the_selector_lists_a_report_under_its_organisations_regional_office(round_):
    ola, _kari = officers()
    everything = selectors.round_obligations(ola, round_, now=NOW)
    assert everything.total == 12 and _recipients(everything) == {"3301", "5007", "03",
                                                                  "030101"}
    indre_ost = selectors.round_obligations(ola, round_, region=office("IMDI-INDRE-OST").pk,
                                            now=NOW)
    assert _recipients(indre_ost) == {"3301"}
    assert _recipients(selectors.round_obligations(
        ola, round_, region=office("IMDI-MIDT").pk, now=NOW)) == {"5007"}
    # A county's own office, and a city district's through the municipality's county.
    assert _recipients(selectors.round_obligations(
        ola, round_, region=office("IMDI-OST").pk, now=NOW)) == {"03", "030101"}
    assert not selectors.round_obligations(ola, round_, region=office("IMDI-NORD").pk,
                                           now=NOW).rows.exists()


def test_the_counts_follow_the_region_and_the_kind(round_):
    ola, _kari = officers()
    ost = office("IMDI-OST").pk
    reports = selectors.round_obligations(ola, round_, region=ost, now=NOW)
    assert reports.total == 6 and reports.overdue == 4
    assert reports.counts["open"] == reports.counts["submitted"] == 2
    assert reports.counts["not_yet_open"] == 2 and reports.counts["accepted"] == 0
    # The status filters the rows, never the counts.
    submitted = selectors.round_obligations(ola, round_, region=ost, status="submitted",
                                            now=NOW)
    assert submitted.rows.count() == 2 and submitted.total == 6
    assert _recipients(selectors.round_obligations(
        ola, round_, region=ost, status="overdue", now=NOW)) == {"03", "030101"}
    # With the kind: the region's reports of that kind only.
    _reports(round_, Organization.objects.get(kind="municipality", code="3201"),
             kind="used_places")  # Bærum, Akershus: IMDi Øst
    assert selectors.round_obligations(ola, round_, region=ost, now=NOW).total == 9
    used = selectors.round_obligations(ola, round_, region=ost, kind="used_places", now=NOW)
    assert used.total == 3 and _recipients(used) == {"3201"}
    assert selectors.round_obligations(ola, round_, region=office("IMDI-MIDT").pk,
                                       kind="used_places", now=NOW).total == 0


def _rows(text: str) -> int:
    return text.split("<tbody>")[1].count("<tr>")


def test_the_page_filters_by_region_and_its_links_keep_it(client, round_):
    login_as(client, "ola.saksbehandler")
    url = reverse("reporting:round")
    ost = office("IMDI-OST").pk
    response = client.get(url, {"utlysning": round_.pk, "region": ost})
    assert response.status_code == 200 and response.context["region"] == ost
    text = response.content.decode()
    assert {o.organization.code for o in response.context["rows"]} == {"03", "030101"}
    assert "Alle (6)" in text and "Sendt inn (2)" in text and _rows(text) == 6
    assert f'<option value="{ost}" selected>IMDi Øst</option>' in text
    assert 'for="region-select"' in text and 'name="region"' in text
    status_links = re.findall(r'href="\?([^"]*status=[^"]*)"', text)
    assert status_links and all(f"region={ost}" in link for link in status_links)
    # With a status: the status and the region together.
    response = client.get(url, {"utlysning": round_.pk, "region": ost, "status": "submitted"})
    assert _rows(response.content.decode()) == 2
    assert response.context["query"] == f"utlysning={round_.pk}&region={ost}&status=submitted"


def test_the_pages_keep_the_region(client, round_):
    midt = office("IMDI-MIDT")
    counties = Organization.objects.filter(kind="county", regional_office=midt)
    for municipality in Organization.objects.filter(
            kind="municipality", parent__in=counties).exclude(code="5007").exclude(
            pk__in=Application.objects.filter(round=round_).values(
                "organization_id"))[:20]:
        _reports(round_, municipality)
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("reporting:round"),
                          {"utlysning": round_.pk, "region": midt.pk, "type": "status_report"})
    assert response.context["page"].paginator.count == 63
    pagination = response.content.decode().split('class="pagination"')[1]
    assert f"region={midt.pk}" in pagination and "type=status_report" in pagination
    assert "side=2" in pagination


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1", "1.5", "x" * 600, "٣",
                                   "county"])
def test_an_unknown_region_is_no_filter(client, round_, value):
    if value == "county":  # an organisation, but not a regional office
        value = str(Organization.objects.get(kind="county", code="03").pk)
    login_as(client, "ola.saksbehandler")
    response = client.get(reverse("reporting:round"), {"utlysning": round_.pk,
                                                        "region": value})
    assert response.status_code == 200 and response.context["region"] is None
    text = response.content.decode()
    assert "Alle (12)" in text and _rows(text) == 12
    assert "region=" not in response.context["query"]
    assert "region=" not in response.context["base_query"]
    assert "selected" not in text.split('id="region-select"')[1].split("</select>")[0]
