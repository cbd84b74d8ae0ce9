"""Signals case handling sends for the apps above it, which casework never imports.

``grant_accepted`` is sent inside ``casework.services.grant_accept``'s transaction, after
its audit record, with ``actor``, ``application``, ``case`` and ``decision``. A receiver
works in that transaction: if it raises, the acceptance is rolled back with it. Receivers
must be idempotent (a replayed signal changes nothing).

``appeal_reversed`` is sent inside ``appeal_decide``'s transaction when the ministry
reverses a decision that is not a rejection — a hold-back or claw-back decided by money
above case handling — with ``actor``, ``appeal`` and ``letter`` (the appealed decision's
letter). The receiver undoes that decision in the same transaction.
"""

from django.dispatch import Signal

grant_accepted = Signal()
appeal_reversed = Signal()
