"""Loading the organisation code lists (data/*.csv) into the database, idempotently.

Run it as often as you like: it creates what is missing, updates names that changed and
never deletes an organisation (users, roles and grants hang on them).
"""

from __future__ import annotations

import csv
import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from audit.events import EventType
from audit.services import audit_record

from .models import MunicipalityChange, Organization, OrganizationCode, OrganizationKind

DATA_DIR = Path(__file__).resolve().parent / "data"
K = OrganizationKind


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    codes: int = 0
    changes: int = 0
    notes: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _continuations(changes: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """For each old code, the change row whose new code continues the same organisation:
    the only successor, or among several (a split) the one with the same name."""
    successors: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in changes:
        successors[row["old_code"]].append(row)
    result = {}
    for old_code, rows in successors.items():
        if len(rows) == 1:
            result[old_code] = rows[0]
        else:
            same_name = [r for r in rows if r["new_name"] == r["old_name"]]
            if len(same_name) == 1:
                result[old_code] = same_name[0]
    return result


class _Loader:
    def __init__(self, data_dir: Path, today: datetime.date):
        self.data_dir = data_dir
        self.today = today
        self.manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
        self.result = LoadResult()

    def source(self, filename: str) -> str:
        return self.manifest["files"][filename]["source"]

    def upsert(self, kind: str, code: str, **fields) -> Organization:
        org = Organization.objects.filter(kind=kind, code=code).first()
        if org is None:
            org = Organization.objects.create(kind=kind, code=code, **fields)
            self.result.created += 1
            return org
        changed = [name for name, value in fields.items() if getattr(org, name) != value]
        if changed:
            for name in changed:
                setattr(org, name, fields[name])
            org.save(update_fields=[*changed, "updated_at"])
            self.result.updated += 1
        return org

    def code_row(self, org, code, name, valid_from, valid_to, source) -> None:
        row, created = OrganizationCode.objects.get_or_create(
            organization=org, code=code, name=name,
            defaults={"valid_from": valid_from, "valid_to": valid_to, "source": source},
        )
        if created:
            self.result.codes += 1
        elif (row.valid_from, row.valid_to) != (valid_from, valid_to):
            row.valid_from, row.valid_to = valid_from, valid_to
            row.save(update_fields=["valid_from", "valid_to"])

    # -- the lists, in dependency order ---------------------------------------------

    def directorate(self) -> None:
        filename = "directorate.csv"
        rows = _rows(self.data_dir / filename)
        by_code: dict[str, Organization] = {}
        for row in rows:
            parent = by_code.get(row["parent"]) if row["parent"] else None
            org = self.upsert(row["kind"], row["code"], name=row["name"], parent=parent)
            by_code[row["code"]] = org
        self.region_of_county = {
            county: by_code[row["code"]]
            for row in rows
            for county in row["counties"].split(";")
            if county
        }

    def counties(self) -> None:
        filename = "counties-2024-01-01.csv"
        valid_from = _date(self.manifest["files"][filename]["valid_from"])
        for row in _rows(self.data_dir / filename):
            org = self.upsert(
                K.COUNTY, row["code"], name=row["name"],
                regional_office=self.region_of_county.get(row["code"]),
            )
            self.code_row(org, row["code"], row["name"], valid_from, None, self.source(filename))

    def municipalities(self) -> None:
        counties = {o.code: o for o in Organization.objects.filter(kind=K.COUNTY)}
        lists = sorted(
            (
                (_date(meta["valid_from"]), filename)
                for filename, meta in self.manifest["files"].items()
                if meta["kind"] == "municipalities"
            ),
        )
        changes = _rows(self.data_dir / "municipality-changes-2024.csv")
        new_codes = {row["new_code"]: _date(row["changed_on"]) for row in changes}
        continuing = {row["new_code"] for row in _continuations(changes).values()}
        # names[code] = [(valid_from, name, source), ...] in date order
        names: dict[str, list[tuple[datetime.date, str, str]]] = defaultdict(list)
        county_of: dict[str, str] = {}
        for valid_from, filename in lists:
            for row in _rows(self.data_dir / filename):
                history = names[row["code"]]
                if not history or history[-1][1] != row["name"]:
                    history.append((valid_from, row["name"], self.source(filename)))
                county_of[row["code"]] = row["county_code"]
        for code, history in names.items():
            current = [name for since, name, _src in history if since <= self.today]
            name = current[-1] if current else history[0][1]
            # A renumbered municipality is the same organisation as before; only a
            # successor that does not continue an old one starts on the change date.
            starts = None if code in continuing else new_codes.get(code)
            org = self.upsert(K.MUNICIPALITY, code, name=name, parent=counties[county_of[code]],
                              valid_from=starts)
            for index, (since, row_name, source) in enumerate(history):
                # The first list's date is a snapshot, not the start: a code that was not
                # new in that list was valid before it, from a date the list does not say.
                start = since if index else new_codes.get(code)
                end = (history[index + 1][0] - datetime.timedelta(days=1)
                       if index + 1 < len(history) else None)
                self.code_row(org, code, row_name, start, end, source)

    def municipality_changes(self) -> None:
        filename = "municipality-changes-2024.csv"
        rows = _rows(self.data_dir / filename)
        for row in rows:
            _obj, created = MunicipalityChange.objects.get_or_create(
                old_code=row["old_code"], new_code=row["new_code"],
                changed_on=_date(row["changed_on"]),
                defaults={"old_name": row["old_name"], "new_name": row["new_name"],
                          "source": self.source(filename)},
            )
            self.result.changes += int(created)
        continuations = _continuations(rows)
        for old_code in {row["old_code"] for row in rows} - set(continuations):
            self.result.notes.append(f"{old_code}: no successor continues the organisation")
        for old_code, row in continuations.items():
            org = Organization.objects.get(kind=K.MUNICIPALITY, code=row["new_code"])
            self.code_row(org, old_code, row["old_name"], None,
                          _date(row["changed_on"]) - datetime.timedelta(days=1),
                          self.source(filename))

    def city_districts(self) -> None:
        filename = "oslo-city-districts.csv"
        meta = self.manifest["files"][filename]
        oslo = Organization.objects.get(kind=K.MUNICIPALITY, code=meta["parent"])
        for row in _rows(self.data_dir / filename):
            org = self.upsert(K.CITY_DISTRICT, row["code"], name=row["name"], parent=oslo)
            self.code_row(org, row["code"], row["name"], _date(meta["valid_from"]), None,
                          self.source(filename))


def load_organizations(
    *, data_dir: Path = DATA_DIR, today: datetime.date | None = None, actor=None
) -> LoadResult:
    """Load every code list in ``data_dir`` in one transaction (all or nothing)."""
    loader = _Loader(data_dir, today or datetime.date.today())
    with transaction.atomic():
        loader.directorate()
        loader.counties()
        loader.municipalities()
        loader.municipality_changes()
        loader.city_districts()
        result = loader.result
        audit_record(
            event_type=EventType.ORGANIZATIONS_LOADED,
            actor=actor,
            payload={"source": "data", "created": result.created, "updated": result.updated,
                     "codes": result.codes, "changes": result.changes},
        )
    return result
