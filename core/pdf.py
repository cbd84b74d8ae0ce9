"""PDF rendering: an HTML template through WeasyPrint, tagged (PDF/UA-1) for screen readers.

Fonts come from the system (DejaVu, installed with Debian's fonts-dejavu-core); the
Makefile's system-deps target installs Pango and the fonts when they are missing.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from .text import clean_shown


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": language})
    # Text stored before controls were removed at input must not reorder a letter.
    html = clean_shown(html)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
