"""Signals reporting sends for the apps above it (money), which it never imports.

``report_accepted`` is sent inside ``report_accept``'s transaction, with the obligation
locked, ``record`` (the accepted UsageSnapshot, the certified ReportVersion, or None for
the register report) and ``actor``. The money issue pays on accepted used-places and
participant reports from here."""

from django.dispatch import Signal

report_accepted = Signal()
