"""Reporting fixtures: a grant accepted through case handling, in any round."""

from __future__ import annotations

from decimal import Decimal

from applications.models import Application
from casework import services as casework
from organizations.models import Organization
from schemes.models import Round
from tests.conftest import seen
from tests.register.conftest import actor_for


def officers():
    return (actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR")),
            actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST")))


def granted(round_title: str, *, years: int = 1, code: str = "3301") -> Application:
    """An application in ``round_title``, screened, granted by four eyes, not accepted."""
    round_ = Round.objects.get(title=round_title)
    organization = Organization.objects.get(kind="municipality", code=code)
    application = Application.objects.filter(round=round_, organization=organization).first()
    if application is None:  # the demo world has Drammen's signed 2026 application already
        application = Application.objects.create(
            round=round_, organization=organization, status="submitted",
            content={"amount_applied": "1000000"}, submitted_at=round_.deadline)
    assert application.status == "submitted", application.status
    ola, kari = officers()
    casework.case_screen(actor=ola, application=application, passed=True)
    casework.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(1_000_000), years=years,
                              reasons="Redusert for å holde rammen i runden.")
    casework.decision_approve(actor=kari, application=application, seen=seen(application))
    return application


def accepted(round_title: str, *, years: int = 1, code: str = "3301") -> Application:
    application = granted(round_title, years=years, code=code)
    signer = {"3301": "tor.kommunedirektor", "4202": "bjorn.grimstad",
              "5007": "anders.namsos"}[code]
    casework.grant_accept(actor=actor_for(signer, application.organization),
                          application=application)
    return application
