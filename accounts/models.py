"""Users, their roles in organisations, invitations and failed log-ins."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role

username_validator = RegexValidator(
    r"^(?!.*\d{4})[a-z][a-z0-9._-]{2,39}$",
    _("A log-in name has 3–40 lowercase letters, digits, dots, hyphens or underscores, starts "
      "with a letter and never contains four digits in a row (no municipality numbers)."),
)


class TilskuddUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who logs in. Log-in names never embed a municipality number, so a
    renumbering of municipalities changes nobody's log-in."""

    username = models.CharField(
        _("log-in name"), max_length=40, unique=True, validators=[username_validator],
        help_text=_("For example kari.nordmann. Never contains a municipality number."),
        error_messages={"unique": _("This log-in name is taken.")},
    )
    email = models.EmailField(_("e-mail address"))
    preferred_language = models.CharField(
        _("language"), max_length=5, blank=True,
        choices=[("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")],
    )
    oidc_subject_hash = models.CharField(max_length=64, blank=True, db_index=True)

    objects = TilskuddUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class RoleAssignment(models.Model):
    """A role a user holds in one organisation. Revoked roles are kept as history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["organization__kind", "organization__code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="role_assignment_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.organization}"


class Invitation(models.Model):
    """An invitation by e-mail to take a role in an organisation."""

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An invited person who already has an account may say no; the role is never granted.
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return (self.accepted_at is None and self.declined_at is None
                and self.expires_at > timezone.now())


class LoginFailure(models.Model):
    """A failed log-in (or a request for a password reset link), keyed by a keyed hash of
    the account, the e-mail address or the client address — never the name or address
    itself."""

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        CLIENT = "client"
        RESET_ADDRESS = "reset_address"
        RESET_CLIENT = "reset_client"

    scope = models.CharField(max_length=20, choices=Scope.choices)
    key_hash = models.CharField(max_length=64)
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key_hash", "failed_at"])]

    def __str__(self) -> str:
        return f"{self.scope} failure at {self.failed_at:%Y-%m-%d %H:%M}"
