"""Identity numbers: fødselsnummer and D-number, with the 2032 rule.

From 2032 (Skatteetaten's "nytt fødselsnummer") the first check digit may leave a
remainder of 0, 1, 2 or 3 instead of only 0, and the individual number no longer tells
gender or century. So this module **never derives a birth date or gender** from a number:
those come from the population register. It only says whether a number is well formed.

Synthetic test numbers (Tenor/"Test-Norge": month + 80; NAV's test tool: month + 40) are
accepted only when ``allow_synthetic`` is set — never in production.

Only the ASCII digits 0–9 are digits here. ``str.isdigit()`` and ``int()`` also accept
Arabic-Indic (٠١٢), fullwidth (０１２) and superscript (¹²³) digits, so a number typed with
them would be a second person (or a crash); they are refused with a clear message. Spaces
of any kind (also non-breaking) are removed first.

Organisation and account numbers are python-stdnum's (``stdnum.no.orgnr``, ``kontonr``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum.no import kontonr, orgnr

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
K1_ALLOWED_REMAINDERS = frozenset({0, 1, 2, 3})  # 0 before 2032; 0–3 from 2032
SYNTHETIC_MONTH_OFFSETS = (80, 40)  # Tenor (Test-Norge), NAV's test tool
ELEVEN_ASCII_DIGITS = re.compile(r"[0-9]{11}")


class IdKind(StrEnum):
    FODSELSNUMMER = "fodselsnummer"
    D_NUMBER = "d_number"


@dataclass(frozen=True)
class NationalId:
    number: str
    kind: IdKind
    synthetic: bool

    def masked(self) -> str:
        """For screens and logs that must not show the number: the first six digits hidden."""
        return "******" + self.number[6:]


class InvalidIdNumber(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _weighted(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11


def normalise_national_id(value) -> str:
    """The number as typed without spaces of any kind; anything but text gives ""."""
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if not ch.isspace())


def validate_national_id(value: str, *, allow_synthetic: bool = False) -> NationalId:
    """Validate a fødselsnummer or D-number; raise InvalidIdNumber with a Norwegian message."""
    number = normalise_national_id(value)
    if not ELEVEN_ASCII_DIGITS.fullmatch(number):
        if len(number) == 11 and any(ch.isdigit() or ch.isnumeric() for ch in number):
            raise InvalidIdNumber("format", "Et fødselsnummer eller D-nummer har 11 sifre. "
                                            "Skriv det med vanlige sifre (0–9).")
        raise InvalidIdNumber("format", "Et fødselsnummer eller D-nummer har 11 sifre (0–9).")
    digits = [int(ch) for ch in number]
    if _weighted(digits[:10], K1_WEIGHTS) not in K1_ALLOWED_REMAINDERS or _weighted(
        digits, K2_WEIGHTS
    ) != 0:
        raise InvalidIdNumber(
            "checksum", "Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig."
        )
    day, month = int(number[0:2]), int(number[2:4])
    kind = IdKind.FODSELSNUMMER
    if day > 40:
        kind, day = IdKind.D_NUMBER, day - 40
    synthetic = False
    for offset in SYNTHETIC_MONTH_OFFSETS:
        if offset < month <= offset + 12:
            synthetic, month = True, month - offset
            break
    if synthetic and not allow_synthetic:
        raise InvalidIdNumber("synthetic", "Dette er et syntetisk testnummer, ikke et ekte "
                                           "fødselsnummer eller D-nummer.")
    # The century is unknown (and unknowable from 2032), so 29 February is always allowed.
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise InvalidIdNumber("date", "De seks første sifrene er ikke en gyldig dato.")
    return NationalId(number=number, kind=kind, synthetic=synthetic)


def is_valid_national_id(value: str, *, allow_synthetic: bool = False) -> bool:
    try:
        validate_national_id(value, allow_synthetic=allow_synthetic)
    except InvalidIdNumber:
        return False
    return True


def is_valid_org_number(value: str) -> bool:
    return orgnr.is_valid(value)


def is_valid_account_number(value: str) -> bool:
    return kontonr.is_valid(value)
