"""Signals the register sends for the apps above it, which the register never imports.

``year_submitted`` is sent inside ``year_submit``'s transaction with ``submission`` and
``actor``: reporting marks the register obligations of that organisation and year as
submitted (the register's submission is the report).
"""

from django.dispatch import Signal

year_submitted = Signal()
