"""The public documents the rules rest on, named as users see them.

Developers know the documents as the seeds 000–004 (../shared/seeds, cited so in comments
and in the ``ref`` field of rules/data/*.toml). Whatever reaches a user — a finding's
source, an explanation, a parameter's ``source`` — names the public document instead:

| seed | public document |
|---|---|
| 000 | imdi.no: Tilskuddsmidler til Jobbsjansen 2026 (the web page for municipalities) |
| 001 | imdi.no: Jobbsjansen 2018, del B (the 2018 page; it has no title of its own) |
| 002 | Rundskriv 23-15067, «Tilskudd til pilotering av per capita-basert Jobbsjansen 2024» |
| 003 | imdi.no: Tilskudd til utvikling av kvalifiserings- og integreringstiltak (2025) |
| 004 | imdi.no: Forsøksordning med per capita-basert finansiering av Jobbsjansen (2022) |

The web pages have headings, not numbered paragraphs, so they are cited by heading in
«…»; the circular by its paragraph number (§8.3).
"""

from __future__ import annotations

import re

JOBBSJANSEN_2026 = "imdi.no: Tilskuddsmidler til Jobbsjansen 2026"  # seed 000
PART_B_2018 = "imdi.no: Jobbsjansen 2018, del B"  # seed 001
CIRCULAR_2024 = "Rundskriv 23-15067"  # seed 002
DEVELOPMENT_2025 = ("imdi.no: Tilskudd til utvikling av kvalifiserings- og "
                    "integreringstiltak")  # seed 003
PILOT_2022 = ("imdi.no: Forsøksordning med per capita-basert finansiering av "
              "Jobbsjansen")  # seed 004

PUBLIC_DOCUMENTS = (JOBBSJANSEN_2026, PART_B_2018, CIRCULAR_2024, DEVELOPMENT_2025, PILOT_2022)
# Acts, regulations and other public sources cited beside (or instead of) the documents.
PUBLIC_OTHER = ("integreringsloven", "introduksjonsloven", "folketrygdloven",
                "sosialtjenesteloven", "forvaltningsloven", "forskrift", "ot.prp.", "nav.no:",
                "imdis publiserte")
# What must never reach a user as a citation: internal names and file names.
INTERNAL = re.compile(r"\bseed\b|\bissue\b|\.(json|md|toml|py)\b|navikt|parameters\.md",
                      re.IGNORECASE)


def page(document: str, heading: str) -> str:
    """A web page cited by one of its headings."""
    return f"{document}, «{heading}»"


def circular(section: str) -> str:
    """The 2024 circular cited by paragraph: ``circular("8.3")`` → "Rundskriv 23-15067 §8.3"."""
    return f"{CIRCULAR_2024} §{section}"


def is_public_citation(text: str) -> bool:
    """True if ``text`` cites a public document and names nothing internal."""
    lowered = text.lower()
    return bool(text.strip()) and not INTERNAL.search(text) and (
        any(doc.lower() in lowered for doc in PUBLIC_DOCUMENTS)
        or any(other in lowered for other in PUBLIC_OTHER))
