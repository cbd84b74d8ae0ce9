"""Deadlines of the participant register (seed 000 §Individrapportering, seed 002 §8.2)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from .params import Parameters, default_parameters


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    source: str


def submission_deadline(year: int, *, params: Parameters | None = None) -> Deadline:
    """The day by which the records of ``year`` are submitted (in the following year)."""
    params = params or default_parameters()
    value = params.get("register.submission_deadline", datetime.date(year + 1, 1, 1))
    month, day = (int(part) for part in value.value)
    return Deadline(datetime.date(year + 1, month, day), value.source)


def after_care_ends(end_date: datetime.date, *, params: Parameters | None = None
                    ) -> datetime.date:
    """The last day of after-care; a participant still not discharged then is discharged."""
    params = params or default_parameters()
    months = int(params.get("register.after_care_months", end_date).value)
    month_index = end_date.month - 1 + months
    year, month = end_date.year + month_index // 12, month_index % 12 + 1
    day = min(end_date.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)
