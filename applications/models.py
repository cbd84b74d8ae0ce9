"""Applications in the portal. The content is one JSON document per version; sending for
signing freezes it, and the signature stores a hash of exactly what was signed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import files


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FOR_SIGNING = "for_signing", _("Sent for signing")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    round = models.ForeignKey("schemes.Round", on_delete=models.PROTECT,
                              related_name="applications")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    content = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    # Joint applications: the lead (``organization``) writes and signs; partners read.
    partners = models.ManyToManyField("organizations.Organization", blank=True,
                                      related_name="partner_applications")
    return_comment = models.TextField(blank=True, max_length=4000)
    late = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The grant applied for, in whole kroner, stored when the application is signed (its
    # content is frozen then), so that lists sum and sort it in SQL. Empty when the
    # content gives no amount (or for a late application registered by the directorate).
    amount_applied = models.DecimalField(_("amount applied for"), max_digits=14,
                                         decimal_places=0, null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["round", "organization"], name="one_application_per_round",
            condition=~models.Q(status="withdrawn"))]

    def __str__(self) -> str:
        return f"application {self.pk}"

    @property
    def title(self) -> str:
        return self.content.get("project_title") or str(self.round)

    @property
    def reference(self) -> str:
        return f"S-{self.pk:06d}"

    @property
    def frozen(self) -> bool:
        return self.status != Status.DRAFT


class ApplicationVersion(models.Model):
    """Every save is a version; the one sent for signing is the one signed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"],
                                               name="application_version_unique")]

    def __str__(self) -> str:
        return f"application {self.application_id} v{self.number}"


class Signature(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="signature")
    version = models.PositiveIntegerField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    role = models.CharField(max_length=24)
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    signed_document = models.TextField()  # the canonical JSON that was hashed
    # The receipt PDF lives in the file store (core/files.py); receipt_pdf held it before
    # and is kept, empty, until a later release drops it (applications migration 0006).
    receipt_file = models.CharField(max_length=255, blank=True)
    receipt_pdf = models.BinaryField(null=True, editable=False)
    receipt_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"signature of application {self.application_id}"

    def read_receipt(self) -> bytes:
        """The receipt PDF, checked against receipt_hash (core.files.FileIntegrityError)."""
        return files.read(self.receipt_file, self.receipt_hash)


class Attachment(models.Model):
    """A document attached to an application; hashed and signed with it. The bytes live in
    the file store (core/files.py) under ``file``; ``data`` held them before and is kept,
    empty, until a later release drops it (applications migration 0006)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.CharField(max_length=255, blank=True)
    data = models.BinaryField(null=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def read_data(self) -> bytes:
        """The attachment's bytes, checked against sha256 (core.files.FileIntegrityError)."""
        return files.read(self.file, self.sha256)


class PartnerConsent(models.Model):
    """A partner named in a joint application accepts (or declines) being named. Until
    every partner has accepted, the lead cannot sign; a partner that declines is removed
    and no longer reads the application."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting for the partner's answer")
        ACCEPTED = "accepted", _("Accepted by the partner")
        DECLINED = "declined", _("Declined by the partner")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="partner_consents")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "organization"],
                                               name="one_consent_per_partner")]

    def __str__(self) -> str:
        return f"consent of {self.organization_id} to application {self.application_id}"
