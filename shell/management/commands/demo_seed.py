import contextlib
import io

from django.core.management.base import BaseCommand
from django.utils import translation

from finance.demo import build_finance_demo
from reporting.demo import build_reporting_demo
from shell.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET_B32, build_demo, demo_login_table


class Command(BaseCommand):
    help = "Build the demo (demo mode only) and print the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, quiet, **options):
        build_demo()
        # Accepted grants with reports (not in the tests' demo). Their letters go to the
        # outbox like all mail; the console's copy of each (PDFs in base64) is left out here.
        with contextlib.redirect_stdout(io.StringIO()):
            build_reporting_demo()
            build_finance_demo()
        if quiet:
            return
        with translation.override("nb"):
            table = demo_login_table()
        self.stdout.write(
            "\nDemo log-ins (all made up; demo mode only)\n"
            f"  Password for everyone: {DEMO_PASSWORD}\n"
            f"  Authenticator key (TOTP) for everyone marked 2FA: {DEMO_TOTP_SECRET_B32}\n"
            "  Add the key to an authenticator app, or get the current code with: make code\n\n"
            f"{table}\n"
        )
