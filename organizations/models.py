"""Organisations: the directorate and its regional offices, counties, municipalities and
Oslo's city districts — with their official numbers over time."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.no import kontonr, orgnr

from .validators import validate_account_number, validate_org_number


class OrganizationKind(models.TextChoices):
    DIRECTORATE = "directorate", _("Directorate")
    REGIONAL_OFFICE = "regional_office", _("Regional office")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Municipality")
    CITY_DISTRICT = "city_district", _("City district")


DIRECTORATE_KINDS = frozenset({OrganizationKind.DIRECTORATE, OrganizationKind.REGIONAL_OFFICE})
APPLICANT_KINDS = frozenset(
    {OrganizationKind.MUNICIPALITY, OrganizationKind.CITY_DISTRICT, OrganizationKind.COUNTY}
)


# Payments to an account number changed less than this many days ago are held for the
# finance officer's review (issue 10, item 5). A changed payout account is the usual way
# grant money is diverted — from a hijacked session or after a forged "our account has
# changed" letter — and the chief executive and administrators are told of every change
# by e-mail; 30 days gives them, and the finance officer, time to react before money
# goes to the new account (and covers a monthly payment run).
PAYOUT_HOLD_DAYS = 30


class OrganizationQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> OrganizationQuerySet:
        on = on or datetime.date.today()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )


class Organization(models.Model):
    """One organisation over its lifetime; its number may change (see OrganizationCode)."""

    kind = models.CharField(_("type"), max_length=20, choices=OrganizationKind.choices)
    code = models.CharField(
        _("number"),
        max_length=16,
        help_text=_("The official number today: 4 digits for a municipality, 2 for a county, "
                    "6 for a city district."),
    )
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("belongs to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    regional_office = models.ForeignKey(
        "self", verbose_name=_("regional office"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="covered_counties",
        limit_choices_to={"kind": OrganizationKind.REGIONAL_OFFICE},
    )
    org_number = models.CharField(
        _("organisation number"), max_length=9, blank=True, validators=[validate_org_number],
        help_text=_("Nine digits, from the Central Coordinating Register for Legal Entities."),
    )
    account_number = models.CharField(
        _("account number for payments"), max_length=11, blank=True,
        validators=[validate_account_number],
        help_text=_("Eleven digits. Grants are paid to this account."),
    )
    # When the account number last changed (set by organization_update_profile): payments
    # to it are held for review for PAYOUT_HOLD_DAYS (see payout_hold).
    account_changed_at = models.DateTimeField(
        _("account number changed"), null=True, blank=True, editable=False
    )
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    postal_place = models.CharField(_("postal place"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail for official mail"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="organization_kind_code_unique"),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        if self.kind in DIRECTORATE_KINDS:
            return self.name
        return f"{self.code} {self.name}"

    @property
    def is_directorate(self) -> bool:
        return self.kind in DIRECTORATE_KINDS

    @property
    def is_applicant(self) -> bool:
        return self.kind in APPLICANT_KINDS

    @property
    def short_name(self) -> str:
        """The Norwegian name without the Sámi/Kven forms KLASS appends (" - ")."""
        return self.name.split(" - ")[0]

    @property
    def official_name(self) -> str:
        """The name letters and documents are addressed to: "Drammen kommune", "Vestland
        fylkeskommune", "Bydel Gamle Oslo" (the code lists hold "Drammen", "Vestland",
        "Gamle Oslo"). Oslo is a municipality with a county's tasks: "Oslo kommune"."""
        name = self.short_name
        if self.kind == OrganizationKind.MUNICIPALITY or (
                self.kind == OrganizationKind.COUNTY and self.code == "03"):
            return name if name.endswith(" kommune") else f"{name} kommune"
        if self.kind == OrganizationKind.COUNTY:
            return name if name.endswith("fylkeskommune") else f"{name} fylkeskommune"
        if self.kind == OrganizationKind.CITY_DISTRICT:
            return name if name.startswith("Bydel ") else f"Bydel {name}"
        return self.name

    @property
    def org_number_display(self) -> str:
        return orgnr.format(self.org_number) if self.org_number else ""

    @property
    def account_number_display(self) -> str:
        return kontonr.format(self.account_number) if self.account_number else ""

    def payout_hold_until(self) -> datetime.date | None:
        """The first day payments to the account are no longer held, if it was changed."""
        if self.account_changed_at is None:
            return None
        changed_on = timezone.localdate(self.account_changed_at)
        return changed_on + datetime.timedelta(days=PAYOUT_HOLD_DAYS)

    def payout_hold(self, today: datetime.date) -> bool:
        """Whether payments to the account are held for the finance officer's review on
        ``today``: the account number changed less than PAYOUT_HOLD_DAYS days ago."""
        until = self.payout_hold_until()
        return until is not None and today < until

    def county(self) -> Organization | None:
        if self.kind == OrganizationKind.COUNTY:
            return self
        if self.kind == OrganizationKind.MUNICIPALITY:
            return self.parent
        if self.kind == OrganizationKind.CITY_DISTRICT and self.parent:
            return self.parent.parent
        return None

    def region(self) -> Organization | None:
        """The directorate's regional office that is this applicant's contact."""
        county = self.county()
        return county.regional_office if county else None


class OrganizationCode(models.Model):
    """An official number and name an organisation had for a period."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("number"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["organization", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "name"], name="organization_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.valid_from or '…'}–{self.valid_to or '…'})"


class MunicipalityChange(models.Model):
    """A row of KLASS's change list: an old number and the new number that replaced it."""

    old_code = models.CharField(max_length=4, db_index=True)
    old_name = models.CharField(max_length=200)
    new_code = models.CharField(max_length=4)
    new_name = models.CharField(max_length=200)
    changed_on = models.DateField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["changed_on", "old_code", "new_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_code", "new_code", "changed_on"], name="municipality_change_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_code} {self.old_name} → {self.new_code} {self.new_name}"
