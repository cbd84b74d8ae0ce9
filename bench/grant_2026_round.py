"""Benchmark: the 2026 grant for a whole round at ten times today's national volume.

13 000 places in 400 municipalities over 12 months (today: about 1 300 places). Prints
the time; it is not a test and never fails on time. Goal: ≤ 1 second on the project's
machines (2 cores).

    uv run python bench/grant_2026_round.py
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rules.calendar_util import Month  # noqa: E402
from rules.grants.jobbsjansen_2026 import MonthlyRates, grant_2026  # noqa: E402
from rules.grants.places import PlaceUser  # noqa: E402
from rules.params import default_parameters  # noqa: E402

PLACES, MUNICIPALITIES, YEAR = 13_000, 400, 2026
RATES = MonthlyRates(Decimal("15083"), Decimal("5000"), Decimal("13583"), Decimal("4583"),
                     source="Eksempelsatser (benchmark)", example=True)


def build(seed: int = 2026) -> list[list[PlaceUser]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    weights = [rng.paretovariate(1.2) for _ in range(MUNICIPALITIES)]
    total = sum(weights)
    sizes = [max(10, round(PLACES * w / total)) for w in weights]
    municipalities = []
    for m, size in enumerate(sizes):
        users = []
        for i in range(size):
            first = rng.randint(1, 6)
            last = rng.randint(first, 12)
            users.append(PlaceUser(
                f"{m:03d}-{i:05d}", datetime.date(YEAR, first, rng.randint(1, 28)),
                rng.random() < 0.75, frozenset(Month(YEAR, k) for k in range(first, last + 1)),
            ))
        municipalities.append(users)
    return municipalities


def main() -> None:
    params = default_parameters()
    municipalities = build()
    places = sum(len(u) for u in municipalities)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        total = sum(grant_2026(users, RATES, params=params).total for users in municipalities)
        timings.append(time.perf_counter() - started)
    print(f"2026 grant, whole round: {len(municipalities)} municipalities, {places} places, "
          f"12 months")
    print(f"  total granted: {total:,.2f} NOK (example rates)")
    print(f"  time: best {min(timings):.3f} s, median {statistics.median(timings):.3f} s "
          f"over {len(timings)} runs (goal ≤ 1 s)")


if __name__ == "__main__":
    main()
