from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Models and forms load once the apps are ready (Django's rule for ready()).
        from audit.display import choices, describe

        from .forms import ApplicationForm
        from .models import PartnerConsent

        describe("applications.", fields=lambda: {
            name: str(field.label) for name, field in ApplicationForm.base_fields.items()},
            values={"answer": choices(PartnerConsent.Answer)})
