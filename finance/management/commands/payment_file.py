"""Write an approved payment run's pain.001 to standard output: the stored file, checked
against its hash — the same bytes the finance officer downloads, never a new payment.

    uv run python manage.py payment_file RUN       # the run with this number (or U-000001)
    uv run python manage.py payment_file --latest  # the newest approved run
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core import files
from finance.models import PaymentRun


class Command(BaseCommand):
    help = "Write an approved payment run's pain.001 file to standard output."

    def add_arguments(self, parser):
        parser.add_argument("run", nargs="?", help="the run's number, e.g. 12 or U-000012")
        parser.add_argument("--latest", action="store_true",
                            help="the newest approved run with a payment file")

    def handle(self, *args, run=None, latest=False, **options):
        if bool(run) == bool(latest):
            raise CommandError("Give a run's number or --latest (one of them).")
        runs = PaymentRun.objects.exclude(file_sha256="")
        if latest:
            found = runs.order_by("-approved_at", "-pk").first()
            if found is None:
                raise CommandError("No approved payment run has a payment file yet.")
        else:
            number = str(run).upper().removeprefix("U-").lstrip("0") or "0"
            if not number.isdigit():
                raise CommandError(f"{run!r} is not a run number.")
            found = runs.filter(pk=int(number)).first()
            if found is None:
                raise CommandError(f"Run {run} does not exist or has no payment file (it is "
                                   "made when the run is approved).")
        try:
            data = files.read(found.file_name, found.file_sha256)
        except files.FileIntegrityError as error:
            raise CommandError(f"The stored file of {found.reference} fails its hash "
                               f"check: {error}") from None
        if hasattr(self.stdout, "buffer"):  # a real terminal or pipe: the exact bytes
            self.stdout.flush()
            self.stdout.buffer.write(data)
            self.stdout.buffer.flush()
        else:  # captured (tests): the same text
            self.stdout.write(data.decode("utf-8"), ending="")
