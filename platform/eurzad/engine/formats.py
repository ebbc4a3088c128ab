"""String formats the engine checks (JSON Schema `format`), including Polish identifiers."""
from __future__ import annotations

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from jsonschema import FormatChecker

SAFE_INTEGER = 2**53 - 1
"""The largest integer JSON carries exactly (RFC 8785, ECMAScript): limits and computed values stay within it."""

_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_PESEL_CENTURY = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}

# Only the formats listed here: jsonschema's default checker also takes whatever optional packages
# happen to be installed, and a definition must not pass on one machine and fail on another.
FORMAT_CHECKER = FormatChecker(formats=("date",))


@FORMAT_CHECKER.checks("email")
def is_email(value: object) -> bool:
    """The office's one e-mail rule, as WTForms' Email validator has it (the email-validator package): a
    well-formed address with a domain that has a dot, at most 254 characters; deliverability not checked.
    Definitions (`format: email`), the app's own forms and the command line all use this."""
    if not isinstance(value, str):
        return True
    if len(value) > 254:
        return False
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@FORMAT_CHECKER.checks("pesel")
def is_pesel(value: object) -> bool:
    """Eleven digits with a valid check digit and a real date of birth."""
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"[0-9]{11}", value):  # ASCII digits: int() would read any script's
        return False
    digits = [int(c) for c in value]
    check = (10 - sum(w * d for w, d in zip(_PESEL_WEIGHTS, digits[:10], strict=True)) % 10) % 10
    if check != digits[10]:
        return False
    month = int(value[2:4])
    offset = month - month % 20
    try:
        date(_PESEL_CENTURY[offset] + int(value[:2]), month - offset, int(value[4:6]))
    except (KeyError, ValueError):
        return False
    return True


@FORMAT_CHECKER.checks("nip")
def is_nip(value: object) -> bool:
    """Polish tax number: ten digits (hyphens and spaces allowed) with a valid check digit."""
    if not isinstance(value, str):
        return True
    if len(value) > 13:  # 123-456-32-18 at most: the separators may not make the answer any longer
        return False
    digits_text = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"[0-9]{10}", digits_text):
        return False
    digits = [int(c) for c in digits_text]
    check = sum(w * d for w, d in zip(_NIP_WEIGHTS, digits[:9], strict=True)) % 11
    return check != 10 and check == digits[9]


@FORMAT_CHECKER.checks("attachment")
def is_attachment(value: object) -> bool:
    """A stored file, referred to by the SHA-256 of its content."""
    return not isinstance(value, str) or bool(re.fullmatch(r"[0-9a-f]{64}", value))


def known_formats() -> frozenset[str]:
    """Format names a definition may use; any other name is a typo the checker reports."""
    return frozenset(FORMAT_CHECKER.checkers)
