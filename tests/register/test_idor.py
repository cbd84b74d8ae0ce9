"""IDOR sweep: every URL that names a participant, asked by a register user of another
municipality, answers 404 — with no data in the answer and nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from register.models import Participant
from register.views import PAGES
from tests.conftest import login_as
from tests.jobs.helpers import job_download

pytestmark = pytest.mark.django_db


def participant_urls(p) -> list[tuple[str, str]]:
    measure = p.measures.first()
    urls = [("get", reverse("register:participant_detail", kwargs={"pk": p.pk})),
            ("post", reverse("register:participant_justify", kwargs={"pk": p.pk})),
            ("get", reverse("register:participant_discharge", kwargs={"pk": p.pk})),
            ("post", reverse("register:participant_discharge", kwargs={"pk": p.pk})),
            ("get", reverse("register:participant_delete", kwargs={"pk": p.pk})),
            ("post", reverse("register:participant_delete", kwargs={"pk": p.pk})),
            ("post", reverse("register:measure_remove",
                             kwargs={"pk": p.pk, "measure_id": measure.pk})),
            ("get", reverse("register:measure_edit",
                            kwargs={"pk": p.pk, "measure_id": measure.pk})),
            ("post", reverse("register:measure_edit",
                             kwargs={"pk": p.pk, "measure_id": measure.pk}))]
    for slug in PAGES:
        url = reverse("register:participant_page", kwargs={"pk": p.pk, "page": slug})
        urls += [("get", url), ("post", url)]
    return urls


def test_every_participant_url_is_covered_by_the_sweep():
    from tests.test_access_matrix import MATRIX

    with_pk = {name for name in MATRIX if name.startswith("register:participant_")
               or name.startswith("register:measure_")} - {"register:participant_create"}
    swept = {"register:participant_detail", "register:participant_justify",
             "register:participant_discharge", "register:participant_delete",
             "register:measure_remove", "register:measure_edit", "register:participant_page"}
    assert with_pk == swept


@pytest.mark.parametrize("owner_code,intruder_code", [("3301", "4202"), ("4202", "3301")])
def test_another_municipality_gets_404_and_no_data(client, owner_code, intruder_code):
    from organizations.models import Organization

    owner = Organization.objects.get(kind="municipality", code=owner_code)
    intruder = Organization.objects.get(kind="municipality", code=intruder_code)
    p = Participant.objects.filter(organization=owner, status="ended",
                                   measures__isnull=False).exclude(name="").first()
    before = (p.name, p.status, p.measures.count(), p.updated_at)
    # The same person holds the register role in both: only the active one counts.
    login_as(client, "jonas.registrering", organization=intruder)
    events = AuditEvent.objects.count()
    for method, url in participant_urls(p):
        response = getattr(client, method)(url, {"code": "age_unknown", "justification":
                                                 "Forsøk på å endre en annen kommunes data.",
                                                 "financing": "other"})
        assert response.status_code == 404, (method, url, response.status_code)
        body = response.content.decode()
        assert p.national_id not in body and p.name not in body, url
    p.refresh_from_db()
    assert (p.name, p.status, p.measures.count(), p.updated_at) == before
    assert AuditEvent.objects.count() == events  # no read or change was logged as done


def test_exports_never_contain_another_municipalitys_rows(client):
    from organizations.models import Organization

    grimstad = Organization.objects.get(kind="municipality", code="4202")
    login_as(client, "jonas.registrering", organization=grimstad)
    body = job_download(client, reverse("register:export_csv")).content.decode()
    for number in Participant.objects.filter(organization__code="3301").values_list(
            "national_id", flat=True):
        assert number not in body
