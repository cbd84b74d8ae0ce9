from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The top of the house: navigation, start pages, help pages, the administration
    pages that read across apps, error pages and the demo data. It imports the apps;
    nothing imports it (tests/test_layers.py)."""

    name = "shell"
    verbose_name = _("Shell")
