"""Money after the decision (issue 13): each grant's payment plan, the payments collected
into payment runs, and the ledger that explains every krone.

Amounts are integer øre everywhere (``*_ore``; never float). A plan line is what the
grant will pay under one rule — the advance, the settlement after the used-places report,
a reporting period's amount, a term — with its condition and explanation. A payment pays
one plan line in one run; a plan line has at most one live payment (a database
constraint), so money goes out once. The ledger is an append-only double-entry journal:
each entry's lines sum to zero, a correction is a reversal, and on PostgreSQL the
database refuses UPDATE and DELETE (migration 0002)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LineKind(models.TextChoices):
    ADVANCE = "advance", _("Advance")
    SETTLEMENT = "settlement", _("Settlement after the used-places report")
    PERIOD = "period", _("Payment for a reporting period")
    TERM = "term", _("Term")


class LineStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for its condition")
    DUE = "due", _("Due")
    IN_RUN = "in_run", _("In a payment run")
    PAID = "paid", _("Paid")
    SETTLED = "settled", _("Nothing to pay")
    HELD = "held", _("Held back")


class Condition(models.TextChoices):
    ACCEPTANCE = "acceptance", _("The grant is accepted")
    REPORT = "report", _("The report is accepted")
    DATE = "date", _("The due date has come")


class Appropriation(models.Model):
    """The finance officer records that a year's appropriation is in place: the later
    years of a multi-year grant wait for it (the letter's reservation)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    reference = models.CharField(_("reference"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"appropriation {self.year}"


class AccountConfirmation(models.Model):
    """A finance officer has confirmed a changed payout account with the recipient, so
    payments to it are no longer held out of runs."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    account_number = models.CharField(max_length=11)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-confirmed_at", "-id"]

    def __str__(self) -> str:
        return f"account confirmation {self.pk}"


class PlanLine(models.Model):
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT,
                             related_name="plan_lines")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    round = models.ForeignKey("schemes.Round", on_delete=models.PROTECT, related_name="+")
    grant_year = models.PositiveSmallIntegerField(_("grant year"))
    number = models.PositiveSmallIntegerField()  # order within the grant year
    kind = models.CharField(_("payment"), max_length=12, choices=LineKind.choices)
    label = models.CharField(_("payment"), max_length=200)
    condition = models.CharField(max_length=12, choices=Condition.choices)
    obligation = models.ForeignKey("reporting.ReportObligation", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"), null=True, blank=True)
    needs_appropriation = models.BooleanField(default=False)
    # Unknown until the condition is met for a settlement or a period's payment.
    amount_ore = models.BigIntegerField(_("amount"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=LineStatus.choices,
                              default=LineStatus.WAITING)
    explanation = models.JSONField(default=dict)  # rules.explain.Explained.as_dict()
    source = models.CharField(max_length=600, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "grant_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "grant_year", "number"],
                                    name="plan_line_once"),
            models.CheckConstraint(condition=Q(amount_ore__isnull=True) | Q(amount_ore__gte=0),
                                   name="plan_line_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(status__in=["due", "in_run", "paid"]) | Q(amount_ore__gt=0),
                name="plan_line_payable_has_amount"),
        ]
        indexes = [models.Index(fields=["status", "organization"]),
                   models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"plan line {self.pk}"

    @property
    def amount(self) -> Decimal | None:
        return None if self.amount_ore is None else ore_to_kroner(self.amount_ore)


def ore_to_kroner(ore: int) -> Decimal:
    """Øre as kroner, exactly (for showing; sums are made in øre)."""
    return Decimal(ore) / 100


def kroner_to_ore(amount: Decimal) -> int:
    """Kroner (at most two decimals) as integer øre; more decimals are refused."""
    ore = Decimal(amount) * 100
    if ore != ore.to_integral_value():
        raise ValueError(f"{amount} has more than two decimals")
    return int(ore)


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    FILE_MADE = "file_made", _("Payment file made")
    SENT = "sent", _("Sent to the bank")
    CONFIRMED = "confirmed", _("Confirmed by the bank")


RUN_TRANSITIONS = {
    RunStatus.DRAFT: frozenset({RunStatus.APPROVED}),
    RunStatus.APPROVED: frozenset({RunStatus.FILE_MADE}),
    RunStatus.FILE_MADE: frozenset({RunStatus.SENT}),
    RunStatus.SENT: frozenset({RunStatus.CONFIRMED}),
    RunStatus.CONFIRMED: frozenset(),
}


class PaymentRun(models.Model):
    """Payments collected by one finance officer and approved by another (four eyes on
    exactly the lines and total they saw: ``fingerprint``), then handed to the bank as a
    pain.001 file whose bytes and hash are kept: downloading it again gives the same
    file, never a second payment."""

    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices,
                              default=RunStatus.DRAFT)
    execution_date = models.DateField(_("payment date"))
    total_ore = models.BigIntegerField(_("total"), default=0)
    count = models.PositiveIntegerField(_("payments"), default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=35, blank=True)
    file_name = models.CharField(max_length=300, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_made_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(approved_by__isnull=False),
                                   name="payment_run_approved_by"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("created_by")),
                name="payment_run_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"payment run {self.pk}"

    @property
    def reference(self) -> str:
        return f"U-{self.pk:06d}"

    @property
    def total(self):
        return ore_to_kroner(self.total_ore)


class PaymentStatus(models.TextChoices):
    IN_RUN = "in_run", _("In a payment run")
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    REMOVED = "removed", _("Taken out of the run")


LIVE_PAYMENTS = ("in_run", "sent", "paid")


class Payment(models.Model):
    """One plan line paid in one run, to the payee's account as it was when the run was
    made. ``end_to_end_id`` comes back in the bank's status files."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="payments")
    plan_line = models.ForeignKey(PlanLine, on_delete=models.PROTECT, related_name="payments")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    amount_ore = models.BigIntegerField(_("amount"))
    account_number = models.CharField(max_length=11)
    kid = models.CharField(max_length=25, blank=True)
    text = models.CharField(max_length=140)
    end_to_end_id = models.CharField(max_length=35, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices,
                              default=PaymentStatus.IN_RUN)
    failure_reason = models.CharField(max_length=300, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            # Exactly once: a plan line is in at most one live payment.
            models.UniqueConstraint(fields=["plan_line"], condition=Q(status__in=LIVE_PAYMENTS),
                                    name="payment_once_per_plan_line"),
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"payment {self.pk}"

    @property
    def amount(self):
        return ore_to_kroner(self.amount_ore)


class Receivable(models.Model):
    """Money to be paid back by the recipient (a claw-back), with a due date and a KID;
    settled by the recipient's payment or offset against the grant's next payment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SETTLED = "settled", _("Settled")
        CANCELLED = "cancelled", _("Cancelled on appeal")

    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT,
                             related_name="receivables")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    plan_line = models.OneToOneField(PlanLine, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="receivable")
    amount_ore = models.BigIntegerField(_("amount"))
    kid = models.CharField(_("KID"), max_length=25, unique=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    explanation = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_ore__gt=0),
                                              name="receivable_positive")]

    def __str__(self) -> str:
        return f"receivable {self.pk}"

    @property
    def amount(self):
        return ore_to_kroner(self.amount_ore)


class Reaction(models.Model):
    """A reaction to a grant used against its terms (seed 002 §13–14, seed 003): hold back
    its payments or claim money back. An individual decision (enkeltvedtak): proposed by
    one officer, approved by another on exactly the version they saw, sent as a letter
    with the reason and the right to appeal; it has effect on the plan only once
    approved."""

    class Kind(models.TextChoices):
        HOLD_BACK = "hold_back", _("Hold back payments")
        CLAW_BACK = "claw_back", _("Claim back")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LIFTED = "lifted", _("Lifted")
        REVERSED = "reversed", _("Reversed on appeal")

    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT,
                             related_name="reactions")
    kind = models.CharField(_("reaction"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    amount_ore = models.BigIntegerField(_("amount"))
    reason = models.TextField(_("reason"), max_length=4000)
    # From a settlement whose places triggered less than the advance paid.
    plan_line = models.ForeignKey(PlanLine, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="reactions")
    explanation = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    letter = models.OneToOneField("casework.Letter", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="reaction")
    receivable = models.OneToOneField(Receivable, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="reaction")
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="reaction_positive"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="reaction_four_eyes"),
            # One live claw-back per settlement line.
            models.UniqueConstraint(fields=["plan_line"],
                                    condition=Q(status__in=["proposed", "approved"]),
                                    name="reaction_once_per_plan_line"),
        ]

    def __str__(self) -> str:
        return f"reaction {self.pk}"

    def fingerprint(self) -> str:
        """What the approver sees: kind, amount, reason, version."""
        data = json.dumps([self.pk, self.version, self.kind, self.amount_ore, self.reason])
        return hashlib.sha256(data.encode()).hexdigest()


class StatusImport(models.Model):
    """A bank status file read back (pain.002 or camt.054), once: its hash is unique."""

    kind = models.CharField(max_length=10)
    message_id = models.CharField(max_length=35)
    sha256 = models.CharField(max_length=64, unique=True)
    run = models.ForeignKey(PaymentRun, null=True, on_delete=models.PROTECT,
                            related_name="status_imports")
    paid = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"status import {self.pk}"


# -- the ledger --------------------------------------------------------------------------

class Account(models.TextChoices):
    """The sub-ledger's accounts. Signs: a grant's money starts in COMMITTED against
    BUDGET, moves to PAYABLE when a line is due, to PAID when the bank confirms; what a
    settlement does not trigger goes back to BUDGET; a claw-back moves money from PAID to
    RECEIVABLE, and the recipient's payment from RECEIVABLE back to BUDGET."""

    BUDGET = "budget", _("Appropriation")
    COMMITTED = "committed", _("Committed (granted, not yet due)")
    PAYABLE = "payable", _("Due for payment")
    PAID = "paid", _("Paid")
    HELD = "held", _("Held back")
    RECEIVABLE = "receivable", _("To be paid back")


class EntryKind(models.TextChoices):
    COMMITTED = "committed", _("Grant committed")
    DUE = "due", _("Payment due")
    PAID = "paid", _("Payment confirmed by the bank")
    RELEASED = "released", _("Not triggered: back to the appropriation")
    CLAIMED = "claimed", _("Claimed back")
    RECEIVED = "received", _("Claim paid back")
    HELD = "held", _("Held back by a decision")
    REVERSAL = "reversal", _("Reversal")


class JournalEntry(models.Model):
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    # What the entry is for, once: a retried job or a replayed file posts nothing twice.
    idempotency_key = models.CharField(max_length=120, unique=True)
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    round = models.ForeignKey("schemes.Round", on_delete=models.PROTECT, related_name="+")
    grant_year = models.PositiveSmallIntegerField()
    plan_line = models.ForeignKey(PlanLine, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    text = models.CharField(max_length=300)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField()

    class Meta:
        ordering = ["posted_at", "id"]
        indexes = [models.Index(fields=["case", "posted_at"]),
                   models.Index(fields=["round", "grant_year"])]

    def __str__(self) -> str:
        return f"journal entry {self.pk}"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.CharField(max_length=12, choices=Account.choices)
    amount_ore = models.BigIntegerField()  # debit positive, credit negative

    class Meta:
        ordering = ["entry", "id"]
        constraints = [models.CheckConstraint(condition=~Q(amount_ore=0),
                                              name="journal_line_not_zero")]
        indexes = [models.Index(fields=["account", "entry"])]

    def __str__(self) -> str:
        return f"journal line {self.pk}"
