"""Signals the portal sends for case handling above it, which applications never imports.

``withdrawal_blocked`` is asked when the application's page decides whether to show the
withdraw button for a submitted application: a receiver returns a reason (text) when its
case rules a withdrawal out, else None.

``application_withdrawing`` is sent inside ``application_withdraw``'s transaction, with
the application locked and ``actor``, before its status changes. A receiver closes the
case, or raises ValidationError when a decision stands, which rolls the withdrawal back.
"""

from django.dispatch import Signal

withdrawal_blocked = Signal()
application_withdrawing = Signal()
