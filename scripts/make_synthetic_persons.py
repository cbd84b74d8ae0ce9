"""Write register/data/synthetic-persons.csv: made-up persons with synthetic id numbers.

Tenor-style numbers (month + 80) with correct check digits, so they pass validation only
where synthetic numbers are allowed (demo and tests). Deterministic: the same file every
run. Run: uv run python scripts/make_synthetic_persons.py
"""

import csv
import datetime
import random
from pathlib import Path

GIVEN = ["Amina", "Fatima", "Hodan", "Samira", "Leyla", "Marta", "Ayan", "Nasra", "Zainab",
         "Hawa", "Sahra", "Mariam", "Rahel", "Senait", "Aster", "Lina", "Noor", "Yasmin",
         "Parisa", "Shirin", "Olena", "Iryna", "Kateryna", "Anna", "Dilnoza", "Farida",
         "Khadija", "Asha", "Ifrah", "Najma", "Ruqia", "Hibo", "Deka", "Saida", "Teresa"]
FAMILY = ["Hassan", "Mohamed", "Ali", "Ahmed", "Abdi", "Yusuf", "Omar", "Tesfaye", "Haile",
          "Bekele", "Rahimi", "Karimi", "Hosseini", "Kovalenko", "Shevchenko", "Bondarenko",
          "Nguyen", "Tran", "Osman", "Ibrahim", "Jama", "Warsame", "Gebremedhin", "Alemu"]
K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(digits, weights):
    rest = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if rest == 11 else (None if rest == 10 else rest)


def synthetic_number(born: datetime.date, serial: int) -> str | None:
    individual = (500 + serial % 500) if born.year >= 2000 else serial % 500
    base = f"{born.day:02d}{born.month + 80:02d}{born.year % 100:02d}{individual:03d}"
    k1 = check_digit(base, K1)
    if k1 is None:
        return None
    k2 = check_digit(base + str(k1), K2)
    return None if k2 is None else f"{base}{k1}{k2}"


def main() -> None:
    rng = random.Random(2026)  # noqa: S311 (made-up persons, reproducible)
    out = Path(__file__).resolve().parent.parent / "register" / "data" / "synthetic-persons.csv"
    rows, serial = [], 0
    while len(rows) < 400:
        # Mostly the target group (18–55 at a 2020s start), a few outside it for the checks.
        born = datetime.date(rng.choice(range(1962, 2008)), rng.randint(1, 12), rng.randint(1, 28))
        serial += 1
        number = synthetic_number(born, serial * 7)
        if number and number not in {r[0] for r in rows}:
            rows.append((number, rng.choice(GIVEN), rng.choice(FAMILY), born.isoformat()))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["national_id", "given_name", "family_name", "birth_date"])
        writer.writerows(rows)
    print(f"{len(rows)} synthetic persons written to {out}")


if __name__ == "__main__":
    main()
