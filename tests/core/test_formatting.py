"""Norwegian formats, one way (core/formatting.py and the ``fmt`` template filters), and no
codes in front of people: the outbox's kinds, the audit log's details and the case
timeline in words, every page's template through the one formatting module."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core import formatting
from tests.conftest import login_as

NBSP = "\xa0"


@pytest.mark.parametrize(("value", "shown"), [
    (1234567, f"1{NBSP}234{NBSP}567{NBSP}kr"),
    ("3600000", f"3{NBSP}600{NBSP}000{NBSP}kr"),
    (Decimal("999.50"), f"1{NBSP}000{NBSP}kr"),  # whole kroner, half up
    (0, f"0{NBSP}kr"),
    (-2500, f"\u22122{NBSP}500{NBSP}kr"),
    (None, "–"), ("", "–"), ("abc", "–"), (Decimal("NaN"), "–"), (float("inf"), "–"),
])
def test_amounts_group_with_a_no_break_space_and_never_break_before_kr(value, shown):
    assert formatting.amount(value) == shown


def test_numbers_percentages_and_decimals_use_a_comma():
    assert formatting.number(Decimal("11.66"), 1) == "11,7"
    assert formatting.number(2.5, 2) == "2,50"
    assert formatting.number(12345.678, 2) == f"12{NBSP}345,68"
    assert formatting.percent(Decimal("11.66")) == f"11,7{NBSP}%"
    assert formatting.percent(20, 0) == f"20{NBSP}%"
    assert formatting.amount(Decimal("1234.5"), 2) == f"1{NBSP}234,50{NBSP}kr"
    assert formatting.number(10**15) == NBSP.join(["1", "000", "000", "000", "000", "000"])


def test_dates_are_dd_mm_yyyy_in_norwegian_time():
    assert formatting.date(datetime.date(2026, 12, 1)) == "01.12.2026"
    utc = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert formatting.date(utc) == "01.01.2027"  # already the next day in Oslo
    assert formatting.datetime(utc) == "01.01.2027 00:30"
    assert formatting.datetime(utc, seconds=True) == "01.01.2027 00:30:00"
    assert formatting.date(None) == "–"


@pytest.mark.parametrize(("language", "shown"), [
    ("nb", "januar 2027"), ("nn", "januar 2027"), ("en", "January 2027")])
def test_months_in_the_active_language(language, shown):
    with translation.override(language):
        assert formatting.month(datetime.date(2027, 1, 15)) == shown


def test_the_template_filters_are_the_module():
    html = Template(
        "{% load fmt %}{{ a|amount }}|{{ p|percent }}|{{ d|short_date }}|{{ d|month_year }}|"
        "{{ n|number:2 }}|{{ s|size }}").render(Context({
            "a": Decimal("4140000"), "p": Decimal("23.33"), "d": datetime.date(2027, 1, 5),
            "n": Decimal("4.5"), "s": 12345}))
    assert html == (f"4{NBSP}140{NBSP}000{NBSP}kr|23,3{NBSP}%|05.01.2027|januar 2027|4,50|"
                    f"12,3{NBSP}kB")


# Templates other engineers own (the register, its exports) are theirs to convert.
NOT_MINE = ("register/",)
RAW = re.compile(r"\|(intcomma|filesizeformat|floatformat)\b|\|date:")


def test_every_page_formats_through_the_module():
    """No template shows an amount with intcomma, a date with Django's date filter or a
    size with filesizeformat: each goes through core/formatting.py (the filters in
    core/templatetags/fmt.py). A number in an input's value stays raw."""
    offenders = []
    root = Path(settings.BASE_DIR) / "templates"
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        name = str(path.relative_to(root))
        if name.startswith(NOT_MINE):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            line = re.sub(r'value="[^"]*"', "", line)
            if RAW.search(line):
                offenders.append(f"{name}:{number}")
    assert not offenders, ("format through core/formatting.py: {% load fmt %} and |amount, "
                           f"|number, |percent, |short_date, |short_datetime, |size: {offenders}")


def test_no_developer_text_in_templates():
    root = Path(settings.BASE_DIR) / "templates"
    found = [str(p.relative_to(root)) for p in root.rglob("*.html")
             if not str(p.relative_to(root)).startswith(NOT_MINE)
             and re.search(r"\b(seed|issue)\b", re.sub(r"\{#.*?#\}|\{% comment %\}.*?"
                                                          r"\{% endcomment %\}", "",
                                                          p.read_text(), flags=re.S), re.I)]
    assert not found, found


# -- organisations by their official names -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "code", "official"), [
    ("municipality", "3301", "Drammen kommune"), ("county", "46", "Vestland fylkeskommune"),
    ("city_district", "030101", "Bydel Gamle Oslo"), ("county", "03", "Oslo kommune"),
    ("municipality", "0301", "Oslo kommune")])
def test_official_names(kind, code, official):
    from organizations.models import Organization

    assert Organization.objects.get(kind=kind, code=code).official_name == official


# -- the outbox ------------------------------------------------------------------------


def _kinds_sent_by_the_code() -> set[str]:
    kinds = set()
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        if path.relative_to(root).parts[0] in ("tests", ".venv", "node_modules", "bench"):
            continue
        text = path.read_text()
        for call in re.finditer(r"(mail_queue|notify_applicant)\((.*?)\)", text, re.S):
            kinds.update(re.findall(r'kind="([a-z_]+)"', call.group(2)))
    return kinds


def test_every_kind_of_e_mail_has_a_label():
    from casework.models import Letter
    from core.labels import MAIL_KINDS, mail_kind_label

    kinds = _kinds_sent_by_the_code()
    assert {"application_receipt", "password_reset", "invitation"} <= kinds
    missing = sorted(k for k in kinds if k not in MAIL_KINDS)
    assert not missing, f"give these kinds of e-mail a label in core/labels.py: {missing}"
    with translation.override("en"):
        for kind in Letter.Kind.values:
            assert mail_kind_label(f"{kind}_letter") == str(Letter.Kind(kind).label)
        assert mail_kind_label("grant_letter") == "Grant letter"
        assert mail_kind_label("made_up") == "Other e-mail"


@pytest.mark.django_db
def test_the_outbox_shows_kinds_as_labels(client):
    from core.models import OutboundEmail

    OutboundEmail.objects.create(kind="grant_letter", recipients=["a@example.org"],
                                 subject="Brev", body="x")
    OutboundEmail.objects.create(kind="application_receipt", recipients=["a@example.org"],
                                 subject="Kvittering", body="x")
    login_as(client, "ingrid.admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("shell:outbox")).content.decode()
    assert "<td>Grant letter</td>" in html and "Receipt for a signed application" in html
    assert "grant_letter" not in html and "application_receipt" not in html


# -- the audit log and the case timeline ------------------------------------------------


def test_every_audit_payload_key_has_a_label():
    from audit.display import KEYS
    from audit.events import SPECS

    declared = set().union(*(spec.payload_keys for spec in SPECS.values()))
    missing = sorted(declared - set(KEYS))
    assert not missing, f"give these audit details a label in audit/display.py: {missing}"


@pytest.mark.django_db
def test_audit_details_are_words_not_codes(client):
    from applications.models import Application
    from audit.display import event_details
    from audit.events import EventType
    from audit.models import AuditEvent
    from audit.services import audit_record

    application = Application.objects.filter(status="submitted").first()
    saved = audit_record(event_type=EventType.APPLICATION_SAVED, target=application,
                         payload={"application_id": application.pk, "version": 3,
                                  "fields": ["places_with_g", "budget_staff"]})
    screened = audit_record(event_type=EventType.CASE_SCREENED, target=application,
                            payload={"application_id": application.pk, "case_id": 1,
                                     "outcome": "rejected", "reason": "late"})
    proposed = audit_record(event_type=EventType.DECISION_PROPOSED, target=application,
                            payload={"application_id": application.pk, "case_id": 1,
                                     "kind": "commitment", "amount": 4000000})
    with translation.override("en"):
        assert [(d.label, d.value) for d in event_details(saved)] == [
            ("Application", application.reference), ("Version", "3"),
            ("Changed", "Places for participants with the 1G allowance, "
                        "Budget: staff (NOK)")]
        shown = {d.label: d.value for d in event_details(screened)}
        assert shown["Outcome"] == "rejected (avvisning)"
        assert shown["Reason"] == "The application came after the deadline"
        shown = {d.label: d.value for d in event_details(proposed)}
        assert shown == {"Application": application.reference, "Case": "#1",
                         "Kind": "Grant", "Amount": f"4{NBSP}000{NBSP}000{NBSP}kr"}

    login_as(client, "ingrid.admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("audit:search"), {"event_type": "applications.saved"}
                      ).content.decode()
    assert "Changed: Places for participants with the 1G allowance" in html
    assert "fields=" not in html and "places_with_g" not in html
    assert f"Application {application.reference}" in html
    assert "applications.application #" not in html
    assert AuditEvent.objects.filter(pk=saved.pk).exists()


@pytest.mark.django_db
def test_the_case_timeline_says_what_happened(client):
    from applications.models import Application
    from casework import services
    from organizations.models import Organization
    from tests.register.conftest import actor_for

    application = Application.objects.get(organization__code="3301", status="submitted")
    officer = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    services.case_screen(actor=officer, application=application, passed=True)
    login_as(client, "ola.saksbehandler")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("casework:case", kwargs={"pk": application.pk})).content.decode()
    timeline = html[html.index('id="timeline-heading"'):]
    assert "Outcome: passes to assessment" in timeline
    assert "outcome=" not in timeline and "passed" not in timeline
    assert "content_hash" not in timeline and "application_id" not in timeline


# -- per scheme -------------------------------------------------------------------------


@pytest.mark.django_db
def test_development_grant_rounds_show_their_own_conditions(client):
    from schemes.models import GrantModel, Round

    development = Round.objects.filter(scheme__grant_model=GrantModel.DEVELOPMENT).first()
    jobbsjansen = Round.objects.filter(scheme__grant_model=GrantModel.JOBBSJANSEN_2026).first()
    assert development.conditions != jobbsjansen.conditions
    html = client.get(reverse("schemes:round_detail", kwargs={"pk": development.pk})
                      ).content.decode()
    assert "minst ti deltakere" in html and "egenandel" in html
    assert "minst 10 plasser" not in html and "20 % egenfinansiering" not in html
    assert "Seed" not in html


def test_an_assessed_finding_is_named_in_the_audit_log_not_coded():
    from django.utils import translation

    from audit.display import event_details
    from audit.models import AuditEvent

    event = AuditEvent(event_type="register.finding_assessed",
                       payload={"participant_id": 1, "code": "age_unknown"})
    with translation.override("nn"):
        text = " ".join(str(part) for part in event_details(event, users={}))
    assert "age_unknown" not in text and "alder ukjend" in text
