from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = _("Schemes and rounds")

    def ready(self) -> None:
        from audit.display import describe, model_fields

        from .models import Round

        describe("schemes.", fields=model_fields(Round))
