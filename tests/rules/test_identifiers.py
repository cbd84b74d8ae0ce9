import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.identifiers import IdKind, InvalidIdNumber, validate_national_id


@pytest.mark.parametrize("number", ["02013299997", "30108299920", "30108299939"])
def test_skatteetatens_2032_examples_are_valid(number):
    assert validate_national_id(number).kind == IdKind.FODSELSNUMMER


def test_a_classic_number_and_a_d_number():
    assert validate_national_id("01010012356").kind == IdKind.FODSELSNUMMER
    assert validate_national_id("41010012420").kind == IdKind.D_NUMBER


@pytest.mark.parametrize(("number", "code"), [
    ("0101001235", "format"), ("0101001235x", "format"), ("01010012357", "checksum"),
    ("32010012356", "checksum"),
])
def test_invalid_numbers_say_why(number, code):
    with pytest.raises(InvalidIdNumber) as info:
        validate_national_id(number)
    assert info.value.code == code


def _with_checks(first9: str) -> str | None:
    """Complete 9 digits with a k1 (old rule) and k2, or None if impossible."""
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k1 = (11 - sum(int(d) * w for d, w in zip(first9, w1, strict=True)) % 11) % 11
    if k1 == 10:
        return None
    ten = first9 + str(k1)
    k2 = (11 - sum(int(d) * w for d, w in zip(ten, w2, strict=True)) % 11) % 11
    return None if k2 == 10 else ten + str(k2)


def test_synthetic_numbers_only_when_allowed():
    tenor = _with_checks("018100123")  # month 81 = January + 80
    nav = _with_checks("014100126")  # month 41 = January + 40
    for number in (tenor, nav):
        assert number
        with pytest.raises(InvalidIdNumber) as info:
            validate_national_id(number)
        assert info.value.code == "synthetic"
        assert validate_national_id(number, allow_synthetic=True).synthetic


@given(st.dates(), st.integers(0, 999))
def test_every_well_formed_number_validates(day, individual):
    number = _with_checks(f"{day:%d%m%y}{individual:03d}")
    if number:
        assert validate_national_id(number).number == number


def test_the_masked_form_hides_the_birth_date():
    assert validate_national_id("02013299997").masked() == "******99997"


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@pytest.mark.parametrize("table", [ARABIC_INDIC, FULLWIDTH, SUPERSCRIPT],
                         ids=["arabic-indic", "fullwidth", "superscript"])
def test_only_ascii_digits_are_digits(table):
    """'٠٢٠١٣٢٩٩٩٩٧' passes str.isdigit() and int() reads it: it must not become a second
    participant for the person 02013299997. A superscript digit must not crash int()."""
    for number in ("02013299997".translate(table), "0201329999" + "7".translate(table)):
        with pytest.raises(InvalidIdNumber) as info:
            validate_national_id(number)
        assert info.value.code == "format"
        assert "0–9" in info.value.message


@pytest.mark.parametrize("spaced", ["020132 99997", "020132\u00a099997", " 02013299997\u202f",
                                    "020\t132 999 97"])
def test_spaces_of_any_kind_are_removed(spaced):
    assert validate_national_id(spaced).number == "02013299997"


@pytest.mark.parametrize("junk", [None, 2013299997, ["02013299997"], "", "0201329999\u200b7"])
def test_anything_but_a_string_of_11_digits_is_a_format_error(junk):
    with pytest.raises(InvalidIdNumber) as info:
        validate_national_id(junk)
    assert info.value.code == "format"


@given(st.text(max_size=15))
def test_a_valid_number_is_always_11_ascii_digits(text):
    try:
        number = validate_national_id(text, allow_synthetic=True).number
    except InvalidIdNumber:
        return
    assert len(number) == 11 and all(ch in "0123456789" for ch in number)
