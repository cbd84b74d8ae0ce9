"""KID check digits (rules/kid.py): published and hand-worked examples, and round-trips."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.kid import is_valid_kid, kid_mod10, kid_mod11

# 1234567890 MOD10 from the right, weights 2,1,…: 0 9 16→7 7 12→3 5 8 3 4 1 = 47 → 3
# 1234567890 MOD11 from the right, weights 2..7: 0+27+32+35+36+35+8+9+8+5 = 195,
#   195 % 11 = 8 → 11 − 8 = 3
# 79927398713 is the Luhn algorithm's standard example (ISO/IEC 7812).


def test_mod10_published_examples():
    assert kid_mod10("1234567890") == "12345678903"
    assert kid_mod10("7992739871") == "79927398713"
    assert kid_mod10("0") == "00"
    assert kid_mod10("1") == "18"


def test_mod11_hand_worked_examples():
    assert kid_mod11("1234567890") == "12345678903"
    assert kid_mod11("123") == "1236"   # 3·2 + 2·3 + 1·4 = 16, 16 % 11 = 5 → 6
    assert kid_mod11("5") == "51"       # 10 % 11 = 10 → 1
    assert kid_mod11("0") == "00"       # remainder 0 → check digit 0
    assert kid_mod11("1234567") == "12345674"  # 7·2+6·3+5·4+4·5+3·6+2·7+1·2 = 106 → 4


def test_mod11_remainder_one_is_refused():
    with pytest.raises(ValueError, match="remainder 1"):
        kid_mod11("6")                  # 12 % 11 = 1


@pytest.mark.parametrize("base", ["", "12a", "１２３", "12 3", "١٢٣"])
def test_non_ascii_digits_are_refused(base):
    with pytest.raises(ValueError):
        kid_mod10(base)
    with pytest.raises(ValueError):
        kid_mod11(base)


@pytest.mark.parametrize("kid, valid", [
    ("12345678903", True),
    ("79927398713", True),
    ("1236", True),          # MOD11 only
    ("51", True),            # MOD11 only
    ("12345678904", False),
    ("0", False),            # too short
    (kid_mod10("1" * 24), True),  # 25 digits: the longest
    ("1" * 26, False),       # too long
    ("1234-5678", False),
    ("１２３６", False),       # fullwidth digits
    ("", False),
])
def test_is_valid_kid(kid, valid):
    assert is_valid_kid(kid) is valid


def test_is_valid_kid_does_not_crash_on_non_strings():
    assert is_valid_kid(None) is False  # type: ignore[arg-type]
    assert is_valid_kid(12345678903) is False  # type: ignore[arg-type]


bases = st.text(alphabet="0123456789", min_size=1, max_size=24)


@given(bases)
def test_mod10_round_trip(base):
    kid = kid_mod10(base)
    assert kid[:-1] == base and len(kid) == len(base) + 1
    assert is_valid_kid(kid) or len(kid) < 2


@given(bases)
def test_mod11_round_trip(base):
    try:
        kid = kid_mod11(base)
    except ValueError:
        return
    assert kid[:-1] == base
    assert is_valid_kid(kid) or len(kid) < 2


@given(bases, st.data())
def test_mod10_catches_every_single_digit_error(base, data):
    kid = kid_mod10(base)
    position = data.draw(st.integers(min_value=0, max_value=len(base) - 1))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != base[position]]))
    changed = base[:position] + digit + base[position + 1:]
    assert kid_mod10(changed)[-1] != kid[-1]
