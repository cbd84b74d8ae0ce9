"""Demo: accepted grants whose reports can be opened, certified, submitted and accepted in
the browser (``manage.py demo_seed``; demo mode only, through the shell's build_demo).

- Grimstad kommune, Jobbsjansen 2026: the used places per 31 October, computed from
  Grimstad's participants in the register;
- Grimstad kommune, the per-capita pilot 2024: the participants and their months;
- Namsos kommune, Utviklingstilskudd 2025: the status report and the annual report.

Each grant goes the way a real one does — screened, proposed, approved by a second officer
(four eyes), accepted by the chief executive — so the obligations are those the grant
model gives (rules/reporting.py). Drammen's 2026 application is left to be decided in the
browser."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.actor import Actor
from accounts.models import User
from accounts.selectors import user_memberships
from applications.models import Application, Status
from casework import services as casework
from casework.models import Decision
from organizations.models import Organization
from schemes.models import Round

from .models import ReportObligation

GRANTS = (
    # (round, municipality, chief executive, amount, title)
    ("Jobbsjansen 2026", "4202", "bjorn.grimstad", Decimal(1_800_000),
     "Jobbsjansen Grimstad 2026"),
    ("Jobbsjansen – pilot per capita 2024", "4202", "bjorn.grimstad", Decimal(900_000),
     "Jobbsjansen Grimstad – pilot 2024"),
    ("Utviklingstilskudd 2025", "5007", "anders.namsos", Decimal(600_000),
     "Kvalifisering i Namsos – utvikling 2025"),
)


def _plan(amount: Decimal) -> dict:
    """What the application promised: goals, measures and a budget with 20 % own financing
    (the written reports are read against it)."""
    own = (amount / 4).quantize(Decimal(1))
    total = amount + own
    staff = (total * Decimal("0.6")).quantize(Decimal(1))
    measures = (total * Decimal("0.3")).quantize(Decimal(1))
    return {
        "goals_quantitative": "Minst 60 % av deltakerne som avslutter, går over i arbeid "
                              "eller utdanning.",
        "goals_qualitative": "Et fast samarbeid med Nav og lokale arbeidsgivere.",
        "measures": "Språkpraksis, norskopplæring på arbeidsplassen og tett oppfølging.",
        "cooperation_form": "Skriftlig samarbeidsavtale med Nav.",
        "knowledge_transfer": "Erfaringene deles i det regionale nettverket.",
        "budget_staff": str(staff), "budget_measures": str(measures),
        "budget_premises": str(total - staff - measures), "budget_other": "0",
        "own_staff": str(own), "own_measures": "0", "own_premises": "0", "own_other": "0",
    }


def _actor(username: str, organization: Organization) -> Actor:
    user = User.objects.get(username=username)
    memberships = user_memberships(user)
    current = next(m for m in memberships if m.organization.pk == organization.pk)
    return Actor(user=user, organization=organization, roles=current.roles,
                 memberships=memberships)


def build_reporting_demo() -> None:
    if ReportObligation.objects.exists():
        return
    directorate_south = Organization.objects.get(code="IMDI-SOR")
    directorate_east = Organization.objects.get(code="IMDI-OST")
    ola = _actor("ola.saksbehandler", directorate_south)
    kari = _actor("kari.saksbehandler", directorate_east)
    with transaction.atomic():
        for title, code, signer, amount, project in GRANTS:
            round_ = Round.objects.get(title=title)
            organization = Organization.objects.get(kind="municipality", code=code)
            application = Application.objects.create(
                round=round_, organization=organization, status=Status.SUBMITTED,
                content={"project_title": project, "amount_applied": str(amount),
                         **_plan(amount)},
                submitted_at=round_.deadline, amount_applied=amount)
            casework.case_screen(actor=ola, application=application, passed=True)
            casework.decision_propose(
                actor=ola, application=application, kind=Decision.Kind.COMMITMENT,
                amount=amount, reasons="Søknaden oppfyller kriteriene (demo).")
            seen = Decision.objects.get(case__application=application).fingerprint()
            casework.decision_approve(actor=kari, application=application, seen=seen)
            casework.grant_accept(actor=_actor(signer, organization), application=application)
