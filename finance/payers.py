"""The hand-over of an approved payment run to whoever pays it, behind one interface:

- ``BANK``: an ISO 20022 pain.001.001.03 file for the bank (finance/iso20022.py), the
  format Norwegian banks take for corporate payments;
- ``ERP``: payment vouchers for the state's ERP (DFØ's invoice flow for grants) as CSV in
  the layout below.

Each is made from the run alone, so the same run gives the same bytes every time.

The voucher layout (UTF-8, ``;`` between fields, a header line, one line per payment, in
the run's order; amounts in kroner with a decimal point and two decimals; dates ISO 8601):

    kjoring;bilagsdato;referanse;tilsagn;mottaker_orgnr;mottaker_navn;konto;belop;kid;tekst

``referanse`` is the payment's EndToEndId (the same as in the bank file), ``tilsagn`` the
grant's reference (S-000001), ``konto`` the 11-digit account, ``kid`` empty when the
payment carries a text. What DFØ's import needs beyond this (account codes in the
chart of accounts, the agency's project dimensions) is configuration the directorate
agrees with DFØ; it is not known here and not pretended."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Protocol

from .models import PaymentRun, PaymentStatus

VOUCHER_COLUMNS = ("kjoring", "bilagsdato", "referanse", "tilsagn", "mottaker_orgnr",
                   "mottaker_navn", "konto", "belop", "kid", "tekst")


class Payer(Protocol):
    key: str
    content_type: str

    def filename(self, run: PaymentRun) -> str: ...

    def make(self, run: PaymentRun) -> bytes: ...


def _payments(run: PaymentRun):
    return (run.payments.exclude(status=PaymentStatus.REMOVED)
            .select_related("organization", "plan_line__case__application").order_by("pk"))


@dataclass(frozen=True)
class ErpVouchers:
    key: str = "erp"
    content_type: str = "text/csv; charset=utf-8"

    def filename(self, run: PaymentRun) -> str:
        return f"bilag-{run.reference}.csv"

    def make(self, run: PaymentRun) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(VOUCHER_COLUMNS)
        for payment in _payments(run):
            writer.writerow([
                run.reference, run.execution_date.isoformat(), payment.end_to_end_id,
                payment.plan_line.case.application.reference, payment.organization.org_number,
                payment.organization.official_name, payment.account_number,
                f"{payment.amount:.2f}", payment.kid, payment.text])
        return out.getvalue().encode("utf-8")


ERP = ErpVouchers()
