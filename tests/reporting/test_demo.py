"""The demo's accepted grants: each model's reports exist and the used-places report is
filled from Grimstad's register; built twice, nothing changes."""

import pytest

from reporting import selectors
from reporting.demo import build_reporting_demo
from reporting.models import ReportObligation

pytestmark = pytest.mark.django_db


def test_the_demo_has_reports_of_each_kind_and_builds_once():
    build_reporting_demo()
    kinds = set(ReportObligation.objects.values_list("round__title", "kind"))
    assert ("Jobbsjansen 2026", "used_places") in kinds
    assert ("Jobbsjansen – pilot per capita 2024", "participants") in kinds
    assert ("Utviklingstilskudd 2025", "status_report") in kinds
    used = ReportObligation.objects.get(organization__code="4202", kind="used_places")
    assert selectors.usage_report(used).has_data
    count = ReportObligation.objects.count()
    build_reporting_demo()
    assert ReportObligation.objects.count() == count
