"""Payments of a granted amount: the 2026 advance and settlement, the per-capita pilot's
payments per reporting period, and the two terms of the development grant and 2018 part B.

Every function returns its amounts with an explanation (rules.explain), in kroner with
øre (Decimal, never float), and refuses negative amounts, floats and more than two
decimals (RuleError naming the input).

- **Jobbsjansen 2026** (imdi.no: Tilskuddsmidler til Jobbsjansen 2026, «Når utbetales
  tilskuddsmidlene?»; seed 000): when IMDi has approved the acceptance, half the grant is
  paid as an advance (``advance_2026``, the share is ``jobbsjansen.advance_share``); after
  the report per 31.10 of the places actually used, the rest: what the used places
  trigger, less the advance (``settlement_2026``). A grant decision's amount is the most
  that can be paid, so what the places trigger is capped at the granted amount; an advance
  larger than that is claimed back.
- **Per-capita pilot 2024** (Rundskriv 23-15067 §12; seed 002): paid afterwards, per
  reporting period (30 June, 31 October), for the participants and months reported
  (``per_capita_period``), capped at what remains of the granted amount.
- **Development grant and 2018 part B** (imdi.no: Tilskudd til utvikling av
  kvalifiserings- og integreringstiltak, «Når utbetales pengene?»; seed 003): two terms,
  spring and autumn (``terms``). The shares and due dates are the parameters
  ``finance.terms.shares`` and ``finance.terms.due``, working choices for IMDi to confirm
  (seed 001 says nothing of when part B is paid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from .errors import RuleError
from .explain import Explained, to_ore
from .params import Parameters, ParameterValue, default_parameters
from .sources import DEVELOPMENT_2025, JOBBSJANSEN_2026, circular, page
from .text import kr

ADVANCE_SHARE = "jobbsjansen.advance_share"
TERM_SHARES = "finance.terms.shares"
TERM_DUE = "finance.terms.due"
PAYMENT_2026 = page(JOBBSJANSEN_2026, "Når utbetales tilskuddsmidlene?")
PAYMENT_PER_CAPITA = circular("12")
PAYMENT_TERMS = page(DEVELOPMENT_2025, "Når utbetales pengene?")
MAX_KRONER = Decimal(10) ** 15  # far above any grant, far below the Decimal context's limit
MONTH_DAY = re.compile(r"([0-9]{2})-([0-9]{2})")
_NAMES = {"granted": "Tildelt beløp", "advance_paid": "Utbetalt forskudd",
          "triggered": "Utløst tilskudd", "paid_before": "Tidligere utbetalt beløp"}


def _kroner(value, name: str) -> Decimal:
    """An amount in kroner: a Decimal (or int), finite, 0 or more, at most two decimals."""
    what = _NAMES.get(name, "Beløpet")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RuleError(f"{what} må være et beløp i kroner (Decimal), ikke "
                        f"{type(value).__name__}.", field=name)
    value = Decimal(value)
    if not value.is_finite() or not 0 <= value <= MAX_KRONER:
        raise RuleError(f"{what} må være et beløp fra 0 til {kr(MAX_KRONER)}.", field=name)
    if value != to_ore(value):
        raise RuleError(f"{what} kan ha høyst to desimaler (øre).", field=name)
    return to_ore(value)


# -- Jobbsjansen 2026 ------------------------------------------------------------------------

def advance_2026(granted: Decimal, on: date, *, params: Parameters | None = None
                 ) -> Explained:
    """The advance paid when IMDi has approved the acceptance: the granted amount ×
    ``jobbsjansen.advance_share`` (1/2) on ``on``, in øre."""
    params = params or default_parameters()
    granted = _kroner(granted, "granted")
    share = params.get(ADVANCE_SHARE, on)
    explained = Explained("Forskudd etter godkjent aksept")
    explained.add("Forskudd", granted * share.value,
                  f"tildelt {kr(granted)} × {share.display}, utbetales når IMDi har godkjent "
                  "akseptbrevet", (share,))
    explained.notes.append("Resten utbetales etter rapporten om faktisk benyttede plasser "
                           f"per 31.10: tilskuddet plassene utløser, minus forskuddet (kilde: "
                           f"{PAYMENT_2026}).")
    return explained


@dataclass(frozen=True)
class Settlement:
    """The 2026 settlement after the used-places report per 31.10."""

    triggered: Decimal  # what the used places trigger (grant_2026's total)
    capped: Decimal  # min(triggered, granted)
    paid: Decimal  # the advance paid
    settlement: Decimal  # capped − paid when positive: to pay (else 0)
    claw_back: Decimal  # paid − capped when positive: to claim back (else 0)
    explained: Explained  # lines sum to capped − paid


def settlement_2026(granted: Decimal, advance_paid: Decimal, triggered: Decimal, on: date,
                    *, params: Parameters | None = None) -> Settlement:
    """What remains to pay (or to claim back) once the used-places report is accepted.

    ``triggered`` is what the report's used places trigger (``grant_2026(...).total``, as
    ``rules.usage`` reports it). It is capped at ``granted`` — the grant decision's amount is
    the most that can be paid — and the advance paid is deducted: a positive result is the
    settlement to pay, a negative one the amount to claim back."""
    params = params or default_parameters()
    granted = _kroner(granted, "granted")
    paid = _kroner(advance_paid, "advance_paid")
    triggered = _kroner(triggered, "triggered")
    share = params.get(ADVANCE_SHARE, on)  # the 2026 payment rule applies on this date
    capped = min(triggered, granted)
    explained = Explained("Etteroppgjør etter rapport om benyttede plasser per 31.10")
    explained.add("Tilskudd utløst av benyttede plasser", triggered,
                  "tilskuddet de faktisk benyttede plassene i den godkjente rapporten utløser")
    if triggered > granted:
        explained.add("Avkortet til tildelt beløp", granted - triggered,
                      f"tildelt beløp i tilskuddsvedtaket, {kr(granted)}, er det meste som kan "
                      f"utbetales: {kr(triggered)} − {kr(granted)}")
    explained.add("Utbetalt forskudd", -paid, "trekkes fra")
    result = capped - paid
    settlement, claw_back = max(result, Decimal("0.00")), max(-result, Decimal("0.00"))
    if result > 0:
        explained.notes.append(f"Etteroppgjør: {kr(settlement)} utbetales til kommunen.")
    elif result < 0:
        explained.notes.append(f"Forskuddet er større enn tilskuddet de benyttede plassene "
                               f"utløser: {kr(claw_back)} kreves tilbake.")
    else:
        explained.notes.append("Forskuddet dekker tilskuddet: ingenting å utbetale eller kreve "
                               "tilbake.")
    expected = to_ore(granted * share.value)
    if paid != expected:
        explained.notes.append(f"Utbetalt forskudd er ikke {share.display} av tildelt beløp "
                               f"({kr(expected)}); oppgjøret regnes med det som faktisk er "
                               "utbetalt.")
    explained.notes.append(f"Kilde: {PAYMENT_2026} (på grunnlag av rapporteringen per 31.10 om "
                           "faktisk benyttede plasser utbetales resterende tilskuddsmidler "
                           "tilsvarende tilskudd utløst av faktisk antall benyttede plasser).")
    return Settlement(triggered, capped, paid, settlement, claw_back, explained)


# -- the per-capita pilot --------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodPayment:
    """One reporting period's payment in the per-capita pilot."""

    triggered: Decimal  # what the period's participant-months trigger
    remaining: Decimal  # granted − paid before, never below 0
    payment: Decimal  # min(triggered, remaining)
    explained: Explained  # lines sum to payment

    @property
    def capped(self) -> bool:
        return self.payment < self.triggered


def per_capita_period(triggered: Decimal, granted: Decimal, paid_before: Decimal, on: date
                      ) -> PeriodPayment:
    """The payment after a period's report (30 June or 31 October, ``on``): what the
    period's participant-months trigger (``grant_per_capita_2024``'s amount for the period),
    capped at what remains of the granted amount — the grant decision's amount is the most
    that can be paid."""
    triggered = _kroner(triggered, "triggered")
    granted = _kroner(granted, "granted")
    paid_before = _kroner(paid_before, "paid_before")
    if not isinstance(on, date):
        raise RuleError("Rapportdatoen må være en dato.", field="on")
    remaining = max(granted - paid_before, Decimal("0.00"))
    payment = min(triggered, remaining)
    explained = Explained(f"Utbetaling etter rapport om deltakere per {on:%d.%m.%Y}")
    explained.add("Tilskudd utløst av deltakermånedene i perioden", triggered,
                  "faktisk antall rapporterte deltakere og månedene hver av dem har vært i "
                  "programmet")
    if triggered > remaining:
        left = (f"gjenstår {kr(remaining)}" if paid_before < granted
                else "ingenting gjenstår")
        explained.add("Avkortet til det som gjenstår av tildelt beløp", remaining - triggered,
                      f"tilskuddsvedtakets beløp er det meste som kan utbetales: tildelt "
                      f"{kr(granted)} − utbetalt tidligere {kr(paid_before)}, {left}")
        explained.notes.append(f"Deltakermånedene utløser {kr(triggered - remaining)} mer enn "
                               "det som gjenstår av tildelt beløp; det utbetales ikke.")
    explained.notes.append(f"Kilde: {PAYMENT_PER_CAPITA} (IMDi utbetaler per capita-tilskuddet "
                           "etterskuddsvis ut fra faktisk antall deltakere som blir rapportert "
                           "den 30. juni og den 31. oktober, og hvor mange måneder hver av dem "
                           "har vært i programmet).")
    return PeriodPayment(triggered, remaining, payment, explained)


# -- two terms: the development grant and 2018 part B ----------------------------------------

class Term(NamedTuple):
    label: str  # "vår" or "høst"
    due: date
    amount: Decimal


@dataclass(frozen=True)
class Terms:
    """The terms in due order; iterating gives the (label, due, amount) tuples."""

    terms: list[Term]
    explained: Explained  # one line per term; lines sum to the granted amount

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, index: int) -> Term:
        return self.terms[index]


def _shares(shares: ParameterValue) -> list[tuple[str, Fraction]]:
    found = []
    for text in shares.value if isinstance(shares.value, tuple) else ():
        try:
            fraction = Fraction(str(text))
        except (ValueError, ZeroDivisionError):
            fraction = Fraction(0)
        if fraction <= 0:
            raise RuleError(f"{TERM_SHARES} har en ugyldig andel: {text}.", field=TERM_SHARES)
        found.append((str(text), fraction))
    if not found or sum(f for _t, f in found) != 1:
        raise RuleError(f"Andelene i {TERM_SHARES} må til sammen være 1.", field=TERM_SHARES)
    return found


def _due(due: ParameterValue, grant_year: int, count: int) -> list[date]:
    days = []
    for text in due.value if isinstance(due.value, tuple) else ():
        match = MONTH_DAY.fullmatch(str(text))
        try:
            days.append(date(grant_year, int(match[1]), int(match[2])) if match else None)
        except ValueError:
            days.append(None)
    if len(days) != count or None in days or days != sorted(days) or len(set(days)) != count:
        raise RuleError(f"{TERM_DUE} må ha én gyldig dato (MM-DD) per andel i {TERM_SHARES}, "
                        "i rekkefølge.", field=TERM_DUE)
    return days


def terms(granted: Decimal, grant_year: int, on: date, *, params: Parameters | None = None
          ) -> Terms:
    """The granted amount in its terms, spring and autumn: each term the granted amount ×
    its share of ``finance.terms.shares`` in øre, due on its ``finance.terms.due`` in the
    grant year; the last term takes the rounding remainder, so the terms sum exactly to
    the granted amount."""
    params = params or default_parameters()
    granted = _kroner(granted, "granted")
    if isinstance(grant_year, bool) or not isinstance(grant_year, int) or \
            not 1900 <= grant_year <= 2100:
        raise RuleError("Tilskuddsåret må være et årstall fra 1900 til 2100.",
                        field="grant_year")
    shares_value, due_value = params.get(TERM_SHARES, on), params.get(TERM_DUE, on)
    shares = _shares(shares_value)
    days = _due(due_value, grant_year, len(shares))
    explained = Explained(f"Utbetaling i terminer, tilskuddsåret {grant_year}")
    result: list[Term] = []
    before = Decimal("0.00")
    for index, ((text, share), day) in enumerate(zip(shares, days, strict=True)):
        label = "vår" if day.month <= 6 else "høst"
        exact = to_ore(granted * share.numerator / share.denominator)
        if index < len(shares) - 1:
            amount, formula = exact, f"tildelt {kr(granted)} × {text}"
        else:
            amount = granted - before
            formula = f"tildelt {kr(granted)} × {text}"
            if amount != exact:
                formula = (f"resten: tildelt {kr(granted)} − {kr(before)} i tidligere terminer "
                           f"({text} av tildelt beløp er {kr(exact)}; øreavrundingen tas på "
                           "siste termin)")
        line = explained.add(f"{label.capitalize()}: forfaller {day:%d.%m.%Y}", amount, formula,
                             (shares_value, due_value))
        result.append(Term(label, day, line.amount))
        before += line.amount
    explained.notes.append(f"Kilde: {PAYMENT_TERMS} (tilskuddet utbetales i to terminer, vår og "
                           "høst). Andelene og forfallsdatoene er et arbeidsvalg som IMDi må "
                           "bekrefte.")
    return Terms(result, explained)
