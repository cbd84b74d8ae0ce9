from django.core.management.base import BaseCommand

from casework.services import grants_lapse_due


class Command(BaseCommand):
    help = "Grants not accepted by their deadline lapse, and the applicant is told. Nightly."

    def handle(self, *args, **options):
        self.stdout.write(f"{grants_lapse_due()} grants lapsed.")
