"""Norwegian (bokmål) wording for the explanations: numbers, amounts, shares, plurals and
lists of place numbers.

The same conventions as the portal's formatting (core/formatting.py), without Django: a
no-break space groups thousands and sits before "kr" and "%", a comma marks decimals, and
a minus sign (−) marks negative amounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
MINUS = "\u2212"
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")


def number(value: Decimal | int, decimals: int | None = None) -> str:
    """136549 → '136 549'; 7.5 → '7,5'; number(Decimal('15.04'), 1) → '15,0'.

    Without ``decimals`` a number is shown as exactly as it is, without trailing zeros."""
    value = Decimal(value)
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{abs(value):f}"
    else:
        text = f"{abs(value).normalize():f}"
    whole, _, fraction = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    shown = NBSP.join(groups) or "0"
    if fraction:
        shown += "," + fraction
    return (MINUS if value < 0 else "") + shown


def kr(amount: Decimal | int, *, ore: bool | None = None) -> str:
    """15083 → '15 083 kr'; 15083.5 → '15 083,50 kr'. Øre are shown when there are any
    (or always, with ``ore=True``)."""
    amount = Decimal(amount)
    show_ore = ore if ore is not None else amount != amount.to_integral()
    return f"{number(amount, 2 if show_ore else 0)}{NBSP}kr"


def percent(share: Decimal, decimals: int = 1) -> str:
    """A share (0.667) as a percentage: '66,7 %'."""
    return f"{number(Decimal(share) * 100, decimals)}{NBSP}%"


def plural(count: Decimal | int, one: str, many: str) -> str:
    """'1 plass', '2 plasser', '0 plasser', '1,5 timer'."""
    return f"{number(count)} {one if count == 1 else many}"


def join(items: Iterable[str], last: str = "og") -> str:
    """'a', 'a og b', 'a, b og c' (or 'a, b eller c')."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def number_list(numbers: Iterable[int]) -> str:
    """Place numbers as read aloud: '1 og 3', '1, 3 og 5', '1–15', '1–3 og 7'.

    A span (with a dash) is used only for three or more numbers in a row, so "1–3" always
    means 1, 2 and 3; two neighbours are written out ("1 og 2")."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
    return join(parts)


def places(numbers: Iterable[int]) -> str:
    """'plass 1', 'plass 1 og 3', 'plass 1–15'."""
    return f"plass {number_list(numbers)}"


def month_name(year: int, month: int) -> str:
    """'januar 2027'."""
    return f"{MONTHS[month - 1]} {year}"
