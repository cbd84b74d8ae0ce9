"""Schemes (tilskuddsordninger) and their rounds (utlysninger): who may apply, by when,
within which budget frame, with which rates, conditions and reporting duties."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

OSLO = ZoneInfo("Europe/Oslo")


class GrantModel(models.TextChoices):
    # How the grant is computed (rules/grants/): decides which form and checks apply.
    JOBBSJANSEN_2026 = "jobbsjansen_2026", _("Jobbsjansen: monthly rate per used place (2026)")
    PER_CAPITA_2024 = "per_capita_2024", _("Per-capita pilot: yearly rate per participant (2024)")
    PART_B_2018 = "part_b_2018", _("Jobbsjansen part B: project-based (2018)")
    DEVELOPMENT = "development", _("Development grant: project-based, focus areas")


class ApplicantKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipalities")
    CITY_DISTRICT = "city_district", _("Oslo's city districts")
    COUNTY = "county", _("County municipalities")


class Scheme(models.Model):
    key = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=8000)
    grant_model = models.CharField(_("grant model"), max_length=24, choices=GrantModel.choices)
    source = models.CharField(_("source"), max_length=300,
                              help_text=_("The circular or announcement the scheme rests on."))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoundQuerySet(models.QuerySet):
    def open_at(self, moment: datetime.datetime | None = None) -> RoundQuerySet:
        moment = moment or timezone.now()
        return self.filter(status=Round.Status.OPEN, opens_at__lte=moment, deadline__gt=moment)


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Published")
        CLOSED = "closed", _("Closed")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=8000)
    year = models.PositiveSmallIntegerField(_("grant year"))
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Date and time in Norwegian time. An application signed "
                                   "after this moment is late."))
    budget_frame = models.DecimalField(_("budget frame (NOK)"), max_digits=14, decimal_places=0)
    applicant_kinds = models.JSONField(_("who may apply"), default=list)
    named_applicants = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="+",
        verbose_name=_("only these organisations"))
    conditions = models.TextField(_("conditions"), blank=True, max_length=8000)
    criteria = models.TextField(_("assessment criteria"), blank=True, max_length=8000)
    # Rates of the 2026 model (NOK per place per month), entered with their citation.
    rate_start_with_g = models.DecimalField(max_digits=10, decimal_places=0, null=True,
                                            blank=True)
    rate_start_without_g = models.DecimalField(max_digits=10, decimal_places=0, null=True,
                                               blank=True)
    rate_base_with_g = models.DecimalField(max_digits=10, decimal_places=0, null=True,
                                           blank=True)
    rate_base_without_g = models.DecimalField(max_digits=10, decimal_places=0, null=True,
                                              blank=True)
    rates_source = models.CharField(_("source of the rates"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.DRAFT)
    historical = models.BooleanField(_("historical round (from the seeds)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline_local(self) -> datetime.datetime:
        return self.deadline.astimezone(OSLO)

    def is_open(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return (self.status == self.Status.OPEN and self.opens_at <= moment < self.deadline)

    def closes_soon(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.is_open(moment) and self.deadline - moment <= datetime.timedelta(days=7)


class FocusArea(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="focus_areas")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    target_group = models.TextField(_("target group"), blank=True, max_length=4000)
    applicant_kinds = models.JSONField(_("who may apply"), default=list)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"],
                                               name="focus_area_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


# The kinds of report a duty can be (the same values as rules.reporting.KINDS and
# reporting.models.ObligationKind, which a test holds equal).
REPORT_KINDS = [
    ("used_places", _("Used places")), ("participants", _("Participants and their months")),
    ("status_report", _("Status report")), ("grant_report", _("Grant report with accounts")),
    ("register", _("The year's participants in the register")),
    ("after_care", _("After-care of participants")),
]


class ReportingDuty(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reporting_duties")
    title = models.CharField(_("report"), max_length=200)
    due_on = models.DateField(_("due"))
    # Which of the grant's reports the duty is (rules.reporting.KINDS): its deadline is then
    # the duty's date. Empty: the duty is only written in the grant letter.
    kind = models.CharField(_("kind of report"), max_length=16, blank=True,
                            choices=REPORT_KINDS)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title
