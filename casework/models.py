"""A case is the directorate's handling of one submitted application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import files


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_ASSESSMENT = "in_assessment", _("Under assessment")
    REJECTED = "rejected", _("Rejected")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    ACCEPTED = "accepted", _("Accepted")
    LAPSED = "lapsed", _("Lapsed: not accepted in time")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


class RejectionReason(models.TextChoices):
    LATE = "late", _("The application came after the deadline")
    NOT_ELIGIBLE = "not_eligible", _("The applicant may not apply in this round")
    CONDITIONS = "conditions", _("The formal conditions are not met")
    OTHER = "other", _("Other formal reason")


class Criterion(models.TextChoices):
    # Seed 002 §7 and seed 003: the criteria the directorate assesses applications by.
    PURPOSE = "purpose", _("Purpose and goals: fits the scheme's purpose and target group")
    CAPACITY = "capacity", _("Capacity to deliver: organisation, cooperation, budget")
    RESULTS = "results", _("Earlier results (multi-year applications)")
    TRANSFER = "transfer", _("Transfer value: knowledge others can use")


SCORES = [(n, str(n)) for n in range(1, 7)]


class Case(models.Model):
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.RECEIVED)
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="case")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("case officer"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"case {self.pk}"


class CaseNote(models.Model):
    """An internal note on a case; the directorate's own, never shown to the applicant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class Letter(models.Model):
    """A letter sent to the applicant. Rendered once, stored with its hash, never changed."""

    class Kind(models.TextChoices):
        REJECTION = "rejection", _("Rejection (avvisning)")
        GRANT = "grant", _("Grant letter")
        REFUSAL = "refusal", _("Refusal")
        CHANGE = "change", _("Answer to a change request")
        HOLD_BACK = "hold_back", _("Decision to hold back payments")
        CLAW_BACK = "claw_back", _("Decision to claim back")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=16, choices=RejectionReason.choices, blank=True)
    reason_text = models.TextField(blank=True, max_length=4000)
    # The PDF lives in the file store (core/files.py); ``pdf`` held it before and is kept,
    # empty, until a later release drops it (casework migration 0004).
    file = models.CharField(max_length=255, blank=True)
    pdf = models.BinaryField(null=True, editable=False)
    sha256 = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"letter {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A sent letter cannot be changed.")
        super().save(*args, **kwargs)

    def read_pdf(self) -> bytes:
        """The letter's PDF, checked against sha256 (core.files.FileIntegrityError)."""
        return files.read(self.file, self.sha256)


class Assessment(models.Model):
    """One assessor's score and justification on one criterion; several assessors allowed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    criterion = models.CharField(max_length=16, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(choices=SCORES)
    justification = models.TextField(max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "assessor", "criterion"],
                                               name="assessment_per_assessor_criterion")]
        ordering = ["criterion", "assessor_id"]

    def __str__(self) -> str:
        return f"assessment {self.pk}"


class Decision(models.Model):
    """A proposed decision and its approval by another officer (four eyes)."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Grant")
        REFUSAL = "refusal", _("Refusal")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    years = models.PositiveSmallIntegerField(default=1)
    conditions = models.TextField(blank=True, max_length=4000)
    reasons = models.TextField(blank=True, max_length=4000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # Acceptance of a grant (two weeks from the letter, seed 002 §9)
    accept_by = models.DateField(null=True, blank=True)
    accept_by_extended_reason = models.TextField(blank=True, max_length=4000)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    lapsed_at = models.DateTimeField(null=True, blank=True)
    # The grant's terms are versioned: each consented change request adds one.
    terms_version = models.PositiveIntegerField(default=1)
    # Four eyes approve exactly what they saw: each new proposal on the case raises the
    # version, and the approval names the version it approves.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"decision {self.pk}"

    def fingerprint(self) -> str:
        """A hash of what the approver sees: kind, amount, years, conditions, reasons."""
        import hashlib
        import json

        content = json.dumps([self.pk, self.version, self.kind,
                              str(self.amount) if self.amount is not None else None,
                              self.years, self.conditions, self.reasons])
        return hashlib.sha256(content.encode()).hexdigest()

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class Appeal(models.Model):
    """An appeal of a rejection (seed 003: only rejections are appealable): filed by the
    applicant through the directorate, prepared there, forwarded to the ministry."""

    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        FORWARDED = "forwarded", _("Forwarded to the ministry")
        DECIDED = "decided", _("Decided")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("The decision is upheld")
        REVERSED = "reversed", _("The decision is reversed (a rejection: the case is "
                                 "reopened)")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appeals")
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="appeals")
    text = models.TextField(_("the appeal"), max_length=8000)
    received_on = models.DateField(_("the letter was received"))
    deadline = models.DateField(_("deadline for the appeal"))
    in_time = models.BooleanField()
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FILED)
    preparation = models.TextField(_("the directorate's preparation"), blank=True,
                                   max_length=8000)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"appeal {self.pk}"


class ChangeRequest(models.Model):
    """The applicant asks to change the purpose, activities or budget of a grant; changes
    need the directorate's consent (seed 002 §13)."""

    class Kind(models.TextChoices):
        PURPOSE = "purpose", _("Purpose")
        ACTIVITIES = "activities", _("Activities")
        BUDGET = "budget", _("Budget")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the directorate")
        CONSENTED = "consented", _("Consented")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(_("what to change"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("the change and why"), max_length=4000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    response = models.TextField(blank=True, max_length=4000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    terms_version = models.PositiveIntegerField(null=True, blank=True)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"change request {self.pk}"
