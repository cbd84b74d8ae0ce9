"""Findings: what a check found, how serious it is, in Norwegian, with the rule's source.

The rules core makes a finding from its code and the values its text uses
(``Finding("age", Severity.BLOCKS, source=..., params={"age": 17, ...})``): the text
comes from the catalogue in rules/messages.py, in bokmål as ``message`` and in any of the
portal's languages with ``text("nn")``. A finding made elsewhere (the Django apps' own
checks) gives its ``message`` itself; ``text()`` then returns that message.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .messages import LANGUAGES, MESSAGES, render


class Severity(StrEnum):
    BLOCKS = "blocks"  # the case cannot go on until this is fixed
    NEEDS_ASSESSMENT = "needs_assessment"  # a person must assess and record a justification
    INFORMATION = "information"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str = ""  # empty: the catalogue's bokmål text for code and params
    source: str = ""
    # The values the text uses (numbers, dates, words such as "places"); not compared or
    # hashed, so a finding stays hashable.
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "params", dict(self.params))
        if not self.message and self.code in MESSAGES:
            object.__setattr__(self, "message", render(self.code, "nb", self.params))

    @property
    def from_catalogue(self) -> bool:
        """Whether the text is the catalogue's (and so can be shown in other languages)."""
        if self.code not in MESSAGES:
            return False
        try:
            return render(self.code, "nb", self.params) == self.message
        except (KeyError, IndexError, ValueError, TypeError, ArithmeticError):
            return False

    def text(self, language: str | None = "nb") -> str:
        """The message in ``language`` ("nb", "nn", "en"; anything else: bokmål). A finding
        that is not from the catalogue is shown as its message."""
        if not self.from_catalogue:
            return self.message
        return render(self.code, language or "nb", self.params)

    def as_dict(self) -> dict:
        result = {"code": self.code, "severity": self.severity.value, "message": self.message,
                  "source": self.source}
        if self.params:
            result["params"] = {k: _json_value(v) for k, v in self.params.items()}
        if self.from_catalogue:
            result["messages"] = {lang: self.text(lang) for lang in LANGUAGES}
        return result


def _json_value(value: object) -> object:
    """A value for --json: never a float; Decimals as strings, dates in ISO form."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).normalize():f}"
    return str(value)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.BLOCKS]
