from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case handling")

    def ready(self) -> None:
        from core.labels import mail_kinds_register

        from .models import Letter

        # A letter goes out as the e-mail kind "<letter kind>_letter" (casework/letters.py).
        mail_kinds_register({f"{kind}_letter": label for kind, label in Letter.Kind.choices})
