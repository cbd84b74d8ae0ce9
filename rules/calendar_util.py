"""Months as (year, month) and the dates the rules need."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from .errors import RuleError


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, value: str, *, field: str = "month") -> Month:
        try:
            year, month = (int(part) for part in value.split("-")[:2])
            result = cls(year, month)
            result.first_day  # noqa: B018 - validates
            return result
        except (ValueError, AttributeError):
            raise RuleError(f"{value!r} er ikke en måned (ÅÅÅÅ-MM).", field=field) from None

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_between(start: datetime.date, end: datetime.date) -> list[Month]:
    if end < start:
        raise RuleError("Sluttdatoen er før startdatoen.", field="end")
    months, current = [], Month.of(start)
    while current <= Month.of(end):
        months.append(current)
        current = current.next()
    return months


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
