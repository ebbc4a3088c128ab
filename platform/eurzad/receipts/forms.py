"""The public verification form: a receipt file, or its id and digest."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FileField, StringField
from wtforms.validators import Length, Optional, Regexp

MAX_RECEIPT_BYTES = 1024 * 1024
"""A receipt is a few kilobytes of XML or some tens of PDF: a bigger upload is not one (and is never read whole)."""


class VerifyReceiptForm(FlaskForm):
    """Either a receipt file, or the receipt's id with the digest printed on it."""

    class Meta:
        csrf = False  # a public page that changes nothing; rate-limited

    receipt = FileField(_l("Receipt file (XML or PDF)"))
    receipt_id = StringField(_l("Receipt number"), [Optional(), Length(max=36), Regexp(
        r"^\s*[0-9a-fA-F-]{36}\s*$", message=_l("Enter the receipt number as printed, for example "
                                                "3f2b8c1e-5d4a-4b7e-9c21-0a6f4e8d2b17"))])
    digest = StringField(_l("SHA-256 digest"), [Optional(), Length(max=80), Regexp(
        r"^\s*[0-9a-fA-F]{64}\s*$", message=_l("Enter the digest as printed: 64 characters, digits and letters a–f"))])

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def,override]
        """A file, or both the number and the digest."""
        valid = super().validate(extra_validators)
        if self.receipt.data or self.receipt_id.errors or self.digest.errors:
            return valid
        if not self.receipt_id.data and not self.digest.data:
            self.receipt.errors = [_l("Choose a receipt file, or enter the receipt number and digest below")]
            return False
        for field, message in ((self.receipt_id, _l("Enter the receipt number too")),
                               (self.digest, _l("Enter the digest too"))):
            if not field.data:
                field.errors = [message]
                valid = False
        return valid
