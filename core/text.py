"""User text made safe to show and to store.

Bidirectional control characters (the embeddings and overrides U+202A–U+202E and the
isolates U+2066–U+2069) let typed text reorder what stands around it: a right-to-left
override in a project title reversed the directorate's own sentence in a stored rejection
letter. They have no use in this service's text (Arabic or Hebrew names display correctly
without them: the characters carry their own direction), so they are removed from every
submitted value, and again from every page and PDF rendered, for text stored before. The
null character cannot be stored in PostgreSQL's text columns and is removed with them.
"""

from __future__ import annotations

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVE = {ord(c): None for c in BIDI_CONTROLS + "\x00"}
_REMOVE_SHOWN = {ord(c): None for c in BIDI_CONTROLS}


def clean_text(value: str) -> str:
    """The value without bidirectional controls and null characters."""
    return value.translate(_REMOVE)


def clean_shown(value: str) -> str:
    """Rendered text (a page, a PDF's HTML) without bidirectional controls."""
    return value.translate(_REMOVE_SHOWN)


def has_controls(value: str) -> bool:
    return any(c in value for c in BIDI_CONTROLS + "\x00")
