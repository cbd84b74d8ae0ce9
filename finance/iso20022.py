"""ISO 20022 payment files for Norwegian banks (Bits guideline): pain.001.001.03 out,
pain.002.001.03 (payment status report) and camt.054.001.02 (debit notification) back.

Pure functions on bytes, no models: the caller stores the file and its hash, and makes
``msg_id`` deterministic per approved run so a second download is never a second payment.

- ``pain001`` writes one payment information block (one debit account, one execution
  date) with the transfers in the order given. The same input gives the same bytes.
- ``parse_status`` reads a bank's pain.002 or camt.054 into ``StatusReport``. Files come
  from outside: it refuses DTDs and entities (defusedxml), foreign namespaces and files
  over 5 MB.
- ``pain002_for`` and ``camt054_for`` answer a pain.001 as a bank would. They are the
  local stand-in for the bank, for the demo and the tests only.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 — builds our own XML; parsing uses defusedxml
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import defusedxml
import defusedxml.ElementTree as SafeET
from django.utils.translation import gettext_lazy as _
from stdnum.no import kontonr, orgnr

from rules.kid import is_valid_kid

PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
PAIN002_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
CAMT054_NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"

MAX_STATUS_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT = 140
MAX_NAME = 70
MAX_ID = 35
MAX_REASON_TEXT = 105  # StsRsnInf/AddtlInf is Max105Text
CURRENCY = "NOK"

# Ids: the Latin character set the Norwegian banks' guideline allows, without spaces.
_ID = re.compile(r"[A-Za-z0-9/\-?:().,'+]{1,35}")
_BIC = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")
_NINE_DIGITS = re.compile(r"[0-9]{9}")

PAID, FAILED, ACCEPTED = "paid", "failed", "accepted"
# pain.002 transaction status → outcome. ACSC: settled on the debtor's account.
_TX_OUTCOME = {
    "ACSC": PAID,
    "RJCT": FAILED,
    "ACCP": ACCEPTED,
    "ACSP": ACCEPTED,
    "ACTC": ACCEPTED,
    "ACWC": ACCEPTED,
    "PDNG": ACCEPTED,  # not final: a later report says paid or failed
}


class PaymentFileError(ValueError):
    """The input cannot become a valid payment file (or is not a pain.001)."""


class StatusFileError(ValueError):
    """A status file (pain.002 / camt.054) that is refused."""


@dataclass(frozen=True)
class Debtor:
    name: str
    org_number: str
    account: str
    bic: str


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    creditor_org_number: str
    creditor_account: str
    kid: str = ""
    text: str = ""


@dataclass(frozen=True)
class StatusLine:
    end_to_end_id: str
    outcome: str  # "paid" | "failed" | "accepted"
    reason_code: str = ""
    reason_text: str = ""


@dataclass(frozen=True)
class StatusReport:
    kind: str  # "pain.002" | "camt.054"
    message_id: str
    original_message_id: str  # pain.002 OrgnlMsgId; "" for camt.054
    lines: tuple[StatusLine, ...]
    group_status: str = ""  # pain.002 GrpSts (e.g. RJCT for a whole file refused); ""


# --- checks -------------------------------------------------------------------------

def _fail(message, **values) -> PaymentFileError:
    return PaymentFileError(str(message) % values if values else str(message))


def _check_id(value: str, what: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise _fail(_("%(what)s must be 1 to 35 characters of A–Z, a–z, 0–9 and / - ? : ( ) . "
                      ", ' +, got %(value)r."), what=what, value=value)
    return value


def _check_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_NAME:
        raise _fail(_("%(what)s must be 1 to 70 characters, got %(value)r."),
                    what=what, value=value)
    return value.strip()


def _check_account(value: str, what: str) -> str:
    if not isinstance(value, str) or not _ELEVEN_DIGITS.fullmatch(value) \
            or not kontonr.is_valid(value):
        raise _fail(_("%(what)s must be an 11-digit Norwegian account number with a valid "
                      "check digit, got %(value)r."), what=what, value=value)
    return value


def _check_org_number(value: str, what: str) -> str:
    if not isinstance(value, str) or not _NINE_DIGITS.fullmatch(value) \
            or not orgnr.is_valid(value):
        raise _fail(_("%(what)s must be a 9-digit organisation number with a valid check "
                      "digit, got %(value)r."), what=what, value=value)
    return value


def _check_amount(value: Decimal, what: str) -> str:
    try:
        ok = (isinstance(value, Decimal) and value.is_finite() and value > 0
              and value == value.quantize(Decimal("0.01")) and value < Decimal("1e13"))
    except InvalidOperation:
        ok = False
    if not ok:
        raise _fail(_("%(what)s must be a Decimal above 0 with at most 2 decimals, got "
                      "%(value)r."), what=what, value=value)
    return f"{value:.2f}"


def _check_transfer(transfer: Transfer) -> None:
    e2e = _check_id(transfer.end_to_end_id, "EndToEndId")
    _check_amount(transfer.amount, f"The amount of {e2e}")
    _check_name(transfer.creditor_name, f"The creditor name of {e2e}")
    if transfer.creditor_org_number:
        _check_org_number(transfer.creditor_org_number, f"The creditor org number of {e2e}")
    _check_account(transfer.creditor_account, f"The creditor account of {e2e}")
    if transfer.kid and transfer.text:
        raise _fail(_("%(e2e)s has both a KID and a text: a payment carries one or the "
                      "other."), e2e=e2e)
    if transfer.kid and not is_valid_kid(transfer.kid):
        raise _fail(_("%(e2e)s has an invalid KID %(kid)r."), e2e=e2e, kid=transfer.kid)
    if not isinstance(transfer.text, str) or len(transfer.text) > MAX_TEXT:
        raise _fail(_("The text of %(e2e)s must be at most 140 characters."), e2e=e2e)


# --- writing ------------------------------------------------------------------------

def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _document(namespace: str) -> ET.Element:
    return ET.Element("Document", {"xmlns": namespace})


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _datetime(value: datetime, what: str) -> str:
    if not isinstance(value, datetime) or value.tzinfo is None \
            or value.tzinfo.utcoffset(value) is None:
        raise _fail(_("%(what)s must be a timezone-aware datetime."), what=what)
    return value.replace(microsecond=0).isoformat()


def _org_id(parent: ET.Element, number: str) -> None:
    other = _sub(_sub(_sub(parent, "Id"), "OrgId"), "Othr")
    _sub(other, "Id", number)
    _sub(_sub(other, "SchmeNm"), "Cd", "CUST")


def _bban(parent: ET.Element, tag: str, account: str) -> None:
    other = _sub(_sub(_sub(parent, tag), "Id"), "Othr")
    _sub(other, "Id", account)
    _sub(_sub(other, "SchmeNm"), "Cd", "BBAN")


def pain001(*, msg_id: str, created_at: datetime, execution_date: date, debtor: Debtor,
            transfers: Sequence[Transfer]) -> bytes:
    """A pain.001.001.03 credit transfer initiation (UTF-8), deterministic for its input.

    Raises PaymentFileError when an input cannot go in a valid file.
    """
    _check_id(msg_id, "MsgId")
    created = _datetime(created_at, "CreDtTm")
    if not isinstance(execution_date, date) or isinstance(execution_date, datetime):
        raise _fail(_("The execution date must be a date."))
    debtor_name = _check_name(debtor.name, "The debtor name")
    _check_org_number(debtor.org_number, "The debtor org number")
    _check_account(debtor.account, "The debtor account")
    if not isinstance(debtor.bic, str) or not _BIC.fullmatch(debtor.bic):
        raise _fail(_("The debtor BIC must be 8 or 11 characters (e.g. DNBANOKK), got "
                      "%(value)r."), value=debtor.bic)
    transfers = tuple(transfers)
    if not transfers:
        raise _fail(_("A payment file needs at least one transfer."))
    seen: set[str] = set()
    for transfer in transfers:
        _check_transfer(transfer)
        if transfer.end_to_end_id in seen:
            raise _fail(_("EndToEndId %(e2e)s occurs twice."), e2e=transfer.end_to_end_id)
        seen.add(transfer.end_to_end_id)
    count = str(len(transfers))
    total = f"{sum((t.amount for t in transfers), Decimal(0)):.2f}"

    root = _document(PAIN001_NS)
    initiation = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", msg_id)
    _sub(header, "CreDtTm", created)
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", total)
    party = _sub(header, "InitgPty")
    _sub(party, "Nm", debtor_name)
    _org_id(party, debtor.org_number)

    info = _sub(initiation, "PmtInf")
    _sub(info, "PmtInfId", msg_id)
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", count)
    _sub(info, "CtrlSum", total)
    _sub(info, "ReqdExctnDt", execution_date.isoformat())
    dbtr = _sub(info, "Dbtr")
    _sub(dbtr, "Nm", debtor_name)
    _org_id(dbtr, debtor.org_number)
    _bban(info, "DbtrAcct", debtor.account)
    _sub(_sub(_sub(info, "DbtrAgt"), "FinInstnId"), "BIC", debtor.bic)

    for transfer in transfers:
        tx = _sub(info, "CdtTrfTxInf")
        _sub(_sub(tx, "PmtId"), "EndToEndId", transfer.end_to_end_id)
        _sub(_sub(tx, "Amt"), "InstdAmt", f"{transfer.amount:.2f}", Ccy=CURRENCY)
        cdtr = _sub(tx, "Cdtr")
        _sub(cdtr, "Nm", transfer.creditor_name.strip())
        if transfer.creditor_org_number:
            _org_id(cdtr, transfer.creditor_org_number)
        _bban(tx, "CdtrAcct", transfer.creditor_account)
        if transfer.kid:
            ref = _sub(_sub(_sub(tx, "RmtInf"), "Strd"), "CdtrRefInf")
            _sub(_sub(_sub(ref, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
            _sub(ref, "Ref", transfer.kid)
        elif transfer.text:
            _sub(_sub(tx, "RmtInf"), "Ustrd", transfer.text)
    return _serialize(root)


# --- reading ------------------------------------------------------------------------

def _parse(data: bytes, error: type[ValueError]) -> ET.Element:
    if not isinstance(data, bytes | bytearray):
        raise error(str(_("A payment or status file must be bytes.")))
    if len(data) > MAX_STATUS_FILE_BYTES:
        raise error(str(_("The file is larger than 5 MB and is refused.")))
    try:
        return SafeET.fromstring(bytes(data), forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise error(str(_("The file has a DTD or entities and is refused."))) from exc
    except ET.ParseError as exc:
        raise error(str(_("The file is not well-formed XML: %(error)s")
                        % {"error": exc})) from exc


def _namespace(root: ET.Element) -> str:
    tag = root.tag
    if not (tag.startswith("{") and tag.endswith("}Document")):
        return ""
    return tag[1:-len("}Document")]


class _Reader:
    """Finds elements by their plain names under one namespace."""

    def __init__(self, namespace: str):
        self.ns = namespace

    def path(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{part}" if part not in (".", "..") else part
                        for part in path.split("/"))

    def find(self, element: ET.Element, path: str) -> ET.Element | None:
        return element.find(self.path(path))

    def findall(self, element: ET.Element, path: str) -> list[ET.Element]:
        return element.findall(self.path(path))

    def text(self, element: ET.Element | None, path: str) -> str:
        if element is None:
            return ""
        found = element.find(self.path(path))
        return (found.text or "").strip() if found is not None else ""


def _required(value: str, what: str) -> str:
    if not value:
        raise StatusFileError(str(_("The status file has no %(what)s.") % {"what": what}))
    return value


def _reason(r: _Reader, element: ET.Element) -> tuple[str, str]:
    infos = r.findall(element, "StsRsnInf")
    if not infos:
        return "", ""
    code = r.text(infos[0], "Rsn/Cd") or r.text(infos[0], "Rsn/Prtry")
    texts = [(t.text or "").strip() for info in infos for t in r.findall(info, "AddtlInf")]
    return code, " ".join(t for t in texts if t)


def _outcome(status: str) -> str:
    if status not in _TX_OUTCOME:
        raise StatusFileError(str(_("Unknown transaction status %(status)r.")
                                  % {"status": status}))
    return _TX_OUTCOME[status]


def _parse_pain002(root: ET.Element) -> StatusReport:
    r = _Reader(PAIN002_NS)
    report = r.find(root, "CstmrPmtStsRpt")
    if report is None:
        raise StatusFileError(str(_("The pain.002 file has no CstmrPmtStsRpt.")))
    message_id = _required(r.text(report, "GrpHdr/MsgId"), "MsgId")
    group = r.find(report, "OrgnlGrpInfAndSts")
    original = _required(r.text(group, "OrgnlMsgId"), "OrgnlMsgId")
    group_status = r.text(group, "GrpSts")
    lines = []
    for info in r.findall(report, "OrgnlPmtInfAndSts"):
        info_status = r.text(info, "PmtInfSts") or group_status
        for tx in r.findall(info, "TxInfAndSts"):
            e2e = _required(r.text(tx, "OrgnlEndToEndId"), "OrgnlEndToEndId")
            status = _required(r.text(tx, "TxSts") or info_status, f"TxSts for {e2e}")
            code, text = _reason(r, tx)
            lines.append(StatusLine(e2e, _outcome(status), code, text))
    return StatusReport("pain.002", message_id, original, tuple(lines), group_status)


def _parse_camt054(root: ET.Element) -> StatusReport:
    r = _Reader(CAMT054_NS)
    notification = r.find(root, "BkToCstmrDbtCdtNtfctn")
    if notification is None:
        raise StatusFileError(str(_("The camt.054 file has no BkToCstmrDbtCdtNtfctn.")))
    message_id = _required(r.text(notification, "GrpHdr/MsgId"), "MsgId")
    lines = []
    for entry in r.findall(notification, "Ntfctn/Ntry"):
        status = r.text(entry, "Sts")
        direction = r.text(entry, "CdtDbtInd")
        reversal = r.text(entry, "RvslInd") == "true"
        details = r.findall(entry, "NtryDtls/TxDtls")
        if not details:
            raise StatusFileError(str(_("A camt.054 entry has no transaction details.")))
        for tx in details:
            e2e = _required(r.text(tx, "Refs/EndToEndId"), "EndToEndId")
            if direction == "CRDT" or reversal:
                # Money back on our account: the payment was returned.
                outcome = FAILED if status == "BOOK" else ACCEPTED
                code = r.text(tx, "RtrInf/Rsn/Cd") or r.text(tx, "RtrInf/Rsn/Prtry")
                text = " ".join(t.text.strip() for t in r.findall(tx, "RtrInf/AddtlInf")
                                if t.text)
                lines.append(StatusLine(e2e, outcome, code, text))
            elif direction == "DBIT":
                lines.append(StatusLine(e2e, PAID if status == "BOOK" else ACCEPTED))
            else:
                raise StatusFileError(str(_("A camt.054 entry has no CdtDbtInd.")))
    return StatusReport("camt.054", message_id, "", tuple(lines))


def parse_status(data: bytes) -> StatusReport:
    """Read a bank's pain.002.001.03 or camt.054.001.02; StatusFileError if refused."""
    root = _parse(data, StatusFileError)
    namespace = _namespace(root)
    if namespace == PAIN002_NS:
        return _parse_pain002(root)
    if namespace == CAMT054_NS:
        return _parse_camt054(root)
    raise StatusFileError(str(_("Not a pain.002.001.03 or camt.054.001.02 file "
                                "(namespace %(namespace)r).") % {"namespace": namespace}))


# --- the bank's stand-in ------------------------------------------------------------

@dataclass(frozen=True)
class _Sent:
    msg_id: str
    pmt_inf_id: str
    execution_date: str
    debtor_account: str
    count: str
    total: str
    transfers: tuple[tuple[str, str], ...]  # (EndToEndId, amount)


def _read_pain001(data: bytes) -> _Sent:
    root = _parse(data, PaymentFileError)
    if _namespace(root) != PAIN001_NS:
        raise PaymentFileError(str(_("Not a pain.001.001.03 file.")))
    r = _Reader(PAIN001_NS)
    initiation = r.find(root, "CstmrCdtTrfInitn")
    info = r.find(initiation, "PmtInf") if initiation is not None else None
    if initiation is None or info is None:
        raise PaymentFileError(str(_("The pain.001 file has no payment information.")))
    transfers = tuple((r.text(tx, "PmtId/EndToEndId"), r.text(tx, "Amt/InstdAmt"))
                      for tx in r.findall(info, "CdtTrfTxInf"))
    return _Sent(msg_id=r.text(initiation, "GrpHdr/MsgId"),
                 pmt_inf_id=r.text(info, "PmtInfId"),
                 execution_date=r.text(info, "ReqdExctnDt"),
                 debtor_account=r.text(info, "DbtrAcct/Id/Othr/Id"),
                 count=r.text(initiation, "GrpHdr/NbOfTxs"),
                 total=r.text(initiation, "GrpHdr/CtrlSum"),
                 transfers=transfers)


def pain002_for(pain001_bytes: bytes, *, rejected: dict[str, tuple[str, str]] | None = None,
                msg_id: str, created_at: datetime) -> bytes:
    """The pain.002.001.03 a bank would answer to ``pain001_bytes``: every transaction
    settled (ACSC) except those in ``rejected`` (EndToEndId → (reason code such as
    "AC04", text)), which are RJCT.

    A local stand-in for the bank, for the demo and tests only. In production the status
    reports are the bank's own files, fetched through the bank's channel (the agency's
    file transfer or the ERP's bank integration) and read with ``parse_status``; nothing
    in production may generate them.
    """
    rejected = dict(rejected or {})
    sent = _read_pain001(pain001_bytes)
    _check_id(msg_id, "MsgId")
    created = _datetime(created_at, "CreDtTm")
    ids = {e2e for e2e, _amount in sent.transfers}
    unknown = sorted(set(rejected) - ids)
    if unknown:
        raise _fail(_("Rejected ids not in the payment file: %(ids)s."), ids=", ".join(unknown))
    if not rejected:
        overall = "ACSC"
    elif set(rejected) == ids:
        overall = "RJCT"
    else:
        overall = "PART"

    root = _document(PAIN002_NS)
    report = _sub(root, "CstmrPmtStsRpt")
    header = _sub(report, "GrpHdr")
    _sub(header, "MsgId", msg_id)
    _sub(header, "CreDtTm", created)
    group = _sub(report, "OrgnlGrpInfAndSts")
    _sub(group, "OrgnlMsgId", sent.msg_id)
    _sub(group, "OrgnlMsgNmId", "pain.001.001.03")
    _sub(group, "OrgnlNbOfTxs", sent.count)
    _sub(group, "OrgnlCtrlSum", sent.total)
    _sub(group, "GrpSts", overall)
    info = _sub(report, "OrgnlPmtInfAndSts")
    _sub(info, "OrgnlPmtInfId", sent.pmt_inf_id)
    _sub(info, "PmtInfSts", overall)
    for e2e, amount in sent.transfers:
        tx = _sub(info, "TxInfAndSts")
        _sub(tx, "OrgnlEndToEndId", e2e)
        if e2e in rejected:
            code, text = rejected[e2e]
            _sub(tx, "TxSts", "RJCT")
            reason = _sub(tx, "StsRsnInf")
            _sub(_sub(reason, "Rsn"), "Cd", code)
            if text:
                _sub(reason, "AddtlInf", text[:MAX_REASON_TEXT])
        else:
            _sub(tx, "TxSts", "ACSC")
        original = _sub(tx, "OrgnlTxRef")
        _sub(_sub(original, "Amt"), "InstdAmt", amount, Ccy=CURRENCY)
        _sub(original, "ReqdExctnDt", sent.execution_date)
    return _serialize(root)


def camt054_for(pain001_bytes: bytes, *, msg_id: str, created_at: datetime,
                booked_on: date) -> bytes:
    """The camt.054.001.02 debit notification a bank would send once every transaction of
    ``pain001_bytes`` is booked on ``booked_on`` (one booked DBIT entry per transaction).

    A local stand-in for the bank, for the demo and tests only; in production the debit
    notifications are the bank's own files from the bank's channel.
    """
    sent = _read_pain001(pain001_bytes)
    _check_id(msg_id, "MsgId")
    created = _datetime(created_at, "CreDtTm")
    root = _document(CAMT054_NS)
    notification = _sub(root, "BkToCstmrDbtCdtNtfctn")
    header = _sub(notification, "GrpHdr")
    _sub(header, "MsgId", msg_id)
    _sub(header, "CreDtTm", created)
    body = _sub(notification, "Ntfctn")
    _sub(body, "Id", msg_id)
    _sub(body, "CreDtTm", created)
    _bban(body, "Acct", sent.debtor_account)
    for e2e, amount in sent.transfers:
        entry = _sub(body, "Ntry")
        _sub(entry, "Amt", amount, Ccy=CURRENCY)
        _sub(entry, "CdtDbtInd", "DBIT")
        _sub(entry, "Sts", "BOOK")
        _sub(_sub(entry, "BookgDt"), "Dt", booked_on.isoformat())
        _sub(_sub(entry, "ValDt"), "Dt", booked_on.isoformat())
        domain = _sub(_sub(entry, "BkTxCd"), "Domn")
        _sub(domain, "Cd", "PMNT")
        family = _sub(domain, "Fmly")
        _sub(family, "Cd", "ICDT")
        _sub(family, "SubFmlyCd", "DMCT")
        details = _sub(_sub(entry, "NtryDtls"), "TxDtls")
        refs = _sub(details, "Refs")
        _sub(refs, "MsgId", sent.msg_id)
        _sub(refs, "PmtInfId", sent.pmt_inf_id)
        _sub(refs, "EndToEndId", e2e)
        _sub(_sub(_sub(details, "AmtDtls"), "InstdAmt"), "Amt", amount, Ccy=CURRENCY)
    return _serialize(root)
