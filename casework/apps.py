from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case handling")

    def ready(self) -> None:
        # Models load once the apps are ready (Django's rule for ready()).
        from applications import signals
        from audit.display import choices, describe
        from core.labels import mail_kinds_register

        from . import receivers
        from .models import Appeal, ChangeRequest, Criterion, Decision, Letter, RejectionReason

        signals.withdrawal_blocked.connect(receivers.withdrawal_blocked,
                                           dispatch_uid="casework.withdrawal_blocked")
        signals.application_withdrawing.connect(receivers.close_case_on_withdrawal,
                                                dispatch_uid="casework.close_case")

        # A letter goes out as the e-mail kind "<letter kind>_letter" (casework/letters.py).
        mail_kinds_register({f"{kind}_letter": label for kind, label in Letter.Kind.choices})
        describe("casework.", values={"outcome": choices(Appeal.Outcome),
                                      "reason": choices(RejectionReason),
                                      "criteria": choices(Criterion)})
        describe("casework.screened", values={"outcome": lambda: {
            "passed": _("passes to assessment"),
            "rejected": _("rejected (avvisning)")}})
        describe("casework.letter_sent", values={"kind": choices(Letter.Kind)})
        for event in ("casework.decision_proposed", "casework.decision_approved"):
            describe(event, values={"kind": choices(Decision.Kind)})
        for event in ("casework.change_requested", "casework.change_decided"):
            describe(event, values={"kind": choices(ChangeRequest.Kind),
                                    "status": choices(ChangeRequest.Status)})
