"""Finance fixtures: accepted grants, their reports accepted, two finance officers."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from organizations.models import Organization
from register.codes import Financing, NameSource
from register.models import Participant
from reporting import selectors, services
from reporting.models import ReportObligation
from tests.register.conftest import actor_for
from tests.reporting.conftest import accepted, officers

OSLO = ZoneInfo("Europe/Oslo")
IN_TIME = datetime.datetime(2026, 11, 10, 12, 0, tzinfo=OSLO)
_numbers = iter(range(20_000, 99_999))


def finance_officers():
    imdi = Organization.objects.get(code="IMDI")
    return actor_for("per.okonomi", imdi), actor_for("nina.okonomi", imdi)


def namsos():
    return Organization.objects.get(kind="municipality", code="5007")


def participant(org, start, end=None, *, with_g=True) -> Participant:
    return Participant.objects.create(
        organization=org, national_id=f"020290{next(_numbers):05d}", name="Test Testesen",
        name_source=NameSource.POPULATION_REGISTER, start_date=start, end_date=end,
        financing=Financing.ALLOWANCE if with_g else Financing.TRANSITIONAL_BENEFIT)


def grant_2026(code: str = "5007"):
    """Namsos's accepted Jobbsjansen 2026 grant (1 000 000 kr), with a payout account."""
    application = accepted("Jobbsjansen 2026", code=code)
    Organization.objects.filter(pk=application.organization_id).update(
        account_number="15032080119", account_changed_at=None)
    return application


def accept_used_places(application) -> ReportObligation:
    """The grant's used-places report certified by the chief executive and accepted."""
    obligation = ReportObligation.objects.get(case=application.case, kind="used_places")
    report = selectors.usage_report(obligation)
    services.usage_report_certify(actor=actor_for("anders.namsos", namsos()),
                                  obligation=obligation, seen_hash=report.fingerprint(),
                                  now=IN_TIME)
    ola, _kari = officers()
    services.report_accept(actor=ola, obligation=obligation)
    return obligation
