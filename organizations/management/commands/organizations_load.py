from django.core.management.base import BaseCommand

from organizations.loader import load_organizations


class Command(BaseCommand):
    help = "Load (or update) municipalities, counties, city districts and the directorate."

    def handle(self, *args, **options):
        result = load_organizations()
        self.stdout.write(
            f"Organisations: {result.created} created, {result.updated} updated; "
            f"{result.codes} code rows and {result.changes} changes added."
        )
        for note in result.notes:
            self.stderr.write(note)
