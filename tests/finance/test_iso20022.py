"""ISO 20022 payment files (finance/iso20022.py): pain.001 valid against the official
XSD, the bank's stand-in answers (pain.002, camt.054) read back, and refused files.

Schemas: pain.001.001.03 from the sepaxml package; camt.054.001.02 vendored under
tests/finance/xsd/ (see its README); pain.002.001.03 through pyiso20022's bindings,
generated from the official XSD (no registry package ships that XSD file).
"""

import dataclasses
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.utils import translation
from pyiso20022.pain.pain_002_001_03 import pain_002_001_03 as pain002_bindings
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer

from finance.iso20022 import (
    Debtor,
    PaymentFileError,
    StatusFileError,
    StatusLine,
    Transfer,
    camt054_for,
    pain001,
    pain002_for,
    parse_status,
)

XSD = Path(__file__).parent / "xsd"
PAIN001_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
CAMT054_XSD = XSD / "camt.054.001.02.xsd"

DEBTOR = Debtor(name="Integrerings- og mangfoldsdirektoratet", org_number="974760673",
                account="76940512057", bic="DNBANOKK")
CREATED = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
EXECUTION = date(2026, 3, 5)
TRANSFERS = (
    Transfer(end_to_end_id="PAY-2026-0001", amount=Decimal("125000.00"),
             creditor_name="Bergen kommune", creditor_org_number="964338531",
             creditor_account="86011117947", kid="12345678903"),
    Transfer(end_to_end_id="PAY-2026-0002", amount=Decimal("4999.5"),
             creditor_name="Frivillig forening Ålesund", creditor_org_number="",
             creditor_account="12345678903", text="Tilskudd 2026, søknad 42 – første del"),
    Transfer(end_to_end_id="PAY-2026-0003", amount=Decimal("1"),
             creditor_name="Tromsø kommune", creditor_org_number="940101808",
             creditor_account="86011117947"),
)


def make(**changes):
    arguments = dict(msg_id="RUN-2026-03-01", created_at=CREATED, execution_date=EXECUTION,
                     debtor=DEBTOR, transfers=TRANSFERS)
    arguments.update(changes)
    return pain001(**arguments)


def ns(tag, version="pain.001.001.03"):
    return f"{{urn:iso:std:iso:20022:tech:xsd:{version}}}{tag}"


@pytest.fixture(autouse=True)
def in_english():
    """The messages are asserted in the language they are written in (the pages show them
    translated: tests/finance/test_pages.py)."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def pain001_schema():
    return xmlschema.XMLSchema(str(PAIN001_XSD))


@pytest.fixture(scope="module")
def camt054_schema():
    return xmlschema.XMLSchema(str(CAMT054_XSD))


# --- pain.001 ---------------------------------------------------------------------

def test_pain001_validates_against_the_official_xsd(pain001_schema):
    data = make()
    pain001_schema.validate(data.decode("utf-8"))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_pain001_with_a_single_transfer_validates(pain001_schema):
    pain001_schema.validate(make(transfers=TRANSFERS[:1]).decode("utf-8"))


def test_pain001_is_deterministic():
    assert make() == make()
    assert make() == make(transfers=list(TRANSFERS))
    assert make() != make(msg_id="RUN-2026-03-02")


def test_pain001_header_and_payment_information():
    root = ET.fromstring(make())
    header = root.find(f"{ns('CstmrCdtTrfInitn')}/{ns('GrpHdr')}")
    assert header.findtext(ns("MsgId")) == "RUN-2026-03-01"
    assert header.findtext(ns("CreDtTm")) == "2026-03-02T09:30:15+01:00"
    assert header.findtext(ns("NbOfTxs")) == "3"
    assert header.findtext(ns("CtrlSum")) == "130000.50"
    assert header.findtext(f"{ns('InitgPty')}/{ns('Id')}/{ns('OrgId')}/{ns('Othr')}/"
                           f"{ns('Id')}") == "974760673"
    info = root.findall(f"{ns('CstmrCdtTrfInitn')}/{ns('PmtInf')}")
    assert len(info) == 1
    info = info[0]
    assert info.findtext(ns("PmtMtd")) == "TRF"
    assert info.findtext(ns("NbOfTxs")) == "3"
    assert info.findtext(ns("CtrlSum")) == "130000.50"
    assert info.findtext(ns("ReqdExctnDt")) == "2026-03-05"
    assert info.findtext(f"{ns('DbtrAcct')}/{ns('Id')}/{ns('Othr')}/{ns('Id')}") \
        == "76940512057"
    assert info.findtext(f"{ns('DbtrAgt')}/{ns('FinInstnId')}/{ns('BIC')}") == "DNBANOKK"
    txs = info.findall(ns("CdtTrfTxInf"))
    assert [tx.findtext(f"{ns('PmtId')}/{ns('EndToEndId')}") for tx in txs] == [
        "PAY-2026-0001", "PAY-2026-0002", "PAY-2026-0003"]
    amounts = [tx.find(f"{ns('Amt')}/{ns('InstdAmt')}") for tx in txs]
    assert [(a.text, a.get("Ccy")) for a in amounts] == [
        ("125000.00", "NOK"), ("4999.50", "NOK"), ("1.00", "NOK")]
    for tx in txs:
        other = tx.find(f"{ns('CdtrAcct')}/{ns('Id')}/{ns('Othr')}")
        assert re.fullmatch(r"[0-9]{11}", other.findtext(ns("Id")))
        assert other.findtext(f"{ns('SchmeNm')}/{ns('Cd')}") == "BBAN"


def test_kid_goes_structured_and_text_unstructured():
    txs = ET.fromstring(make()).findall(
        f"{ns('CstmrCdtTrfInitn')}/{ns('PmtInf')}/{ns('CdtTrfTxInf')}")
    kid, text, bare = (tx.find(ns("RmtInf")) for tx in txs)
    ref = kid.find(f"{ns('Strd')}/{ns('CdtrRefInf')}")
    assert ref.findtext(f"{ns('Tp')}/{ns('CdOrPrtry')}/{ns('Cd')}") == "SCOR"
    assert ref.findtext(ns("Ref")) == "12345678903"
    assert kid.find(ns("Ustrd")) is None
    assert text.findtext(ns("Ustrd")) == "Tilskudd 2026, søknad 42 – første del"
    assert text.find(ns("Strd")) is None
    assert bare is None


def test_text_of_140_characters_is_allowed(pain001_schema):
    transfer = dataclasses.replace(TRANSFERS[1], text="x" * 140)
    pain001_schema.validate(make(transfers=[transfer]).decode("utf-8"))


def _replace(index=0, **changes):
    transfers = list(TRANSFERS)
    transfers[index] = dataclasses.replace(transfers[index], **changes)
    return transfers


@pytest.mark.parametrize("changes, message", [
    ({"transfers": _replace(amount=Decimal("0"))}, "above 0"),
    ({"transfers": _replace(amount=Decimal("-5"))}, "above 0"),
    ({"transfers": _replace(amount=Decimal("10.005"))}, "at most 2 decimals"),
    ({"transfers": _replace(amount=Decimal("NaN"))}, "above 0"),
    ({"transfers": _replace(amount=10.5)}, "Decimal"),
    ({"transfers": _replace(creditor_account="86011117948")}, "valid check digit"),
    ({"transfers": _replace(creditor_account="8601.11.17947")}, "11-digit"),
    ({"transfers": _replace(creditor_account="NO9386011117947")}, "11-digit"),
    ({"transfers": _replace(creditor_org_number="964338532")}, "organisation number"),
    ({"transfers": _replace(end_to_end_id="x" * 36)}, "EndToEndId"),
    ({"transfers": _replace(end_to_end_id="PAY 1")}, "EndToEndId"),
    ({"transfers": _replace(end_to_end_id="PAY<1>")}, "EndToEndId"),
    ({"transfers": _replace(end_to_end_id="")}, "EndToEndId"),
    ({"transfers": _replace(index=1, text="x" * 141)}, "140"),
    ({"transfers": _replace(kid="12345678904")}, "invalid KID"),
    ({"transfers": _replace(text="also text")}, "both a KID and a text"),
    ({"transfers": _replace(creditor_name=" ")}, "creditor name"),
    ({"transfers": _replace(index=1, end_to_end_id="PAY-2026-0001")}, "occurs twice"),
    ({"transfers": []}, "at least one transfer"),
    ({"msg_id": "x" * 36}, "MsgId"),
    ({"msg_id": "RUN/æ"}, "MsgId"),
    ({"created_at": datetime(2026, 3, 2, 9, 30)}, "timezone-aware"),
    ({"execution_date": datetime(2026, 3, 5, tzinfo=UTC)}, "execution date"),
    ({"debtor": dataclasses.replace(DEBTOR, bic="DNBANOK")}, "BIC"),
    ({"debtor": dataclasses.replace(DEBTOR, account="76940512058")}, "debtor account"),
    ({"debtor": dataclasses.replace(DEBTOR, org_number="97476067")}, "debtor org number"),
])
def test_pain001_refuses_bad_input(changes, message):
    with pytest.raises(PaymentFileError, match=message):
        make(**changes)


def test_payment_file_error_is_a_value_error():
    assert issubclass(PaymentFileError, ValueError)
    assert issubclass(StatusFileError, ValueError)


# --- pain.002 (the bank's stand-in) and reading it back ----------------------------

def _check_against_bindings(value, path="Document"):
    """Every element required by the schema present, every text within its facets."""
    problems = []
    for field in dataclasses.fields(value):
        meta, item = field.metadata, getattr(value, field.name)
        where = f"{path}/{meta.get('name', field.name)}"
        items = item if isinstance(item, list) else [] if item is None else [item]
        if meta.get("required") and not items:
            problems.append(f"{where} is required")
        if "min_occurs" in meta and len(items) < meta["min_occurs"]:
            problems.append(f"{where} occurs {len(items)} < {meta['min_occurs']}")
        if "max_occurs" in meta and len(items) > meta["max_occurs"]:
            problems.append(f"{where} occurs {len(items)} > {meta['max_occurs']}")
        for one in items:
            if dataclasses.is_dataclass(one):
                problems += _check_against_bindings(one, where)
            elif isinstance(one, str) and not isinstance(one, Enum):
                if len(one) < meta.get("min_length", 0) or len(one) > meta.get(
                        "max_length", 10**9):
                    problems.append(f"{where}: length of {one!r}")
                if "pattern" in meta and not re.fullmatch(meta["pattern"], one):
                    problems.append(f"{where}: {one!r} does not match {meta['pattern']}")
    return problems


def assert_valid_pain002(data: bytes):
    """Strict parse into the bindings generated from the official pain.002.001.03 XSD
    (unknown elements, attributes or values fail), facets and required elements checked,
    and the element order equal to the schema's (the serializer writes schema order)."""
    from_bindings = XmlParser(config=ParserConfig(
        fail_on_unknown_properties=True, fail_on_unknown_attributes=True,
        fail_on_converter_warnings=True)).from_bytes(data, pain002_bindings.Document)
    assert _check_against_bindings(from_bindings) == []
    rewritten = XmlSerializer().render(from_bindings).encode("utf-8")

    def tags(xml):
        return [element.tag for element in ET.fromstring(xml).iter()]

    assert tags(rewritten) == tags(data)


STATUS_AT = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


def test_pain002_for_accepting_everything_is_valid_and_reads_back_as_paid():
    data = pain002_for(make(), msg_id="STS-1", created_at=STATUS_AT)
    assert_valid_pain002(data)
    report = parse_status(data)
    assert report.kind == "pain.002"
    assert report.message_id == "STS-1"
    assert report.original_message_id == "RUN-2026-03-01"
    assert report.group_status == "ACSC"
    assert report.lines == tuple(StatusLine(t.end_to_end_id, "paid", "", "")
                                 for t in TRANSFERS)


def test_pain002_for_with_rejections_round_trips():
    rejected = {"PAY-2026-0002": ("AC04", "Closed account number"),
                "PAY-2026-0003": ("AM04", "x" * 200)}
    data = pain002_for(make(), rejected=rejected, msg_id="STS-2", created_at=STATUS_AT)
    assert_valid_pain002(data)
    report = parse_status(data)
    assert report.group_status == "PART"
    assert report.lines == (
        StatusLine("PAY-2026-0001", "paid", "", ""),
        StatusLine("PAY-2026-0002", "failed", "AC04", "Closed account number"),
        StatusLine("PAY-2026-0003", "failed", "AM04", "x" * 105),
    )


def test_pain002_for_rejecting_everything():
    rejected = {t.end_to_end_id: ("AC01", "") for t in TRANSFERS}
    data = pain002_for(make(), rejected=rejected, msg_id="STS-3", created_at=STATUS_AT)
    assert_valid_pain002(data)
    report = parse_status(data)
    assert report.group_status == "RJCT"
    assert {line.outcome for line in report.lines} == {"failed"}


def test_pain002_for_is_deterministic_and_checks_its_input():
    assert pain002_for(make(), msg_id="S", created_at=STATUS_AT) == pain002_for(
        make(), msg_id="S", created_at=STATUS_AT)
    with pytest.raises(PaymentFileError, match="not in the payment file"):
        pain002_for(make(), rejected={"NOPE": ("AC04", "")}, msg_id="S",
                    created_at=STATUS_AT)
    with pytest.raises(PaymentFileError, match="pain.001"):
        pain002_for(pain002_for(make(), msg_id="S", created_at=STATUS_AT), msg_id="S",
                    created_at=STATUS_AT)


def test_camt054_for_is_valid_and_reads_back_as_paid(camt054_schema):
    data = camt054_for(make(), msg_id="CAMT-1", created_at=STATUS_AT, booked_on=EXECUTION)
    camt054_schema.validate(data.decode("utf-8"))
    report = parse_status(data)
    assert report.kind == "camt.054"
    assert report.message_id == "CAMT-1"
    assert report.original_message_id == ""
    assert report.lines == tuple(StatusLine(t.end_to_end_id, "paid", "", "")
                                 for t in TRANSFERS)


def _pain002(transactions: str, group: str = "<GrpSts>PART</GrpSts>") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-03-03T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>RUN-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
{group}</OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>RUN-1</OrgnlPmtInfId>{transactions}</OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>""".encode()


def test_bank_statuses_map_to_outcomes():
    report = parse_status(_pain002(
        "<TxInfAndSts><OrgnlEndToEndId>A</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>"
        "<TxInfAndSts><OrgnlEndToEndId>B</OrgnlEndToEndId><TxSts>ACSP</TxSts></TxInfAndSts>"
        "<TxInfAndSts><OrgnlEndToEndId>C</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>"
        "<TxInfAndSts><OrgnlEndToEndId>D</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Closed</AddtlInf>"
        "<AddtlInf>account</AddtlInf></StsRsnInf></TxInfAndSts>"))
    assert [(x.end_to_end_id, x.outcome) for x in report.lines] == [
        ("A", "accepted"), ("B", "accepted"), ("C", "paid"), ("D", "failed")]
    assert (report.lines[3].reason_code, report.lines[3].reason_text) == (
        "AC04", "Closed account")


def test_a_whole_file_rejected_without_transactions():
    report = parse_status(_pain002("", group="<GrpSts>RJCT</GrpSts>"))
    assert report.group_status == "RJCT" and report.lines == ()


def test_camt054_return_is_failed():
    data = b"""<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>C-9</MsgId><CreDtTm>2026-03-06T08:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N</Id><CreDtTm>2026-03-06T08:00:00</CreDtTm>
<Acct><Id><Othr><Id>76940512057</Id></Othr></Id></Acct>
<Ntry><Amt Ccy="NOK">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BkTxCd><Prtry><Cd>RETURN</Cd></Prtry></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>PAY-9</EndToEndId></Refs>
<RtrInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Closed</AddtlInf></RtrInf></TxDtls></NtryDtls>
</Ntry>
<Ntry><Amt Ccy="NOK">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>PDNG</Sts>
<BkTxCd><Prtry><Cd>X</Cd></Prtry></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>PAY-10</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"""
    assert parse_status(data).lines == (StatusLine("PAY-9", "failed", "AC04", "Closed"),
                                        StatusLine("PAY-10", "accepted", "", ""))


# --- refused status files ----------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">&lol2;</Document>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">&x;</Document>"""
PLAIN_DOCTYPE = b"""<?xml version="1.0"?><!DOCTYPE Document>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"/>"""


@pytest.mark.parametrize("data, message", [
    (b"<Document", "well-formed"),
    (b"", "well-formed"),
    (b"not xml at all", "well-formed"),
    (BILLION_LAUGHS, "DTD"),
    (EXTERNAL_ENTITY, "DTD"),
    (PLAIN_DOCTYPE, "DTD"),
    (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"/>', "namespace"),
    (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>', "namespace"),
    (b"<Document/>", "namespace"),
    (b'<Other xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"/>', "namespace"),
    (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"/>',
     "CstmrPmtStsRpt"),
    (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>',
     "BkToCstmrDbtCdtNtfctn"),
    ("<Document/>", "bytes"),
])
def test_refused_status_files(data, message):
    with pytest.raises(StatusFileError, match=message):
        parse_status(data)


def test_a_pain001_is_not_a_status_file():
    with pytest.raises(StatusFileError, match="namespace"):
        parse_status(make())


def test_oversized_file_is_refused():
    padding = b" " * (5 * 1024 * 1024)
    with pytest.raises(StatusFileError, match="5 MB"):
        parse_status(_pain002("") + padding)


@pytest.mark.parametrize("data, message", [
    (_pain002("<TxInfAndSts><TxSts>ACSC</TxSts></TxInfAndSts>"), "OrgnlEndToEndId"),
    (_pain002("<TxInfAndSts><OrgnlEndToEndId>A</OrgnlEndToEndId></TxInfAndSts>", group=""),
     "TxSts"),
    (_pain002("<TxInfAndSts><OrgnlEndToEndId>A</OrgnlEndToEndId><TxSts>WHAT</TxSts>"
              "</TxInfAndSts>"), "Unknown transaction status"),
    (_pain002("").replace(b"<MsgId>BANK-1</MsgId>", b""), "MsgId"),
    (_pain002("").replace(b"<OrgnlMsgId>RUN-1</OrgnlMsgId>", b""), "OrgnlMsgId"),
])
def test_status_files_with_missing_ids_or_statuses_are_refused(data, message):
    with pytest.raises(StatusFileError, match=message):
        parse_status(data)


def test_a_transaction_inherits_the_payment_information_status():
    report = parse_status(_pain002(
        "<PmtInfSts>RJCT</PmtInfSts>"
        "<TxInfAndSts><OrgnlEndToEndId>A</OrgnlEndToEndId></TxInfAndSts>"))
    assert report.lines == (StatusLine("A", "failed", "", ""),)


def test_the_pain002_check_catches_broken_files():
    good = pain002_for(make(), msg_id="S", created_at=STATUS_AT)
    broken = [
        good.replace(b"<OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>", b""),  # required
        good.replace(b"<TxSts>ACSC</TxSts>", b"<TxSts>PAID</TxSts>", 1),    # enum
        good.replace(b"<MsgId>S</MsgId>", b"<MsgId>" + b"x" * 36 + b"</MsgId>"),  # length
        good.replace(b"<GrpSts>ACSC</GrpSts>", b"<GrpSts>ACSC</GrpSts><Foo>1</Foo>"),
        good.replace(b"<MsgId>S</MsgId>\n      <CreDtTm>2026-03-03T08:00:00+00:00</CreDtTm>",
                     b"<CreDtTm>2026-03-03T08:00:00+00:00</CreDtTm><MsgId>S</MsgId>"),
    ]
    assert all(b != good for b in broken)
    for data in broken:
        with pytest.raises(Exception):  # noqa: B017 — any failure of the check
            assert_valid_pain002(data)
