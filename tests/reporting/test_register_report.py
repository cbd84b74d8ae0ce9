"""The register report is the register's yearly submission: when the municipality submits
the year in the participant register, the grant's register obligation of that year is
submitted with it (late marked), and the case officer accepts it without a certified
copy — the submission is the record."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.actor import Actor, Membership
from accounts.roles import Role
from audit.models import AuditEvent
from organizations.models import Organization
from register import services as register
from reporting import services
from reporting.models import ObligationStatus, ReportObligation

from .conftest import accepted, officers

pytestmark = pytest.mark.django_db
S = ObligationStatus


def register_user(org) -> Actor:
    user = get_user_model().objects.get(username="siri.namsos")
    roles = frozenset({Role.REGISTER_USER})
    return Actor(user=user, organization=org, roles=roles,
                 memberships=(Membership(org, roles),))


def test_submitting_the_year_in_the_register_submits_the_register_report():
    application = accepted("Jobbsjansen – pilot per capita 2024", code="5007")
    obligation = ReportObligation.objects.get(case=application.case, kind="register")
    assert obligation.status == S.OPEN and obligation.grant_year == 2024
    namsos = Organization.objects.get(kind="municipality", code="5007")
    other = ReportObligation.objects.filter(case=application.case).exclude(
        kind="register").values_list("pk", "status")
    before = dict(other)
    register.year_submit(actor=register_user(namsos), year=2024)
    obligation.refresh_from_db()
    assert obligation.status == S.SUBMITTED and obligation.is_late  # due 15.02.2025
    assert dict(other) == before  # only the register report
    assert AuditEvent.objects.filter(event_type="reporting.status_changed",
                                     payload__obligation_id=obligation.pk,
                                     payload__new="submitted").exists()
    ola, _kari = officers()
    services.report_accept(actor=ola, obligation=obligation)
    obligation.refresh_from_db()
    assert obligation.status == S.ACCEPTED


def test_another_year_or_another_municipality_leaves_it_alone():
    application = accepted("Jobbsjansen – pilot per capita 2024", code="5007")
    obligation = ReportObligation.objects.get(case=application.case, kind="register")
    namsos = Organization.objects.get(kind="municipality", code="5007")
    register.year_submit(actor=register_user(namsos), year=2025)
    obligation.refresh_from_db()
    assert obligation.status == S.OPEN
