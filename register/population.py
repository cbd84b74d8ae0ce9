"""The population register (Folkeregisteret): who a national id number belongs to.

The register fetches the name (and date of birth, which the age rule needs: from 2032 a
number no longer tells it) — the municipality never types them (seed 000).

Two implementations of one small interface:

* ``LocalPopulationRegister`` reads a data file of synthetic persons (Tenor-style test
  numbers). Demo and tests use it; it is the default outside production.
* ``FolkeregisteretPopulationRegister`` is the production shape: Skatteetaten's
  Folkeregisteret API for public bodies ("offentlig med hjemmel"), reached with a
  Maskinporten access token. It cannot be reached from here, so it is **not tested
  against the real service**; docs/register.md lists what production needs.

Select with the setting ``TILSKUDD_POPULATION_REGISTER`` ("local" or "folkeregisteret").
"""

from __future__ import annotations

import csv
import datetime
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DATA_FILE = Path(__file__).resolve().parent / "data" / "synthetic-persons.csv"


@dataclass(frozen=True)
class Person:
    name: str
    birth_date: datetime.date | None


class PopulationRegisterUnavailable(Exception):
    """The register could not be asked (network, authentication). Not "unknown number"."""


class PopulationRegister(Protocol):
    def lookup(self, national_id: str) -> Person | None:
        """The person with this number, or None when the register does not know it."""


class LocalPopulationRegister:
    """Synthetic persons from a CSV file: national_id,given_name,family_name,birth_date."""

    def __init__(self, path: Path = DATA_FILE):
        self._people = _read_people(str(path))

    def lookup(self, national_id: str) -> Person | None:
        return self._people.get(national_id)

    def numbers(self) -> list[str]:
        return list(self._people)


@cache
def _read_people(path: str) -> dict[str, Person]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            row["national_id"]: Person(
                name=f"{row['given_name']} {row['family_name']}",
                birth_date=datetime.date.fromisoformat(row["birth_date"]),
            )
            for row in csv.DictReader(handle)
        }


class MaskinportenTokenProvider(Protocol):
    def token(self, scope: str) -> str: ...


class FolkeregisteretPopulationRegister:
    """Production adapter (not reachable here; see the module docstring).

    GET {base_url}/folkeregisterperson/{number}?part=navn&part=foedsel with a
    Maskinporten token for the scope ``folkeregister:deling/offentligmedhjemmel``.
    """

    SCOPE = "folkeregister:deling/offentligmedhjemmel"

    def __init__(self, base_url: str, tokens: MaskinportenTokenProvider, timeout: float = 5.0):
        if not base_url.startswith("https://"):
            raise ImproperlyConfigured("Folkeregisteret is reached over HTTPS only.")
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.timeout = timeout

    def lookup(self, national_id: str) -> Person | None:
        url = (f"{self.base_url}/folkeregisterperson/{national_id}"
               "?part=navn&part=foedsel")
        request = urllib.request.Request(url, headers={  # noqa: S310 (https only, above)
            "Authorization": f"Bearer {self.tokens.token(self.SCOPE)}",
            "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return person_from_folkeregisteret(json.load(response))
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise PopulationRegisterUnavailable(f"HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError) as error:
            raise PopulationRegisterUnavailable(type(error).__name__) from None


def person_from_folkeregisteret(document: dict) -> Person | None:
    """Read the current name and birth date from a Folkeregisteret person document."""

    def current(items):
        items = items or []
        for item in items:
            if item.get("erGjeldende"):
                return item
        return items[0] if items else None

    name = current(document.get("navn"))
    if not name:
        return None
    parts = [name.get("fornavn"), name.get("mellomnavn"), name.get("etternavn")]
    birth = current(document.get("foedsel")) or {}
    born = birth.get("foedselsdato")
    return Person(name=" ".join(p for p in parts if p),
                  birth_date=datetime.date.fromisoformat(born) if born else None)


def population_register() -> PopulationRegister:
    kind = getattr(settings, "TILSKUDD_POPULATION_REGISTER", "local")
    if kind == "local":
        return LocalPopulationRegister()
    if kind == "folkeregisteret":
        raise ImproperlyConfigured(
            "The Folkeregisteret adapter needs a Maskinporten client (certificate or key, "
            "client id, scope grant from Skatteetaten); see docs/register.md.")
    raise ImproperlyConfigured(f"Unknown TILSKUDD_POPULATION_REGISTER {kind!r}")
