"""Amounts with their explanation: every line has an amount, a formula in words and the
parameter values it used; the lines always sum to the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .params import ParameterValue
from .text import kr

ORE = Decimal("0.01")


def to_ore(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal
    formula: str = ""
    parameters: tuple[ParameterValue, ...] = ()

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "amount": str(self.amount),
            "formula": self.formula,
            "parameters": [
                {"name": p.name, "value": _json_value(p.value), "display": p.shown(),
                 "valid_from": p.valid_from.isoformat(),
                 "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                 "source": p.source} for p in self.parameters
            ],
        }


@dataclass
class Explained:
    """A result in NOK (øre precision) and the lines that make it up."""

    title: str
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, label: str, amount: Decimal, formula: str = "",
            parameters: tuple[ParameterValue, ...] = ()) -> Line:
        line = Line(label, to_ore(amount), formula, parameters)
        self.lines.append(line)
        return line

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def as_dict(self) -> dict:
        return {"title": self.title, "total": str(self.total),
                "lines": [line.as_dict() for line in self.lines], "notes": list(self.notes)}

    def as_text(self) -> str:
        width = max((len(line.label) for line in self.lines), default=10)
        rows = [self.title, "=" * len(self.title)]
        for line in self.lines:
            rows.append(f"{line.label:<{width}}  {nok(line.amount):>16}")
            if line.formula:
                rows.append(f"    {line.formula}")
            rows.extend(f"    [{p.cite()}]" for p in line.parameters)
        if self.lines:
            rows.append(f"{'Sum':<{width}}  {nok(self.total):>16}")
        rows.extend(f"NB: {note}" for note in self.notes)
        return "\n".join(rows)


def nok(amount: Decimal) -> str:
    """1234567.5 → '1 234 567,50 kr' (no-break spaces, comma decimals, minus sign)."""
    return kr(to_ore(amount), ore=True)


def _json_value(value):
    """A parameter value for JSON: numbers and dates as strings, lists as lists."""
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return str(value) if not isinstance(value, Decimal) else format(value, "f")
