"""Validation of Norwegian organisation and account numbers (python-stdnum)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.no import kontonr, orgnr


def normalize_org_number(value: str) -> str:
    return orgnr.compact(value or "")


def normalize_account_number(value: str) -> str:
    return kontonr.compact(value or "")


def validate_org_number(value: str) -> None:
    try:
        orgnr.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("An organisation number has 9 digits. You entered %(count)s.")
            % {"count": len(orgnr.compact(value))},
            code="length",
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _("An organisation number contains digits only."), code="format"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("This is not a valid organisation number (the check digit does not match). "
              "Check the number in the Central Coordinating Register for Legal Entities."),
            code="checksum",
        ) from None


def validate_account_number(value: str) -> None:
    try:
        kontonr.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("An account number has 11 digits, for example 1234.56.78903."),
            code="length",
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _("An account number contains digits only (dots and spaces are allowed)."),
            code="format",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("This is not a valid account number (the check digit does not match). "
              "Check the number with your bank."),
            code="checksum",
        ) from None
