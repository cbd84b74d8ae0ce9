"""Job kinds and periodic jobs, registered by each app's tasks.py.

``@job_handler("register.xlsx")`` names the function that does a kind of job; it gets the
Job and returns nothing (it reports with jobs.services.job_progress and may finish the job
itself with job_finish, in the transaction that records what the work did).
``@periodic(...)`` also puts it on the scheduler's list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HANDLERS: dict[str, Callable] = {}


@dataclass(frozen=True)
class Periodic:
    kind: str
    label: str
    every: str  # "day" or "hour"


PERIODIC: dict[str, Periodic] = {}


def job_handler(kind: str) -> Callable[[Callable], Callable]:
    def register(function: Callable) -> Callable:
        HANDLERS[kind] = function
        return function

    return register


def periodic(kind: str, *, label: str, every: str = "day") -> Callable[[Callable], Callable]:
    """A job the scheduler starts once a day (at TILSKUDD_SCHEDULER_HOUR) or every hour."""
    if every not in ("day", "hour"):
        raise ValueError(every)

    def register(function: Callable) -> Callable:
        HANDLERS[kind] = function
        PERIODIC[kind] = Periodic(kind, label, every)
        return function

    return register


def handler_for(kind: str) -> Callable:
    return HANDLERS[kind]
