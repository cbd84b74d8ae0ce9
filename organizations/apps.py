from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from audit.display import describe, model_fields

        from .models import Organization

        describe("organizations.", fields=model_fields(Organization))
