"""A small client for Statistics Norway's classification service KLASS.

Used by ``manage.py organizations_refresh_klass`` where a network exists. Nothing at run
time or in the suite depends on reaching KLASS: the code lists are shipped in data/.
"""

from __future__ import annotations

import csv
import datetime
import json
import urllib.parse
import urllib.request
from pathlib import Path

DEFAULT_BASE_URL = "https://data.ssb.no/api/klass/v1"
MUNICIPALITIES, COUNTIES, CITY_DISTRICTS = 131, 104, 103
UNSPECIFIED = {"9999", "99", "030199", "030116", "030117"}  # "Uoppgitt", Sentrum, Marka


class KlassError(RuntimeError):
    pass


class KlassClient:
    def __init__(self, base_url: str = DEFAULT_BASE_URL, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _get(self, path: str, **params) -> dict:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        if not url.startswith(("https://", "http://127.", "http://localhost")):
            raise KlassError(f"Refusing to fetch from {url}: https is required.")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, headers={"Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.load(response)
        except OSError as exc:
            raise KlassError(f"Could not reach KLASS at {self.base_url}: {exc}") from exc

    def codes_at(self, classification: int, on: datetime.date) -> list[dict]:
        data = self._get(
            f"/classifications/{classification}/codesAt", date=on.isoformat(), language="nb"
        )
        return [c for c in data.get("codes", []) if c["code"] not in UNSPECIFIED]

    def changes(self, classification: int, start: datetime.date, end: datetime.date) -> list[dict]:
        data = self._get(
            f"/classifications/{classification}/changes",
            **{"from": start.isoformat(), "to": end.isoformat()},
        )
        return data.get("codeChanges", [])


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)


def refresh_files(client: KlassClient, data_dir: Path) -> list[str]:
    """Fetch every list first, then write them; a failed fetch writes nothing."""
    manifest_path = data_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    planned: list[tuple[Path, list[str], list[list[str]]]] = []
    for filename, meta in manifest["files"].items():
        if meta["kind"] == "municipalities":
            on = datetime.date.fromisoformat(meta["valid_from"])
            codes = client.codes_at(MUNICIPALITIES, on)
            rows = [[c["code"], c["name"], c["code"][:2]] for c in codes]
            planned.append((data_dir / filename, ["code", "name", "county_code"], rows))
        elif meta["kind"] == "counties":
            on = datetime.date.fromisoformat(meta["valid_from"])
            rows = [[c["code"], c["name"]] for c in client.codes_at(COUNTIES, on)]
            planned.append((data_dir / filename, ["code", "name"], rows))
        elif meta["kind"] == "city_districts":
            on = max(datetime.date.fromisoformat(meta["valid_from"]), datetime.date.today())
            rows = [[c["code"], c["name"]] for c in client.codes_at(CITY_DISTRICTS, on)
                    if c["code"].startswith(meta["parent"])]
            planned.append((data_dir / filename, ["code", "name"], rows))
        elif meta["kind"] == "municipality_changes":
            changes = client.changes(
                MUNICIPALITIES, datetime.date(2023, 12, 31), datetime.date(2024, 1, 1)
            )
            rows = [
                [c["oldCode"], c["oldName"], c["newCode"], c["newName"], c["changeOccurred"]]
                for c in changes
                if c.get("oldCode") and c.get("newCode") and c["oldCode"] != c["newCode"]
            ]
            planned.append((
                data_dir / filename,
                ["old_code", "old_name", "new_code", "new_name", "changed_on"],
                rows,
            ))
    for path, _header, rows in planned:
        if not rows:
            raise KlassError(f"KLASS returned no rows for {path.name}; nothing was written.")
    for path, header, rows in planned:
        _write(path, header, rows)
    return [path.name for path, _header, _rows in planned]
