"""What each grant owes after it is accepted: report obligations, and the reminders sent
for them (issue 12). The schedule itself is rules.reporting; the status machine is
``TRANSITIONS`` below, used by services.obligation_transition."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rules import reporting as schedule
from rules import usage

OSLO = ZoneInfo("Europe/Oslo")


class ObligationKind(models.TextChoices):
    # The values are rules.reporting.KINDS (a test holds them equal).
    USED_PLACES = schedule.USED_PLACES, _("Used places")
    PARTICIPANTS = schedule.PARTICIPANTS, _("Participants and their months")
    STATUS_REPORT = schedule.STATUS_REPORT, _("Status report")
    GRANT_REPORT = schedule.GRANT_REPORT, _("Grant report with accounts")
    REGISTER = schedule.REGISTER, _("The year's participants in the register")
    AFTER_CARE = schedule.AFTER_CARE, _("After-care of participants")


class ObligationStatus(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", _("Not yet open")
    OPEN = "open", _("Open")
    DRAFT = "draft", _("Draft")
    AWAITING_CERTIFICATION = "awaiting_certification", _("Awaiting certification")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


S = ObligationStatus
# The status machine: from each status, where an obligation may go. Late is not a status:
# it is derived from the deadline and the first submission, and never refuses one.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NOT_YET_OPEN: frozenset({S.OPEN}),
    S.OPEN: frozenset({S.DRAFT, S.AWAITING_CERTIFICATION, S.SUBMITTED}),
    # Resubmitted: a report sent back for changes, written again and certified anew.
    S.DRAFT: frozenset({S.AWAITING_CERTIFICATION, S.SUBMITTED, S.RESUBMITTED}),
    S.AWAITING_CERTIFICATION: frozenset({S.DRAFT, S.SUBMITTED, S.RESUBMITTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.CHANGES_REQUESTED}),
    S.CHANGES_REQUESTED: frozenset({S.DRAFT, S.AWAITING_CERTIFICATION, S.RESUBMITTED}),
    S.RESUBMITTED: frozenset({S.ACCEPTED, S.CHANGES_REQUESTED}),
    S.ACCEPTED: frozenset(),
}
# Not yet submitted: these are reminded of, and overdue once the deadline has passed.
PENDING = frozenset({S.NOT_YET_OPEN, S.OPEN, S.DRAFT, S.AWAITING_CERTIFICATION})
SUBMITTING = frozenset({S.SUBMITTED, S.RESUBMITTED})


class ReportObligationQuerySet(models.QuerySet):
    def pending(self) -> ReportObligationQuerySet:
        return self.filter(status__in=PENDING)

    def overdue(self, now: datetime.datetime | None = None) -> ReportObligationQuerySet:
        """Not submitted and past the deadline's last second (see rules.reporting.is_late:
        submitted within the deadline's second is in time)."""
        now = now or timezone.now()
        return self.pending().filter(deadline__lt=now.replace(microsecond=0))


class ReportObligation(models.Model):
    """One report a grant owes: of a kind, for a period, open from ``opens_at``, due by
    ``deadline`` (an aware moment; Norwegian time on every page)."""

    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT,
                             related_name="report_obligations")
    # The grant's recipient and round, kept on the row so lists are scoped and counted
    # without a join through the application.
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    round = models.ForeignKey("schemes.Round", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("report"), max_length=16, choices=ObligationKind.choices)
    grant_year = models.PositiveSmallIntegerField(_("grant year"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(_("status"), max_length=24, choices=ObligationStatus.choices,
                              default=ObligationStatus.NOT_YET_OPEN)
    # The first submission: whether the report came late is decided by it, for good.
    submitted_at = models.DateTimeField(null=True, blank=True)
    needs_accounts = models.BooleanField(default=False)
    accounts_two_approvers = models.BooleanField(default=False)
    source = models.CharField(_("source"), max_length=600, blank=True)
    # Added by the directorate to one grant (the reaction "stricter reporting").
    created_by_reaction = models.BooleanField(default=False)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportObligationQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "period_start", "period_end"],
                                    name="report_obligation_once"),
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")),
                                   name="report_obligation_period"),
            models.CheckConstraint(condition=Q(opens_at__lt=F("deadline")),
                                   name="report_obligation_window"),
            models.CheckConstraint(condition=Q(created_by_reaction=False) | ~Q(reason=""),
                                   name="report_obligation_reaction_reason"),
        ]
        indexes = [models.Index(fields=["organization", "status", "deadline"]),
                   models.Index(fields=["round", "status"]),
                   models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"report obligation {self.pk}"

    @property
    def deadline_local(self) -> datetime.datetime:
        return self.deadline.astimezone(OSLO)

    @property
    def is_late(self) -> bool:
        """Submitted after the deadline (marked, never refused)."""
        return self.submitted_at is not None and schedule.is_late(self.submitted_at,
                                                                  self.deadline)

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.status in PENDING and schedule.is_overdue(self.deadline,
                                                              now or timezone.now())

    def may_become(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, frozenset())


class Reminder(models.Model):
    """A reminder e-mailed for an obligation. One row per slot (see
    rules.reporting.reminder_due); the unique constraint makes a second run send nothing."""

    class Kind(models.TextChoices):
        BEFORE = schedule.BEFORE, _("Before the deadline")
        MISSED = schedule.MISSED, _("The deadline was missed")
        OVERDUE = schedule.OVERDUE, _("Still overdue")

    obligation = models.ForeignKey(ReportObligation, on_delete=models.PROTECT,
                                   related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    slot = models.CharField(max_length=40)
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["obligation", "slot"],
                                               name="reminder_once_per_slot")]

    def __str__(self) -> str:
        return f"reminder {self.pk}"


class UsageSnapshot(models.Model):
    """What was certified for a used-places (2026) or participant (2024 pilot) report: a
    frozen copy of the computation the signer saw — participants by register id only
    (never a national id number or a name), their months, the amounts in øre, the rules
    core's explanation — and the SHA-256 over its canonical JSON. The register stays the
    single source; this is only the record of what was signed. A report sent back for
    changes is certified anew: one row per certification."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for the directorate")
        ACCEPTED = "accepted", _("Accepted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    obligation = models.ForeignKey(ReportObligation, on_delete=models.PROTECT,
                                   related_name="usage_snapshots")
    model = models.CharField(max_length=24)
    data = models.JSONField()  # rules.usage.UsageReport.as_dict()
    sha256 = models.CharField(max_length=64)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    participants = models.PositiveIntegerField(_("participants"))
    participant_months = models.PositiveIntegerField(_("participant-months"))
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    certified_role = models.CharField(max_length=32)
    certified_at = models.DateTimeField(_("certified"))
    late = models.BooleanField(_("late"), default=False)
    receipt_name = models.CharField(max_length=300, blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    review = models.CharField(_("review"), max_length=20, choices=Review.choices,
                              default=Review.PENDING)
    review_comment = models.TextField(_("comment"), blank=True, max_length=4000)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["obligation", "certified_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="usage_snapshot_total"),
            models.CheckConstraint(condition=Q(review="pending") | Q(reviewed_at__isnull=False),
                                   name="usage_snapshot_reviewed_at"),
        ]
        indexes = [models.Index(fields=["obligation", "review"])]

    def __str__(self) -> str:
        return f"usage snapshot {self.pk}"

    def verifies(self) -> bool:
        """Whether the stored data still has the hash that was certified."""
        return usage.fingerprint(self.data) == self.sha256


class ReportVersion(models.Model):
    """A status, grant or after-care report written by the recipient: every save is a
    version (nothing typed is lost), the one sent for certification is frozen with the
    SHA-256 over its canonical JSON, and the certification names that hash — the signer
    certifies exactly what was frozen. The content holds the form's fields, the accounts in
    whole kroner (strings), and, once frozen, the goal achievement the register showed."""

    obligation = models.ForeignKey(ReportObligation, on_delete=models.PROTECT,
                                   related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    saved_at = models.DateTimeField()
    # Sent for certification: frozen from then on.
    frozen_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    certified_role = models.CharField(max_length=32, blank=True)
    certified_at = models.DateTimeField(_("certified"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    receipt_name = models.CharField(max_length=300, blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    review = models.CharField(_("review"), max_length=20,
                              choices=UsageSnapshot.Review.choices, blank=True)
    review_comment = models.TextField(_("comment"), blank=True, max_length=4000)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["obligation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "number"],
                                    name="report_version_number_once"),
            models.CheckConstraint(condition=Q(certified_at__isnull=True)
                                   | Q(frozen_at__isnull=False),
                                   name="report_version_certified_frozen"),
            models.CheckConstraint(condition=Q(review="") | Q(certified_at__isnull=False),
                                   name="report_version_review_certified"),
        ]

    def __str__(self) -> str:
        return f"report {self.obligation_id} v{self.number}"

    def verifies(self) -> bool:
        """Whether the stored content still has the hash it was saved with."""
        return version_fingerprint(self.obligation_id, self.number, self.content) == self.sha256


def version_fingerprint(obligation_id: int, number: int, content: dict) -> str:
    """The SHA-256 of a report version: its content bound to its report and number."""
    return usage.fingerprint({"obligation": obligation_id, "version": number,
                              "content": content})


class AccountsApproval(models.Model):
    """The development grant's accounts are approved by the project lead and their
    superior before they are certified (seed 003): two different persons, each approving
    the frozen version by its hash."""

    class Capacity(models.TextChoices):
        PROJECT_LEAD = "project_lead", _("Project lead")
        SUPERIOR = "superior", _("The project lead's superior")

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT,
                                related_name="approvals")
    capacity = models.CharField(max_length=16, choices=Capacity.choices)
    sha256 = models.CharField(max_length=64)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        ordering = ["version", "approved_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "capacity"],
                                    name="accounts_approval_once_per_capacity"),
            models.UniqueConstraint(fields=["version", "approved_by"],
                                    name="accounts_approval_two_persons"),
        ]

    def __str__(self) -> str:
        return f"accounts approval {self.pk}"


class ReportAttachment(models.Model):
    """A document attached to a report (the accounts as PDF or spreadsheet). The bytes are
    in the file store (core/files.py); the hash is part of the report's frozen content."""

    obligation = models.ForeignKey(ReportObligation, on_delete=models.PROTECT,
                                   related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
