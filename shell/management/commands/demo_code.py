import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shell.demo import demo_totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo users (demo mode only)."

    def handle(self, *args, **options):
        if not settings.TILSKUDD_DEMO_MODE:
            raise CommandError("Only in demo mode.")
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{demo_totp_code()}  (valid for {left} more seconds)")
