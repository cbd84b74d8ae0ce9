"""Jobbsjanseregisteret: participants by national id number, scoped to a municipality.

Everything about a participant hangs on ``Participant`` and is deleted with it (CASCADE);
nothing is copied to history tables. The name is fetched from the population register
and blanked at discharge; the id number stays for statistics (seed 000 §Individrapportering).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import codes


class CheckState(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    INCOMPLETE = "incomplete", _("Information missing")
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
    BLOCKED = "blocked", _("Outside the rules")


class Participant(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("municipality"), on_delete=models.PROTECT,
        related_name="participants")
    # The id number is personal data: never in a URL, a log line or an audit payload.
    national_id = models.CharField(_("national identity number or D-number"), max_length=11)
    name = models.CharField(_("name"), max_length=200, blank=True)
    name_source = models.CharField(_("name"), max_length=24, choices=codes.NameSource.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    start_date = models.DateField(_("programme start"))
    financing = models.CharField(_("financing"), max_length=24, choices=codes.Financing.choices)
    status = models.CharField(_("status"), max_length=16, choices=codes.Status.choices,
                              default=codes.Status.ACTIVE)
    duration_extended = models.BooleanField(_("extended by up to one year"), default=False)

    # Background before the start
    family_situation = models.CharField(
        _("family situation"), max_length=16, blank=True, choices=codes.FamilySituation.choices)
    children = models.PositiveSmallIntegerField(
        _("number of children"), null=True, blank=True, validators=[MaxValueValidator(20)])
    youngest_child_age = models.PositiveSmallIntegerField(
        _("age of the youngest child"), null=True, blank=True, validators=[MaxValueValidator(40)])
    education_home_country = models.CharField(
        _("education in the home country"), max_length=16, blank=True,
        choices=codes.Education.choices)
    education_norway = models.CharField(
        _("education in Norway"), max_length=16, blank=True,
        choices=codes.NorwegianEducation.choices)
    norwegian_level = models.CharField(
        _("Norwegian level"), max_length=8, blank=True, choices=codes.NorwegianLevel.choices)
    work_experience = models.CharField(
        _("work experience"), max_length=16, blank=True, choices=codes.WorkExperience.choices)
    literacy = models.CharField(
        _("literacy in the mother tongue"), max_length=8, blank=True,
        choices=codes.Literacy.choices)
    introduction = models.CharField(
        _("introduction programme"), max_length=8, blank=True, choices=codes.Introduction.choices)
    introduction_ended_on = models.DateField(
        _("introduction programme ended or the right was lost"), null=True, blank=True)
    qualification_programme = models.BooleanField(
        _("in the qualification programme (KVP)"), null=True, blank=True)
    social_assistance = models.CharField(
        _("social assistance"), max_length=20, blank=True,
        choices=codes.SocialAssistance.choices)
    transitional_benefit = models.BooleanField(
        _("transitional benefit before the start"), null=True, blank=True)

    # End and transition
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=16, blank=True,
                                  choices=codes.EndReason.choices)
    interruption_reason = models.CharField(
        _("reason for the interruption"), max_length=16, blank=True,
        choices=codes.InterruptionReason.choices)
    transition = models.CharField(_("transition"), max_length=12, blank=True,
                                  choices=codes.Transition.choices)
    position_percent = models.PositiveSmallIntegerField(
        _("position percentage"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    industry = models.CharField(_("industry (SN2007)"), max_length=2, blank=True)
    employment = models.CharField(_("permanent or temporary"), max_length=12, blank=True,
                                  choices=codes.Employment.choices)
    education_level = models.CharField(_("education level"), max_length=16, blank=True,
                                       choices=codes.EducationLevel.choices)
    absence_percent = models.PositiveSmallIntegerField(
        _("absence"), null=True, blank=True, validators=[MaxValueValidator(100)])

    # Checks, kept current by the services so the overview can filter on them.
    check_state = models.CharField(max_length=20, choices=CheckState.choices,
                                   default=CheckState.INCOMPLETE)
    discharged_at = models.DateTimeField(_("discharged"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["organization", "national_id", "start_date"],
                                    name="participant_unique_start"),
        ]
        indexes = [
            models.Index(fields=["organization", "start_date"]),
            models.Index(fields=["organization", "status", "start_date"]),
            models.Index(fields=["organization", "end_date"]),
            models.Index(fields=["organization", "national_id"]),
        ]

    def __str__(self) -> str:  # never the name or the number: this ends up in logs
        return f"participant {self.pk}"

    @property
    def reference(self) -> str:
        return f"D-{self.pk:06d}"

    @property
    def masked_id(self) -> str:
        """For lists: the personal number part only; after discharge the date part only."""
        if self.is_discharged:
            return self.discharged_id
        return "******" + self.national_id[6:]

    @property
    def discharged_id(self) -> str:
        """After discharge people see the date part only ("010190 *****"); the whole number
        stays in the database for statistics (seed 000 §Individrapportering)."""
        return f"{self.national_id[:6]} *****"

    @property
    def display_id(self) -> str:
        """The id number as shown on the participant's pages."""
        return self.discharged_id if self.is_discharged else self.national_id

    @property
    def is_discharged(self) -> bool:
        return self.status == codes.Status.DISCHARGED

    def financing_short(self) -> str:
        return str(codes.FINANCING_SHORT.get(self.financing, self.financing))

    def industry_label(self) -> str:
        return codes.industry_name(self.industry) if self.industry else ""


class ParticipantMeasure(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="measures")
    measure = models.CharField(_("measure"), max_length=20, choices=codes.Measure.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["measure", "participant"])]

    def __str__(self) -> str:
        return f"measure {self.pk}"


class FollowUp(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="follow_ups")
    point = models.PositiveSmallIntegerField(_("when"), choices=codes.FollowUpPoint.choices)
    status = models.CharField(_("status"), max_length=16, choices=codes.FollowUpStatus.choices)
    recorded_on = models.DateField(_("recorded"))

    class Meta:
        ordering = ["point"]
        constraints = [models.UniqueConstraint(fields=["participant", "point"],
                                               name="follow_up_unique_point")]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"


class FindingAssessment(models.Model):
    """A register user's justification for a finding the rules leave to assessment."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="assessments")
    code = models.CharField(max_length=40)
    justification = models.TextField(_("justification"), max_length=2000)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "code"],
                                               name="assessment_unique_code")]

    def __str__(self) -> str:
        return f"assessment {self.pk}"


class DataProcessingAgreement(models.Model):
    """The databehandleravtale between a municipality and the directorate (seed 000)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="processing_agreements")
    signed_on = models.DateField(_("signed on"))
    reference = models.CharField(_("archive reference"), max_length=40)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.signed_on}"


class Submission(models.Model):
    """A municipality marks a year's records as submitted to the directorate."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="register_submissions")
    year = models.PositiveSmallIntegerField(_("year"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    participant_count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organization", "year", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class ExportedParticipant(models.Model):
    """Which participants a download (CSV or Excel) contained: one row per download and
    participant, so "who received this person's data" is answered per participant.

    Ids only, and no foreign keys: like the audit event it belongs to, the row outlives
    the participant (the log says who received a deleted participant's data)."""

    event = models.ForeignKey("audit.AuditEvent", on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    participant_id = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["participant_id", "event"])]

    def __str__(self) -> str:
        return f"export {self.event_id} participant {self.participant_id}"
