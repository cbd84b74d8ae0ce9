from django.core.management.base import BaseCommand

from register.services import participants_discharge_due


class Command(BaseCommand):
    help = ("Discharge participants whose after-care year is over (the name is deleted). "
            "Run nightly.")

    def handle(self, *args, **options):
        count = participants_discharge_due()
        self.stdout.write(f"{count} participants discharged.")
