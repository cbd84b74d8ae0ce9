"""What the rules core and the portal say about an application: a checklist in Norwegian,
each item with the rule's source, and the grant applied for with its explanation."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from rules.calendar_util import Month
from rules.conditions import ApplicationFacts, application_findings
from rules.errors import RuleError
from rules.explain import Explained
from rules.findings import Finding, Severity
from rules.grants.jobbsjansen_2026 import MonthlyRates, grant_2026
from rules.grants.places import PlaceUser
from rules.identifiers import is_valid_account_number, is_valid_org_number
from schemes.models import GrantModel
from schemes.selectors import round_may_apply

from .models import Application, PartnerConsent

REQUIRED_TEXT = ["project_title", "contact_name", "contact_email", "contact_phone",
                 "target_group", "measures", "expected_effects", "knowledge_transfer",
                 "cooperation_form"]


@dataclass
class Checklist:
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # field names
    grant: Explained | None = None
    total_budget: Decimal = Decimal(0)
    own_financing: Decimal = Decimal(0)

    @property
    def own_share(self) -> Decimal | None:
        if not self.total_budget:
            return None
        return (self.own_financing / self.total_budget * 100).quantize(Decimal("0.1"))

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.BLOCKS]

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.missing


BUDGET_LINES = ("budget_staff", "budget_measures", "budget_premises", "budget_other")
OWN_LINES = ("own_staff", "own_measures", "own_premises", "own_other")


def budget_total(content: dict) -> Decimal:
    return sum((_money(content, name) for name in BUDGET_LINES), Decimal(0))


def _money(content: dict, name: str) -> Decimal:
    try:
        return Decimal(content.get(name) or 0)
    except ArithmeticError:
        return Decimal(0)


def computed_grant(application: Application) -> Explained | None:
    """Jobbsjansen 2026: the grant for the planned places over the months, at the round's
    rates. Planning assumption: everyone starts together, those with the allowance first."""
    round_, content = application.round, application.content
    if round_.scheme.grant_model != GrantModel.JOBBSJANSEN_2026:
        return None
    with_g, without_g = int(content.get("places_with_g") or 0), int(
        content.get("places_without_g") or 0)
    months = int(content.get("months") or 0)
    if not months or not (with_g + without_g):
        return None
    rates = MonthlyRates(round_.rate_start_with_g, round_.rate_start_without_g,
                         round_.rate_base_with_g, round_.rate_base_without_g,
                         round_.rates_source, example="EKSEMPEL" in round_.rates_source)
    start = round_.deadline.date().replace(month=1, day=1).replace(year=round_.year)
    period = frozenset(Month(round_.year, m) for m in range(1, months + 1))
    users = [PlaceUser(f"a{i:04d}", start, True, period) for i in range(with_g)] + [
        PlaceUser(f"b{i:04d}", start, False, period) for i in range(without_g)]
    result = grant_2026(users, rates).explained
    result.notes.append(_("Planning assumption: all places are used from January, and the "
                          "places with the allowance are numbered first."))
    return result


def application_checklist(application: Application) -> Checklist:
    checklist = Checklist()
    content, round_, org = application.content, application.round, application.organization
    model = round_.scheme.grant_model
    for name in REQUIRED_TEXT:
        if not str(content.get(name) or "").strip():
            checklist.missing.append(name)
    if round_.focus_areas.exists() and not content.get("focus_area"):
        checklist.missing.append("focus_area")
    not_allowed = round_may_apply(round_, org)
    if not_allowed:
        checklist.findings.append(not_allowed)
    profile = [(org.org_number and is_valid_org_number(org.org_number),
                _("organisation number")),
               (org.account_number and is_valid_account_number(org.account_number),
                _("account number for payments")),
               (org.postal_address and org.postal_code, _("postal address")),
               (org.email, _("e-mail")), (org.phone, _("telephone"))]
    wrong = [label for ok, label in profile if not ok]
    if wrong:
        checklist.findings.append(Finding(
            "organization_details", Severity.BLOCKS,
            _("The organisation's details are missing or wrong: %(fields)s. The "
              "administrator corrects them on the organisation's page.")
            % {"fields": ", ".join(str(w) for w in wrong)},
            "Rundskriv 23-15067 §11 (søkerens opplysninger)"))
    if model in (GrantModel.JOBBSJANSEN_2026, GrantModel.PART_B_2018):
        places = int(content.get("places_with_g") or 0) + int(
            content.get("places_without_g") or 0)
        if not content.get("months") and model == GrantModel.JOBBSJANSEN_2026:
            checklist.missing.append("months")
    else:
        places = int(content.get("participants") or 0)
    own = sum(_money(content, n) for n in OWN_LINES)
    checklist.total_budget, checklist.own_financing = budget_total(content), own
    checklist.findings += application_findings(ApplicationFacts(
        on=round_.deadline.date(), places=places or None, own_financing=own,
        total_budget=budget_total(content),
        has_quantitative_goals=bool(str(content.get("goals_quantitative") or "").strip()),
        has_qualitative_goals=bool(str(content.get("goals_qualitative") or "").strip()),
        development_grant=model == GrantModel.DEVELOPMENT))
    if model == GrantModel.JOBBSJANSEN_2026:
        try:
            checklist.grant = computed_grant(application)
        except RuleError as error:
            checklist.findings.append(Finding("rates", Severity.BLOCKS, str(error),
                                              "imdi.no: Tilskuddsmidler til Jobbsjansen 2026, "
                                              "«Hvordan beregnes tilskuddet til kommunen?»"))
    elif not _money(content, "amount_applied"):
        checklist.missing.append("amount_applied")
    if application.pk:
        for consent in application.partner_consents.filter(
                answer=PartnerConsent.Answer.PENDING).select_related("organization"):
            checklist.findings.append(Finding(
                "partner_pending", Severity.INFORMATION,
                _("%(org)s has not yet accepted being named as a partner. The application "
                  "cannot be signed before it has.") % {"org": consent.organization.official_name},
                "imdi.no: Tilskudd til utvikling av kvalifiserings- og integreringstiltak, "
                "«Vilkår for å få tilskudd»"))
    if int(content.get("multi_year") or 1) > 1:
        checklist.findings.append(Finding(
            "multi_year", Severity.INFORMATION,
            _("A grant for more than one year is given subject to parliament's appropriation "
              "each year."), "imdi.no: Tilskuddsmidler til Jobbsjansen 2026, «Flerårig "
              "tilskudd»; imdi.no: Jobbsjansen 2018, del B"))
    return checklist
