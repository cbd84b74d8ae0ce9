"""What case handling does when the portal below it says something happened
(applications/signals.py); connected in CaseworkConfig.ready."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from applications.models import Status

from .models import Case, CaseStatus, Decision

OPEN = (CaseStatus.RECEIVED, CaseStatus.IN_ASSESSMENT)


def _decided(case: Case | None) -> bool:
    return case is not None and (
        case.status not in OPEN
        or getattr(case, "decision", None) is not None and case.decision.approved)


def withdrawal_blocked(sender, *, application, **kwargs) -> str | None:
    """A submitted application whose case has a decision can no longer be withdrawn."""
    if _decided(getattr(application, "case", None)):
        return _("The application is decided and can no longer be withdrawn.")
    return None


def close_case_on_withdrawal(sender, *, application, **kwargs) -> None:
    """Inside the withdrawal's transaction: refuse when a decision stands, else close the
    case as withdrawn (creating it for a submitted application that has none yet) and
    drop a proposal not yet approved — it goes with the application."""
    case = Case.objects.select_for_update().filter(application=application).first()
    if application.status == Status.SUBMITTED and _decided(case):
        raise ValidationError(_("The application is decided and can no longer be "
                                "withdrawn. Contact the directorate."))
    case = case or Case.objects.create(application=application)
    case.status = CaseStatus.WITHDRAWN
    case.save(update_fields=["status", "updated_at"])
    Decision.objects.filter(case=case, approved_at__isnull=True).delete()
