import signal
import time

from django.core.management.base import BaseCommand

from jobs.scheduler import scheduler_tick


class Command(BaseCommand):
    help = ("Enqueue the periodic jobs when due (nightly ones once a day from "
            "TILSKUDD_SCHEDULER_HOUR, hourly ones every hour). Safe to run twice.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then exit.")
        parser.add_argument("--interval", type=float, default=30.0,
                            help="Seconds between two rounds (default 30).")

    def handle(self, *args, once=False, interval=30.0, **options):
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while running:
                for job in scheduler_tick():
                    self.stdout.write(f"Enqueued {job.kind} (job {job.pk}).")
                if once:
                    return
                slept = 0.0
                while running and slept < interval:
                    time.sleep(min(1.0, interval - slept))
                    slept += 1.0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
