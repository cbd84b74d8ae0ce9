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

        from .models import ObligationKind, ObligationStatus, Reminder
        from .receivers import on_grant_accepted
        from .services import MAIL_KINDS

        grant_accepted.connect(on_grant_accepted, dispatch_uid="reporting.obligations_create")
        mail_kinds_register(MAIL_KINDS)
        describe("reporting.", values={"kind": choices(ObligationKind),
                                       "old": choices(ObligationStatus),
                                       "new": choices(ObligationStatus)})
        describe("reporting.reminder_sent", values={"kind": choices(Reminder.Kind)})
