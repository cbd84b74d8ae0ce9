"""Dated parameters: one value per validity period, each with its source.

Values live in ``rules/data/*.toml``. A value is valid from its ``from`` date until the
next period's ``from`` (or an explicit ``to``). Old periods are kept, so a grant from 2018
computes with 2018's numbers. Fractions are written as strings ("2/3") and read exactly.

Each value's ``source`` is the public citation users see ("Rundskriv 23-15067 §8.3",
"imdi.no: Tilskuddsmidler til Jobbsjansen 2026, «…»"; see rules/sources.py); ``ref`` is the
developers' own reference (which seed, which note) and is never shown.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

from .errors import RuleError
from .text import number

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ParameterValue:
    name: str
    value: Decimal | datetime.date | tuple[str, ...]
    valid_from: datetime.date
    valid_to: datetime.date | None
    source: str
    unit: str
    display: str = ""
    ref: str = ""  # internal reference (seed and section); never shown to users

    def shown(self) -> str:
        """The value as a reader sees it: '136 549', '2/3', '15.02'."""
        if isinstance(self.value, Decimal) and "/" not in self.display:
            return number(self.value)
        return self.display or str(self.value)

    def cite(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.name} = {self.shown()} ({self.valid_from}–{end}; {self.source})"


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    periods: tuple[ParameterValue, ...]

    def at(self, on: datetime.date) -> ParameterValue:
        for period in reversed(self.periods):
            if period.valid_from <= on and (period.valid_to is None or on <= period.valid_to):
                return period
        raise MissingValue(self.name, on, self.periods[0].valid_from if self.periods else None)


class MissingValue(RuleError):
    """A parameter has no value on the date asked for (before its first period)."""

    def __init__(self, parameter: str, on: datetime.date, first: datetime.date | None = None):
        super().__init__(f"{parameter} har ingen verdi på {on:%d.%m.%Y}.",
                         field=parameter)
        self.parameter, self.on, self.first = parameter, on, first


def _value(raw):
    """Numbers and fractions as exact Decimals; dates and lists as they are."""
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, list):
        return tuple(raw)
    if isinstance(raw, str) and "/" in raw:
        fraction = Fraction(raw)
        return Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return Decimal(str(raw))


def _flatten(prefix: str, table: dict) -> dict[str, dict]:
    if "values" in table:
        return {prefix: table}
    found = {}
    for key, value in table.items():
        if isinstance(value, dict):
            found |= _flatten(f"{prefix}.{key}" if prefix else key, value)
    return found


class Parameters:
    def __init__(self, parameters: dict[str, Parameter]):
        self._parameters = parameters

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Parameters:
        parameters: dict[str, Parameter] = {}
        for path in sorted(data_dir.glob("*.toml")):
            with path.open("rb") as handle:
                document = tomllib.load(handle)
            for name, table in _flatten("", document).items():
                raw = sorted(table["values"], key=lambda v: v["from"])
                periods = []
                for index, item in enumerate(raw):
                    following = raw[index + 1]["from"] if index + 1 < len(raw) else None
                    end = item.get("to") or (
                        following - datetime.timedelta(days=1) if following else None
                    )
                    periods.append(ParameterValue(
                        name=name, value=_value(item["value"]), valid_from=item["from"],
                        valid_to=end, source=item["source"], unit=table["unit"],
                        display=str(item["value"]), ref=item.get("ref", ""),
                    ))
                if name in parameters:
                    raise RuleError(f"{name} er definert to ganger ({path.name}).")
                parameters[name] = Parameter(name, table["description"], table["unit"],
                                             tuple(periods))
        return cls(parameters)

    def get(self, name: str, on: datetime.date) -> ParameterValue:
        try:
            return self._parameters[name].at(on)
        except KeyError:
            raise RuleError(f"Ukjent parameter {name}.", field=name) from None

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def parameter(self, name: str) -> Parameter:
        return self._parameters[name]


@cache
def default_parameters() -> Parameters:
    return Parameters.load()
