"""Norwegian formats, one way, for pages, PDFs, e-mails and exports.

Numbers are Norwegian in every interface language: a no-break space groups thousands
(``1 234 567``), a comma marks decimals (``11,7``), and a no-break space sits before
``kr`` and ``%`` so that an amount or a share is never broken over two lines. Dates are
``01.12.2026``; a month is ``januar 2027`` in bokmål and nynorsk and ``January 2027`` in
English (the active language). Plurals go through ``ngettext`` /
``{% blocktranslate count %}`` where the sentence is written.

Templates use the filters in ``core/templatetags/fmt.py`` (``{% load fmt %}``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone

NBSP = "\u00a0"  # no-break space: thousands and before "kr" and "%"
MINUS = "\u2212"
EMPTY = "–"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number(value, decimals: int = 0) -> str:
    """1234567.5 → '1 234 568'; number(11.66, 1) → '11,7'. Half up; '–' for no value."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = MINUS if amount < 0 else ""
    whole, _sep, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups) or "0"
    if decimals > 0:
        text += "," + fraction.ljust(decimals, "0")[:decimals]
    return sign + text


def amount(value, decimals: int = 0) -> str:
    """An amount in kroner: '1 234 567 kr' (never broken before 'kr'); '–' for none."""
    text = number(value, decimals)
    return EMPTY if text == EMPTY else f"{text}{NBSP}kr"


def percent(value, decimals: int = 1) -> str:
    """A share in per cent: '11,7 %' (never broken before '%'); '–' for none."""
    text = number(value, decimals)
    return EMPTY if text == EMPTY else f"{text}{NBSP}%"


def _local(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def date(value) -> str:
    """'01.12.2026' (a datetime is shown in Norwegian time); '–' for none."""
    if not value:
        return EMPTY
    return f"{_local(value):%d.%m.%Y}"


def datetime(value, *, seconds: bool = False) -> str:
    """'01.12.2026 14:05' (or '14:05:09' with seconds) in Norwegian time; '–' for none."""
    if not value:
        return EMPTY
    return f"{_local(value):%d.%m.%Y %H:%M:%S}" if seconds else f"{_local(value):%d.%m.%Y %H:%M}"


def month(value) -> str:
    """'januar 2027' (bokmål, nynorsk), 'January 2027' (English): the active language."""
    if not value:
        return EMPTY
    local = _local(value)
    return formats.date_format(dt.date(local.year, local.month, 1), "F Y")


def filesize(size) -> str:
    """Bytes as '17 B', '12,3 kB', '4,2 MB' (SI units, Norwegian decimals)."""
    size = _decimal(size)
    if size is None:
        return EMPTY
    if size < 1000:
        return f"{number(size)}{NBSP}B"
    if size < 1_000_000:
        return f"{number(size / 1000, 1)}{NBSP}kB"
    return f"{number(size / 1_000_000, 1)}{NBSP}MB"
