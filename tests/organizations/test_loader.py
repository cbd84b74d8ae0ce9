import datetime
import shutil

import pytest

from organizations.loader import DATA_DIR, load_organizations
from organizations.models import MunicipalityChange, Organization, OrganizationCode
from organizations.models import OrganizationKind as K
from organizations.selectors import organization_code_at, organization_resolve_code

pytestmark = pytest.mark.django_db


def test_all_code_lists_are_loaded():
    assert Organization.objects.filter(kind=K.MUNICIPALITY).count() == 357
    assert Organization.objects.filter(kind=K.COUNTY).count() == 15
    assert Organization.objects.filter(kind=K.CITY_DISTRICT).count() == 15
    assert Organization.objects.filter(kind=K.DIRECTORATE).count() == 1
    assert Organization.objects.filter(kind=K.REGIONAL_OFFICE).count() == 6
    assert MunicipalityChange.objects.count() == 115


def test_numbers_keep_their_leading_zero():
    oslo = Organization.objects.get(kind=K.MUNICIPALITY, code="0301")
    assert oslo.parent.code == "03"
    assert Organization.objects.get(kind=K.CITY_DISTRICT, code="030101").name == "Gamle Oslo"


def test_loading_again_changes_nothing():
    before = OrganizationCode.objects.count()
    result = load_organizations()
    assert (result.created, result.updated, result.codes, result.changes) == (0, 0, 0, 0)
    assert OrganizationCode.objects.count() == before


def test_a_renumbered_municipality_is_the_same_organisation_with_its_old_number():
    drammen = Organization.objects.get(kind=K.MUNICIPALITY, code="3301")
    codes = {(c.code, c.valid_to) for c in drammen.codes.all()}
    assert ("3005", datetime.date(2023, 12, 31)) in codes
    assert ("3301", None) in codes
    assert drammen.valid_from is None  # it existed before 2024
    assert organization_code_at(drammen, datetime.date(2023, 6, 1)).code == "3005"
    assert organization_code_at(drammen, datetime.date(2024, 6, 1)).code == "3301"


@pytest.mark.parametrize(
    ("old", "successors"),
    [("3005", ["3301"]), ("1507", ["1508", "1580"]), ("5414", ["5516"]), ("0301", ["0301"])],
)
def test_an_old_number_resolves_to_its_successors(old, successors):
    assert [org.code for org in organization_resolve_code(old)] == successors


def test_alesund_split_continues_alesund_and_starts_haram():
    alesund = Organization.objects.get(kind=K.MUNICIPALITY, code="1508")
    haram = Organization.objects.get(kind=K.MUNICIPALITY, code="1580")
    assert alesund.codes.filter(code="1507").exists()
    assert not haram.codes.filter(code="1507").exists()
    assert haram.valid_from == datetime.date(2024, 1, 1)


def test_names_change_over_time():
    oslo = Organization.objects.get(kind=K.MUNICIPALITY, code="0301")
    assert organization_code_at(oslo, datetime.date(2025, 6, 1)).name == "Oslo"
    assert organization_code_at(oslo, datetime.date(2026, 6, 1)).name == "Oslo - Oslove"
    assert oslo.short_name == "Oslo"


def test_every_county_has_a_regional_office():
    assert not Organization.objects.filter(kind=K.COUNTY, regional_office__isnull=True).exists()
    assert Organization.objects.get(kind=K.MUNICIPALITY, code="1508").region().code == "IMDI-MIDT"
    assert Organization.objects.get(kind=K.CITY_DISTRICT, code="030101").region().code == \
        "IMDI-OST"


def test_a_broken_data_file_loads_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "oslo-city-districts.csv").open("a", encoding="utf-8") as handle:
        handle.write("030199,Uoppgitt\n")
    (data / "municipalities-2026-01-01.csv").write_text(
        (data / "municipalities-2026-01-01.csv").read_text(encoding="utf-8")
        + "9998,Nykommune,98\n", encoding="utf-8")
    before = Organization.objects.count()
    with pytest.raises(KeyError):
        load_organizations(data_dir=data)
    assert Organization.objects.count() == before
