"""Signals case handling sends for the apps above it, which casework never imports.

``grant_accepted`` is sent inside ``casework.services.grant_accept``'s transaction, after
its audit record, with ``actor``, ``application``, ``case`` and ``decision``. A receiver
works in that transaction: if it raises, the acceptance is rolled back with it. Receivers
must be idempotent (a replayed signal changes nothing).
"""

from django.dispatch import Signal

grant_accepted = Signal()
