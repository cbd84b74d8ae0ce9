from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        # Each app's tasks.py registers its job handlers and periodic jobs (jobs.registry),
        # so the worker and the scheduler know every kind without importing upward.
        autodiscover_modules("tasks")
