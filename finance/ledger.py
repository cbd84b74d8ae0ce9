"""The sub-ledger: post an entry whose lines sum to zero, once per idempotency key; read
balances per grant, round, year or organisation. Entries are never changed: a correction
is ``reverse`` (the same lines with opposite signs, linked to what it reverses)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from .models import Account, EntryKind, JournalEntry, JournalLine


class UnbalancedEntry(ValueError):
    """The lines of an entry do not sum to zero."""


@dataclass(frozen=True)
class Posting:
    account: str
    amount_ore: int


def post(*, kind: str, key: str, case, lines: list[Posting], text: str, grant_year: int,
         plan_line=None, payment=None, prepared_by=None, approved_by=None,
         reverses: JournalEntry | None = None) -> JournalEntry:
    """Post one entry (in the caller's transaction). Posting the same ``key`` again
    returns the entry already posted and writes nothing."""
    lines = _check(key, lines)
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    application = case.application
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                kind=kind, idempotency_key=key, case=case,
                organization_id=application.organization_id, round_id=application.round_id,
                grant_year=grant_year, plan_line=plan_line, payment=payment, reverses=reverses,
                text=text[:300], prepared_by=prepared_by, approved_by=approved_by,
                posted_at=timezone.now())
            JournalLine.objects.bulk_create(
                [JournalLine(entry=entry, account=line.account, amount_ore=line.amount_ore)
                 for line in lines])
    except IntegrityError:  # posted by a concurrent transaction a moment ago
        return JournalEntry.objects.get(idempotency_key=key)
    return entry


def _check(key: str, lines: list[Posting]) -> list[Posting]:
    lines = [line for line in lines if line.amount_ore != 0]
    if not lines or sum(line.amount_ore for line in lines) != 0:
        raise UnbalancedEntry(f"{key}: the lines sum to "
                              f"{sum(line.amount_ore for line in lines)} øre, not 0")
    if any(line.account not in Account.values for line in lines):
        raise ValueError(f"{key}: unknown account")
    return lines


class Batch:
    """Entries posted together, in two inserts (the caller's transaction): for work that
    moves many lines at once (plans.plan_refresh). Each key is new by construction there —
    its line was waiting and is locked — and the unique constraint still refuses a second
    posting, failing the whole transaction rather than posting twice."""

    def __init__(self) -> None:
        self._entries: list[tuple[JournalEntry, list[Posting]]] = []

    def add(self, *, kind: str, key: str, case, lines: list[Posting], text: str,
            grant_year: int, plan_line=None, prepared_by=None) -> None:
        lines = _check(key, lines)
        application = case.application
        self._entries.append((JournalEntry(
            kind=kind, idempotency_key=key, case=case,
            organization_id=application.organization_id, round_id=application.round_id,
            grant_year=grant_year, plan_line=plan_line, text=text[:300],
            prepared_by=prepared_by, posted_at=timezone.now()), lines))

    def flush(self) -> int:
        if not self._entries:
            return 0
        entries = JournalEntry.objects.bulk_create([entry for entry, _lines in self._entries])
        JournalLine.objects.bulk_create([
            JournalLine(entry=entry, account=line.account, amount_ore=line.amount_ore)
            for entry, (_unsaved, lines) in zip(entries, self._entries, strict=True)
            for line in lines])
        count, self._entries = len(entries), []
        return count


def move(account_from: str, account_to: str, amount_ore: int) -> list[Posting]:
    """Money moving from one account to another: credit the first, debit the second."""
    return [Posting(account_from, -amount_ore), Posting(account_to, amount_ore)]


def reverse(entry: JournalEntry, *, key: str, text: str, prepared_by=None) -> JournalEntry:
    """The correction of an entry: its lines with opposite signs."""
    return post(kind=EntryKind.REVERSAL, key=key, case=entry.case, grant_year=entry.grant_year,
                lines=[Posting(line.account, -line.amount_ore) for line in entry.lines.all()],
                text=text, plan_line=entry.plan_line, payment=entry.payment,
                prepared_by=prepared_by, reverses=entry)


def balances(lines: QuerySet[JournalLine]) -> dict[str, int]:
    """The balance of each account over ``lines`` (every account, 0 when unused)."""
    found = dict.fromkeys(Account.values, 0)
    rows = (lines.order_by().values("account").annotate(total=Sum("amount_ore"))
            .values_list("account", "total"))
    for account, total in rows:
        found[account] = total or 0
    return found


def balances_by(field: str, lines: QuerySet[JournalLine]) -> dict[object, dict[str, int]]:
    """Balances per value of ``field`` of the entry ("case", "round", "grant_year",
    "organization"), in one query."""
    found: dict[object, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Account.values, 0))
    rows = (lines.order_by().values(f"entry__{field}", "account")
            .annotate(total=Sum("amount_ore"))
            .values_list(f"entry__{field}", "account", "total"))
    for key, account, total in rows:
        found[key][account] = total or 0
    return dict(found)
