from django.core.management.base import BaseCommand, CommandError

from organizations.klass import DEFAULT_BASE_URL, KlassClient, KlassError, refresh_files
from organizations.loader import DATA_DIR, load_organizations


class Command(BaseCommand):
    help = (
        "Fetch the municipality, county and city-district code lists from Statistics "
        "Norway's KLASS, rewrite organizations/data/*.csv and load them. Needs a network."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL)
        parser.add_argument("--no-load", action="store_true", help="Only rewrite the files.")

    def handle(self, *args, base_url, no_load, **options):
        try:
            written = refresh_files(KlassClient(base_url), DATA_DIR)
        except KlassError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Written: " + ", ".join(written))
        if not no_load:
            result = load_organizations()
            self.stdout.write(f"Loaded: {result.created} created, {result.updated} updated.")
