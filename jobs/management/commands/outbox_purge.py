"""Delete sent and failed e-mail older than TILSKUDD_OUTBOX_RETENTION_DAYS from the outbox.

The scheduler runs it nightly (jobs.tasks, "mail.outbox_purge"); this is for a manual run.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.tasks import outbox_purge


class Command(BaseCommand):
    help = "Delete sent and failed e-mail older than the outbox's retention period."

    def handle(self, *args, **options):
        count = outbox_purge()
        self.stdout.write(f"outbox_purge: {count} e-mail older than "
                          f"{settings.TILSKUDD_OUTBOX_RETENTION_DAYS} days deleted")
