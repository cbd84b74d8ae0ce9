"""Findings: what a check found, how serious it is, in Norwegian, with the rule's source."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    BLOCKS = "blocks"  # the case cannot go on until this is fixed
    NEEDS_ASSESSMENT = "needs_assessment"  # a person must assess and record a justification
    INFORMATION = "information"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    source: str

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity.value, "message": self.message,
                "source": self.source}


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.BLOCKS]
