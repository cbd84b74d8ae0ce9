"""The four scheme variants of the seeds, each with its real historical round, and demo
rounds placed relative to today: Jobbsjansen and part B open, the development grant
closing in three days, the per-capita pilot closed ten days ago."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organizations.models import Organization

from .models import OSLO, FocusArea, GrantModel, ReportingDuty, Round, Scheme

SCHEMES = [
    ("jobbsjansen", "Jobbsjansen", GrantModel.JOBBSJANSEN_2026,
     "imdi.no: Tilskuddsmidler til Jobbsjansen 2026",
     "Tilskudd til kommuner og Oslos bydeler for kvalifisering av innvandrerkvinner som står "
     "langt fra arbeidslivet."),
    ("jobbsjansen-pilot", "Jobbsjansen – pilot med per capita-finansiering",
     GrantModel.PER_CAPITA_2024,
     "Rundskriv 23-15067: Tilskudd til pilotering av per capita-basert Jobbsjansen 2024",
     "Pilot der tilskuddet følger antall deltakere."),
    ("jobbsjansen-del-b", "Jobbsjansen del B", GrantModel.PART_B_2018,
     "imdi.no: Jobbsjansen 2018, del B",
     "Et fjerde år med grunnleggende kvalifisering for deltakere i introduksjonsprogrammet."),
    ("utviklingstilskudd", "Utviklingstilskudd", GrantModel.DEVELOPMENT,
     "imdi.no: Tilskudd til utvikling av kvalifiserings- og integreringstiltak (2025)",
     "Tilskudd til utviklingsprosjekter innenfor satsingsområdene."),
]

CONDITIONS = ("Søkeren må ha minst 10 plasser eller deltakere. Kommunen må bidra med minst 20 % "
              "egenfinansiering. Søknaden må ha både kvantitative og kvalitative resultatmål. "
              "Søknaden signeres av kommunedirektøren eller den som har fullmakt.")
# The development grant has its own conditions and criteria (imdi.no: Tilskudd til
# utvikling av kvalifiserings- og integreringstiltak, «Vilkår for å få tilskudd»).
DEV_CONDITIONS = ("Prosjektet må ha minst ti deltakere. Kommunen eller fylkeskommunen må bidra "
                  "med egenandel i prosjektet og vise til tidligere prosjekter av god kvalitet "
                  "innen kvalifiserings-, integrerings- eller mangfoldsfeltet eller andre "
                  "relevante områder. Går flere sammen om å søke, signerer og leverer den som "
                  "påtar seg prosjektansvaret. Søknaden godkjennes av kommune- eller "
                  "fylkeskommunedirektøren, bydelsdirektøren eller den som har fullmakt.")
DEV_CRITERIA = ("Formål (i tråd med ordningens formål og satsingsområder), gjennomføringsevne og "
                "nasjonal overføringsverdi.")
CRITERIA = ("Mål og målgruppe, gjennomføringsevne, tidligere resultater (flerårige søknader) og "
            "overføringsverdi.")
EXAMPLE_RATES = dict(rate_start_with_g=Decimal(16000), rate_start_without_g=Decimal(8000),
                     rate_base_with_g=Decimal(14500), rate_base_without_g=Decimal(6500),
                     rates_source="EKSEMPELSATSER for demo – ikke rundskrivets satser")
DEV_AREAS = [
    (1, "Innovative løsninger i introduksjonsprogrammet og opplæringen i norsk",
     ["municipality", "city_district", "county"]),
    (2, "Tiltak som gir psykososial støtte", ["municipality", "city_district", "county"]),
    (4, "Velkomsttjenester (bare fylkeskommuner, gjerne sammen med kommuner)", ["county"]),
    (5, "Mangfold, og mot rasisme og diskriminering", ["municipality", "city_district",
                                                        "county"]),
]
PILOT_CODES = ["5007", "4202", "3907", "3209", "3911"]  # Namsos, Grimstad, Sandefjord,
# Ullensaker, Færder (seed 002 §3)


def _at(day: datetime.date, hour=23, minute=59) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def build_schemes_demo() -> None:
    today = timezone.localdate()
    with transaction.atomic():
        schemes = {}
        for key, name, model, source, description in SCHEMES:
            schemes[key], _c = Scheme.objects.get_or_create(key=key, defaults={
                "name": name, "grant_model": model, "source": source,
                "description": description})
        if Round.objects.exists():
            return
        municipal = ["municipality", "city_district"]
        rounds = [
            # The real rounds of the seeds (historical, closed).
            (schemes["jobbsjansen"], "Jobbsjansen 2026", 2026, _at(datetime.date(2025, 12, 1), 9,
                                                                    0),
             _at(datetime.date(2026, 2, 25)), Decimal(120_000_000), municipal, [], True,
             EXAMPLE_RATES),
            (schemes["jobbsjansen-pilot"], "Jobbsjansen – pilot per capita 2024", 2024,
             _at(datetime.date(2023, 12, 1), 9, 0), _at(datetime.date(2024, 1, 26)),
             Decimal(10_600_000), ["municipality"], PILOT_CODES, True, {}),
            (schemes["jobbsjansen-del-b"], "Jobbsjansen 2018 del B", 2018,
             _at(datetime.date(2017, 12, 1), 9, 0), _at(datetime.date(2018, 2, 1)),
             Decimal(20_000_000), municipal, [], True, {}),
            (schemes["utviklingstilskudd"], "Utviklingstilskudd 2025", 2025,
             _at(datetime.date(2024, 12, 1), 9, 0), _at(datetime.date(2025, 2, 19)),
             Decimal(30_000_000), municipal + ["county"], [], True, {}),
            # Demo rounds relative to today.
            (schemes["jobbsjansen"], f"Jobbsjansen {today.year + 1}", today.year + 1,
             _at(today - datetime.timedelta(days=20), 9, 0),
             _at(today + datetime.timedelta(days=45)), Decimal(125_000_000), municipal, [],
             False, EXAMPLE_RATES),
            (schemes["utviklingstilskudd"], f"Utviklingstilskudd {today.year + 1}",
             today.year + 1, _at(today - datetime.timedelta(days=40), 9, 0),
             _at(today + datetime.timedelta(days=3)), Decimal(32_000_000),
             municipal + ["county"], [], False, {}),
            (schemes["jobbsjansen-del-b"], f"Jobbsjansen del B {today.year + 1} (demo)",
             today.year + 1, _at(today - datetime.timedelta(days=10), 9, 0),
             _at(today + datetime.timedelta(days=20)), Decimal(15_000_000), municipal, [],
             False, {}),
            (schemes["jobbsjansen-pilot"], f"Jobbsjansen – pilot per capita {today.year}",
             today.year, _at(today - datetime.timedelta(days=80), 9, 0),
             _at(today - datetime.timedelta(days=10)), Decimal(10_600_000), ["municipality"],
             PILOT_CODES, False, {}),
        ]
        now = timezone.now()
        for scheme, title, year, opens, deadline, frame, kinds, named, historical, rates in \
                rounds:
            development = scheme.grant_model == GrantModel.DEVELOPMENT
            r = Round.objects.create(
                scheme=scheme, title=title, year=year, opens_at=opens, deadline=deadline,
                budget_frame=frame, applicant_kinds=kinds,
                conditions=DEV_CONDITIONS if development else CONDITIONS,
                criteria=DEV_CRITERIA if development else CRITERIA, historical=historical,
                description=scheme.description,
                status=Round.Status.OPEN if deadline > now else Round.Status.CLOSED, **rates)
            if named:
                r.named_applicants.set(Organization.objects.filter(kind="municipality",
                                                                   code__in=named))
            if scheme.grant_model == GrantModel.DEVELOPMENT:
                for number, area_title, area_kinds in DEV_AREAS:
                    FocusArea.objects.create(round=r, number=number, title=area_title,
                                             applicant_kinds=area_kinds)
            # The annual report's date: 1 February for the development grant (seed 003),
            # 15 February for the others (seed 002 §14).
            ReportingDuty.objects.create(
                round=r, title="Årsrapport og regnskap" if development
                else "Tilskuddsrapport med regnskap",
                due_on=datetime.date(year + 1, 2, 1 if development else 15),
                kind="grant_report")
