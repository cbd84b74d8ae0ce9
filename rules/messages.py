"""The findings' wording in bokmål, nynorsk and English: one catalogue, one source of truth.

Every finding the rules core makes has a code; ``MESSAGES[code]`` holds its text in each
language as a template. A finding keeps the values its text uses (``Finding.params``), so
the same finding reads in the reader's language (``Finding.text("nn")``), while
``Finding.message`` is always the bokmål text from this catalogue.

Templates are ``str.format`` templates with a few formats of our own (no Django here):

* ``{name}`` — a number the Norwegian way (``15 083``, ``7,5``), a date as ``01.12.2026``,
  text as it is.
* ``{name:kr}`` an amount (``15 083 kr``); ``{name:pct}`` a share as a percentage with one
  decimal (``66,7 %``), ``{name:pct0}`` without decimals (``20 %``); ``{name:date}``.
* ``{name:key=text;key=text;*=text}`` — a choice: the text for the value (a word such as
  ``places``), ``one`` for the number 1, ``none`` for no value, ``*`` for anything else;
  ``#`` in the chosen text is the value itself.

Numbers, amounts, shares and dates are written the Norwegian way in English too, as
everywhere else in the portal (core/formatting.py): "15 083 kr", "20 %", "01.12.2026".
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Mapping
from decimal import Decimal

from .text import kr, number, percent

LANGUAGES = ("nb", "nn", "en")
DEFAULT_LANGUAGE = "nb"

MESSAGES: dict[str, dict[str, str]] = {
    # Target group (rules/eligibility.py)
    "age_unknown": {
        "nb": "Fødselsdatoen er ukjent (den hentes fra Folkeregisteret). Alderen må vurderes.",
        "nn": "Fødselsdatoen er ukjend (datoen blir henta frå Folkeregisteret). Alderen må "
              "vurderast.",
        "en": "The date of birth is unknown (it comes from the National Population "
              "Register). The age must be assessed.",
    },
    "age": {
        "nb": "Deltakeren er {age} år ved oppstart. Målgruppen er {min_age}–{max_age} år.",
        "nn": "Deltakaren er {age} år ved oppstart. Målgruppa er {min_age}–{max_age} år.",
        "en": "The participant is {age} at the start. The target group is aged "
              "{min_age}–{max_age}.",
    },
    "kvp": {
        "nb": "Deltakere i kvalifiseringsprogrammet (KVP) er ikke i målgruppen.",
        "nn": "Deltakarar i kvalifiseringsprogrammet (KVP) er ikkje i målgruppa.",
        "en": "Participants in the qualification programme (KVP) are not in the target "
              "group.",
    },
    "introduction_ongoing": {
        "nb": "Deltakeren er i introduksjonsprogrammet. Det må ha gått minst {years} år "
              "siden det ble avsluttet.",
        "nn": "Deltakaren er i introduksjonsprogrammet. Det må ha gått minst {years} år "
              "sidan det vart avslutta.",
        "en": "The participant is in the introduction programme. At least "
              "{years:one=# year;*=# years} must have passed since it ended.",
    },
    "introduction_unknown": {
        "nb": "Det er ikke registrert når introduksjonsprogrammet ble avsluttet eller retten "
              "falt bort. Det må ha gått minst {years} år.",
        "nn": "Det er ikkje registrert når introduksjonsprogrammet vart avslutta eller retten "
              "fall bort. Det må ha gått minst {years} år.",
        "en": "It is not recorded when the introduction programme ended or the right to it "
              "was lost. At least {years:one=# year;*=# years} must have passed.",
    },
    "introduction_recent": {
        "nb": "Introduksjonsprogrammet ble avsluttet {ended:date}. Tidligste oppstart er "
              "{earliest:date} ({years} år etter).",
        "nn": "Introduksjonsprogrammet vart avslutta {ended:date}. Tidlegaste oppstart er "
              "{earliest:date} ({years} år etter).",
        "en": "The introduction programme ended on {ended:date}. The earliest start is "
              "{earliest:date} ({years:one=# year;*=# years} later).",
    },
    "transitional_benefit": {
        "nb": "Deltakeren mottar overgangsstønad. Hun kan delta, men får ikke "
              "Jobbsjansestønad i tillegg, og skal være aktiv arbeidssøker fra yngste barns "
              "ettårsdag.",
        "nn": "Deltakaren får overgangsstønad. Ho kan delta, men får ikkje Jobbsjansestønad "
              "i tillegg, og skal vere aktiv arbeidssøkjar frå eittårsdagen til det yngste "
              "barnet.",
        "en": "The participant receives transitional benefit. She may take part, but does "
              "not also receive the Jobbsjansen allowance, and must be an active jobseeker "
              "from her youngest child's first birthday.",
    },
    "social_assistance_condition": {
        "nb": "Jobbsjansen kan ikke være et aktivitetsvilkår for sosialhjelp. Deltakelsen må "
              "være frivillig.",
        "nn": "Jobbsjansen kan ikkje vere eit aktivitetsvilkår for sosialhjelp. Deltakinga må "
              "vere frivillig.",
        "en": "Jobbsjansen cannot be an activity requirement for social assistance. Taking "
              "part must be voluntary.",
    },
    "social_assistance_voluntary": {
        "nb": "Deltakeren mottar sosialhjelp og deltar frivillig. Det er tillatt.",
        "nn": "Deltakaren får sosialhjelp og deltek frivillig. Det er tillate.",
        "en": "The participant receives social assistance and takes part voluntarily. That "
              "is allowed.",
    },
    # The application (rules/conditions.py)
    "too_few_places": {
        "nb": "Prosjektet må ha minst {minimum} {unit:places=plasser;participants=deltakere}"
              "{places:none=;*= (søknaden har #)}.",
        "nn": "Prosjektet må ha minst {minimum} {unit:places=plassar;participants=deltakarar}"
              "{places:none=;*= (søknaden har #)}.",
        "en": "The project must have at least {minimum} "
              "{unit:places=places;participants=participants}"
              "{places:none=;*= (the application has #)}.",
    },
    "no_budget": {
        "nb": "Oppgi prosjektets samlede budsjett.",
        "nn": "Oppgi det samla budsjettet for prosjektet.",
        "en": "Give the project's total budget.",
    },
    "own_financing": {
        "nb": "Egenfinansieringen er {have:pct} av budsjettet. Den må være minst "
              "{share:pct0} ({need:kr}).",
        "nn": "Eigenfinansieringa er {have:pct} av budsjettet, men må vere minst "
              "{share:pct0} ({need:kr}).",
        "en": "Own financing is {have:pct} of the budget. It must be at least {share:pct0} "
              "({need:kr}).",
    },
    "result_goals": {
        "nb": "Søknaden må ha både kvantitative og kvalitative resultatmål. Det mangler "
              "{missing:quantitative=kvantitative;qualitative=kvalitative;"
              "both=kvantitative og kvalitative}.",
        "nn": "Søknaden må ha både kvantitative og kvalitative resultatmål. Det manglar "
              "{missing:quantitative=kvantitative;qualitative=kvalitative;"
              "both=kvantitative og kvalitative} resultatmål.",
        "en": "The application must have both quantitative and qualitative result goals. "
              "{missing:quantitative=The quantitative;qualitative=The qualitative;"
              "both=Both} {missing:both=are;*=ones are} missing.",
    },
    # Who may apply (rules/conditions.py may_apply)
    "not_named": {
        "nb": "Bare kommunene som er nevnt i utlysningen kan søke.",
        "nn": "Berre kommunane som er nemnde i utlysinga, kan søkje.",
        "en": "Only the municipalities named in the round may apply.",
    },
    "wrong_kind": {
        "nb": "Denne typen organisasjon kan ikke søke i denne utlysningen eller dette "
              "satsingsområdet.",
        "nn": "Denne typen organisasjon kan ikkje søkje i denne utlysinga eller dette "
              "satsingsområdet.",
        "en": "This kind of organisation cannot apply in this round or this focus area.",
    },
    # The accounts of a grant report (rules/accounts.py)
    "accounts_unbalanced": {
        "nb": "Kostnadene ({costs:kr}) er ikke lik finansieringen ({financing:kr}): brukt "
              "tilskudd, egenfinansiering og annen finansiering må til sammen være lik "
              "kostnadene.",
        "nn": "Kostnadene ({costs:kr}) er ikkje like finansieringa ({financing:kr}): brukt "
              "tilskot, eigenfinansiering og anna finansiering må til saman vere like "
              "kostnadene.",
        "en": "The costs ({costs:kr}) do not equal the financing ({financing:kr}): grant "
              "used, own financing and other funding must add up to the costs.",
    },
    "accounts_grant_overspent": {
        "nb": "Brukt tilskudd ({used:kr}) er mer enn tilskuddet som er mottatt "
              "({received:kr}).",
        "nn": "Brukt tilskot ({used:kr}) er meir enn tilskotet som er motteke "
              "({received:kr}).",
        "en": "The grant used ({used:kr}) is more than the grant received ({received:kr}).",
    },
    "accounts_own_financing": {
        "nb": "Egenfinansieringen er {have:pct} av kostnadene. Søknaden lovet minst "
              "{share:pct0} ({need:kr}); forklar avviket.",
        "nn": "Eigenfinansieringa er {have:pct} av kostnadene. Søknaden lova minst "
              "{share:pct0} ({need:kr}); forklar avviket.",
        "en": "Own financing is {have:pct} of the costs. The application promised at least "
              "{share:pct0} ({need:kr}); explain the difference.",
    },
    "accounts_line_deviation": {
        "nb": "{line:staff=Personal;measures=Tiltak;premises=Lokaler;other=Andre kostnader}: "
              "brukt {actual:kr} mot {budget:kr} i budsjettet, mer enn {limit:pct0} avvik; "
              "forklar avviket.",
        "nn": "{line:staff=Personell;measures=Tiltak;premises=Lokale;other=Andre kostnader}: "
              "brukt {actual:kr} mot {budget:kr} i budsjettet, meir enn {limit:pct0} avvik; "
              "forklar avviket.",
        "en": "{line:staff=Staff;measures=Measures;premises=Premises;other=Other costs}: "
              "{actual:kr} spent against {budget:kr} in the budget, more than {limit:pct0} "
              "off; explain the difference.",
    },
    "accounts_unexplained": {
        "nb": "Regnskapet avviker fra budsjettet eller fra egenfinansieringen som ble lovet. "
              "Forklar avvikene før rapporten sendes til attestasjon.",
        "nn": "Rekneskapen avvik frå budsjettet eller frå eigenfinansieringa som vart lova. "
              "Forklar avvika før rapporten vert send til attestasjon.",
        "en": "The accounts differ from the budget or from the own financing promised. "
              "Explain the differences before the report is sent for certification.",
    },
    "accounts_unused": {
        "nb": "Ubrukt tilskudd: {unused:kr}. Tilskuddet skal som hovedregel brukes i "
              "tilskuddsåret; ubrukte midler betales tilbake.",
        "nn": "Ubrukt tilskot: {unused:kr}. Tilskotet skal som hovudregel brukast i "
              "tilskotsåret; ubrukte midlar vert betalte tilbake.",
        "en": "Unused grant: {unused:kr}. As a rule the grant must be used in the grant "
              "year; unused funds are paid back.",
    },
}

# Each finding's name, for lists and the audit log ("Finding: age unknown").
TITLES: dict[str, dict[str, str]] = {
    "age_unknown": {"nb": "alder ukjent", "nn": "alder ukjend", "en": "age unknown"},
    "age": {"nb": "alder utenfor målgruppen", "nn": "alder utanfor målgruppa",
            "en": "age outside the target group"},
    "kvp": {"nb": "i kvalifiseringsprogrammet", "nn": "i kvalifiseringsprogrammet",
            "en": "in the qualification programme"},
    "introduction_ongoing": {"nb": "i introduksjonsprogrammet",
                             "nn": "i introduksjonsprogrammet",
                             "en": "in the introduction programme"},
    "introduction_unknown": {"nb": "introduksjonsprogrammets slutt ukjent",
                             "nn": "slutten på introduksjonsprogrammet ukjend",
                             "en": "end of the introduction programme unknown"},
    "introduction_recent": {"nb": "for kort tid siden introduksjonsprogrammet",
                            "nn": "for kort tid sidan introduksjonsprogrammet",
                            "en": "too soon after the introduction programme"},
    "transitional_benefit": {"nb": "overgangsstønad", "nn": "overgangsstønad",
                             "en": "transitional benefit"},
    "social_assistance_condition": {"nb": "sosialhjelp med aktivitetsvilkår",
                                    "nn": "sosialhjelp med aktivitetsvilkår",
                                    "en": "social assistance with an activity requirement"},
    "social_assistance_voluntary": {"nb": "sosialhjelp, frivillig deltakelse",
                                    "nn": "sosialhjelp, frivillig deltaking",
                                    "en": "social assistance, voluntary participation"},
    "too_few_places": {"nb": "for få plasser", "nn": "for få plassar",
                       "en": "too few places"},
    "no_budget": {"nb": "budsjett mangler", "nn": "budsjett manglar", "en": "no budget"},
    "own_financing": {"nb": "for lav egenfinansiering", "nn": "for låg eigenfinansiering",
                      "en": "own financing too low"},
    "result_goals": {"nb": "resultatmål mangler", "nn": "resultatmål manglar",
                     "en": "result goals missing"},
    "not_named": {"nb": "ikke nevnt i utlysningen", "nn": "ikkje nemnd i utlysinga",
                  "en": "not named in the round"},
    "wrong_kind": {"nb": "kan ikke søke", "nn": "kan ikkje søkje", "en": "may not apply"},
    "accounts_unbalanced": {"nb": "regnskapet går ikke opp", "nn": "rekneskapen går ikkje opp",
                            "en": "the accounts do not balance"},
    "accounts_grant_overspent": {"nb": "brukt mer enn mottatt", "nn": "brukt meir enn motteke",
                                 "en": "more used than received"},
    "accounts_own_financing": {"nb": "lav egenfinansiering", "nn": "låg eigenfinansiering",
                               "en": "low own financing"},
    "accounts_line_deviation": {"nb": "avvik fra budsjettet", "nn": "avvik frå budsjettet",
                                "en": "off the budget"},
    "accounts_unexplained": {"nb": "avvik ikke forklart", "nn": "avvik ikkje forklart",
                             "en": "differences not explained"},
    "accounts_unused": {"nb": "ubrukt tilskudd", "nn": "ubrukt tilskot", "en": "unused grant"},
}


def title(code: str, lang: str) -> str | None:
    """The finding's name in ``lang``, or None for a code the rules core does not make."""
    names = TITLES.get(code)
    return names[language(lang)] if names else None


# Why a participant's programme may last as long as it may (rules/eligibility.py
# latest_end_date): not findings, but read beside them, so in the same three languages.
REASONS: dict[str, dict[str, str]] = {
    "duration.base": {
        "nb": "{years} år ({source})",
        "nn": "{years} år ({source})",
        "en": "{years:one=1 year;*=# years} ({source})",
    },
    "duration.extension": {
        "nb": "+{years} år forlengelse ({source})",
        "nn": "+{years} år forlenging ({source})",
        "en": "+{years:one=1 year;*=# years} extension ({source})",
    },
    "duration.literacy": {
        "nb": "+{years} år for manglende grunnleggende lese- og skriveferdigheter på "
              "morsmålet ({source})",
        "nn": "+{years} år for manglande grunnleggjande lese- og skriveferdigheiter på "
              "morsmålet ({source})",
        "en": "+{years:one=1 year;*=# years} for lacking basic reading and writing skills "
              "in the mother tongue ({source})",
    },
    "duration.cap": {
        "nb": "høyst {years} år i alt ({source})",
        "nn": "høgst {years} år i alt ({source})",
        "en": "at most {years:one=1 year;*=# years} in all ({source})",
    },
    "duration.pilot": {
        "nb": "overført til piloten: høyst {years} år, senest {last:date} ({source})",
        "nn": "overført til piloten: høgst {years} år, seinast {last:date} ({source})",
        "en": "transferred to the pilot: at most {years:one=1 year;*=# years}, at the "
              "latest {last:date} ({source})",
    },
}


def render_reason(code: str, lang: str, params: Mapping[str, object]) -> str:
    """A duration reason's text in ``lang`` (see REASONS)."""
    return _FORMATTER.vformat(REASONS[code][language(lang)], (), dict(params))


# Example values for every code: what the findings carry (tests render each with these).
EXAMPLE_PARAMS: dict[str, dict[str, object]] = {
    "age": {"age": 17, "min_age": Decimal(18), "max_age": Decimal(55)},
    "introduction_ongoing": {"years": Decimal(2)},
    "introduction_unknown": {"years": Decimal(2)},
    "introduction_recent": {"ended": datetime.date(2025, 1, 1),
                            "earliest": datetime.date(2027, 1, 1), "years": Decimal(2)},
    "too_few_places": {"minimum": Decimal(10), "unit": "places", "places": 3},
    "own_financing": {"have": Decimal("0.1"), "share": Decimal("0.2"), "need": Decimal(15083)},
    "result_goals": {"missing": "both"},
    "accounts_unbalanced": {"costs": Decimal(1000), "financing": Decimal(900)},
    "accounts_grant_overspent": {"used": Decimal(1200), "received": Decimal(1000)},
    "accounts_own_financing": {"have": Decimal("0.1"), "share": Decimal("0.2"),
                               "need": Decimal(15083)},
    "accounts_line_deviation": {"line": "staff", "budget": Decimal(100), "actual": Decimal(150),
                                "limit": Decimal("0.1")},
    "accounts_unused": {"unused": Decimal(5000)},
}


def language(code: str | None) -> str:
    """A language code as the catalogue's: 'nn', 'nn-NO' → 'nn'; 'en-gb' → 'en'; 'no',
    unknown or none → 'nb'."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return number(value)
    if isinstance(value, float):
        return number(Decimal(str(value)))
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def _choice_key(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        return "one" if value == 1 else "other"
    return str(value)


class _Formatter(string.Formatter):
    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "":
            return _plain(value)
        if format_spec == "kr":
            return kr(Decimal(value))
        if format_spec == "pct":
            return percent(Decimal(value), 1)
        if format_spec == "pct0":
            return percent(Decimal(value), 0)
        if format_spec == "date":
            return f"{value:%d.%m.%Y}"
        if "=" in format_spec:
            branches = dict(part.split("=", 1) for part in format_spec.split(";"))
            key = _choice_key(value)
            if key not in branches and "*" not in branches:
                raise ValueError(f"no choice for {key!r} in {format_spec!r}")
            return branches.get(key, branches.get("*", "")).replace("#", _plain(value))
        raise ValueError(f"unknown format {format_spec!r}")


_FORMATTER = _Formatter()


def render(code: str, lang: str, params: Mapping[str, object]) -> str:
    """The finding's text in ``lang`` (bokmål when the language is not one of ours).
    KeyError when the code is not in the catalogue or a value is missing."""
    return _FORMATTER.vformat(MESSAGES[code][language(lang)], (), dict(params))
