"""Discharge deletes the name and deletion deletes everything — and neither leaves a copy.

After a whole life in the register (created, pages filled, read, exported, ended,
discharged — and another participant deleted), the test dumps every row of every table
(sessions decoded), every log record and every file the system wrote, and searches them
for the name and the id number.
"""

from __future__ import annotations

import base64
import datetime
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from register.models import Participant
from tests.conftest import login_as
from tests.jobs.helpers import job_download

from .conftest import recent_start

pytestmark = pytest.mark.django_db


def database_dump() -> dict[str, str]:
    """Every table's rows as text (the same on SQLite and PostgreSQL)."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump[table] = "\n".join(repr(row) for row in cursor.fetchall())
    for session in Session.objects.all():  # session data is encoded: decode it too
        dump[f"session {session.pk}"] = repr(SessionStore().decode(session.session_data))
    return dump


def files_written() -> str:
    texts = []
    for root in (Path(settings.MEDIA_ROOT),):
        if root.exists():
            texts += [path.read_bytes().decode("latin-1") for path in root.rglob("*")
                      if path.is_file()]
    return "\n".join(texts)


def variants(text: str) -> list[str]:
    """The value as written, and as it would look base64-encoded or JSON-escaped."""
    return [text, base64.b64encode(text.encode()).decode()[:-4],
            text.encode("unicode_escape").decode()]


def live_through_the_register(client, number: str) -> Participant:
    client.post(reverse("register:participant_create"), {
        "national_id": number, "start_date": recent_start().isoformat(),
        "financing": "allowance"})
    p = Participant.objects.get(national_id=number)
    page = lambda slug: reverse("register:participant_page",  # noqa: E731
                                kwargs={"pk": p.pk, "page": slug})
    client.post(page("bakgrunn"), {"family_situation": "single", "children": "1",
                                   "youngest_child_age": "3", "introduction": "never"})
    client.post(page("tiltak"), {"measure-measure": "norwegian",
                                 "measure-start_date": p.start_date.isoformat()})
    client.get(reverse("register:participant_detail", kwargs={"pk": p.pk}))
    # Searched by number and by name: the session keeps neither.
    client.post(reverse("register:overview_search"), {"q": number})
    client.post(reverse("register:overview_search"), {"q": p.name})
    client.get(reverse("register:overview"))
    job_download(client, reverse("register:export_csv"))
    job_download(client, reverse("register:export_xlsx"))
    client.post(page("avslutning"), {
        "end_date": (datetime.date.today() - datetime.timedelta(days=100)).isoformat(),
        "end_reason": "work", "transition": "work", "position_percent": "100",
        "industry": "86", "employment": "permanent", "absence_percent": "3"})
    client.post(page("etteroppfolging"), {"followup-point": "3", "followup-status": "work",
                                          "followup-recorded_on":
                                          datetime.date.today().isoformat()})
    return p


def unique_person(fresh_number) -> str:
    """A fresh number whose made-up name no other participant has (the synthetic names
    repeat), so finding the name anywhere means a copy."""
    from register.population import LocalPopulationRegister

    people = LocalPopulationRegister()
    taken = set(Participant.objects.values_list("name", flat=True))
    while True:
        number = fresh_number()
        if people.lookup(number).name not in taken:
            return number


def test_discharge_and_deletion_leave_no_copy(client, drammen, fresh_number, caplog):
    caplog.set_level(logging.DEBUG)
    login_as(client, "jonas.registrering", organization=drammen)

    kept = live_through_the_register(client, unique_person(fresh_number))
    kept_name = kept.name
    assert kept_name
    response = client.post(reverse("register:participant_discharge", kwargs={"pk": kept.pk}))
    assert response.status_code == 302

    gone = live_through_the_register(client, unique_person(fresh_number))
    gone_name, gone_number, gone_pk = gone.name, gone.national_id, gone.pk
    client.post(reverse("register:participant_delete", kwargs={"pk": gone_pk}))
    assert not Participant.objects.filter(pk=gone_pk).exists()

    dump = database_dump()
    logs = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    files = files_written()
    assert len(dump) > 20 and "register_participant" in dump and logs

    for secret in (kept_name, gone_name, gone_number):
        for form in variants(secret):
            holders = [table for table, text in dump.items() if form in text]
            assert holders == [], f"{secret!r} found in {holders}"
            assert form not in logs
            assert form not in files
    # The discharged participant's id number stays for statistics — in its own row only.
    holders = [table for table, text in dump.items() if kept.national_id in text]
    assert holders == ["register_participant"], holders
    audit = dump["audit_auditevent"]
    assert f"'participant_id': {gone_pk}" in audit or f'"participant_id": {gone_pk}' in audit
