from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # Reporting sits above case handling: casework sends grant_accepted inside the
        # acceptance's transaction and never imports this app; the obligations are made
        # here, in that transaction.
        from audit.display import choices, describe
        from casework.signals import grant_accepted
        from core.labels import mail_kinds_register
        from register.signals import year_submitted

        from .models import AccountsApproval, ObligationKind, ObligationStatus, Reminder
        from .receivers import on_grant_accepted, on_year_submitted
        from .services import MAIL_KINDS

        grant_accepted.connect(on_grant_accepted, dispatch_uid="reporting.obligations_create")
        year_submitted.connect(on_year_submitted, dispatch_uid="reporting.register_submitted")
        mail_kinds_register(MAIL_KINDS)
        describe("reporting.", values={"kind": choices(ObligationKind),
                                       "old": choices(ObligationStatus),
                                       "new": choices(ObligationStatus),
                                       "capacity": choices(AccountsApproval.Capacity)})
        describe("reporting.reminder_sent", values={"kind": choices(Reminder.Kind)})
