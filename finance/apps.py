from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        # Finance sits above reporting and case handling, which send their signals inside
        # their transactions and never import this app.
        from audit.display import choices, describe
        from casework.signals import appeal_reversed, grant_accepted
        from reporting.signals import report_accepted

        from .models import RunStatus
        from .receivers import on_appeal_reversed, on_grant_accepted, on_report_accepted

        grant_accepted.connect(on_grant_accepted, dispatch_uid="finance.plan_create")
        report_accepted.connect(on_report_accepted, dispatch_uid="finance.plan_refresh")
        appeal_reversed.connect(on_appeal_reversed, dispatch_uid="finance.reaction_reverse")
        describe("finance.", values={"status": choices(RunStatus)})
