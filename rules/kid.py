"""KID numbers (kundeidentifikasjon): the Norwegian payment reference.

A KID is 2 to 25 ASCII digits whose last digit is a check digit, computed either with
MOD10 (Luhn: weights 2, 1, 2, 1 … from the right, digit sums of the products) or with
MOD11 (weights 2, 3, 4, 5, 6, 7 repeating from the right). The payee chooses which; a
reader accepts a KID valid under either.

For MOD11 a remainder of 0 gives check digit 0, and a remainder of 1 would need check
digit 10: some payees write "-" then, but such a KID cannot go in a payment file as
digits only, so it is refused here.

Only the ASCII digits 0–9 are digits (``str.isdigit`` also accepts other scripts).
"""

from __future__ import annotations

import re

MIN_LENGTH = 2
MAX_LENGTH = 25
_DIGITS = re.compile(r"[0-9]+")
_MOD11_WEIGHTS = (2, 3, 4, 5, 6, 7)


def _digits(base: str) -> list[int]:
    if not isinstance(base, str) or not _DIGITS.fullmatch(base):
        raise ValueError(f"a KID base must be ASCII digits only, got {base!r}")
    return [ord(c) - 48 for c in base]


def _mod10_digit(base: str) -> int:
    total = 0
    for position, digit in enumerate(reversed(_digits(base))):
        product = digit * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _mod11_digit(base: str) -> int:
    total = sum(digit * _MOD11_WEIGHTS[position % 6]
                for position, digit in enumerate(reversed(_digits(base))))
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        raise ValueError(f"{base!r} has no MOD11 check digit (remainder 1)")
    return 11 - remainder


def kid_mod10(base: str) -> str:
    """``base`` with its MOD10 (Luhn) check digit appended."""
    return base + str(_mod10_digit(base))


def kid_mod11(base: str) -> str:
    """``base`` with its MOD11 check digit appended; ValueError when the remainder is 1."""
    return base + str(_mod11_digit(base))


def is_valid_kid(kid: str) -> bool:
    """Digits only, 2 to 25 long, and the last digit a valid MOD10 or MOD11 check digit."""
    if not isinstance(kid, str) or not _DIGITS.fullmatch(kid):
        return False
    if not MIN_LENGTH <= len(kid) <= MAX_LENGTH:
        return False
    base, check = kid[:-1], int(kid[-1])
    if _mod10_digit(base) == check:
        return True
    try:
        return _mod11_digit(base) == check
    except ValueError:
        return False
