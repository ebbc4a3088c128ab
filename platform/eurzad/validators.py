"""The app's own forms check answers with the engine's rules, so that an e-mail address or a PESEL number
good in a definition's form is good on the registration and staff pages too (and the other way round)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from .engine.formats import is_email, is_pesel


class EmailAddress:
    """engine.formats.is_email; an empty answer is left to InputRequired or Optional."""

    def __init__(self, message: Any = None):
        self.message = message or _l("Enter an e-mail address in the correct format, like name@example.com")

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not is_email(field.data.strip()):
            raise ValidationError(self.message)


class Pesel:
    """engine.formats.is_pesel: eleven digits, a valid check digit and a real date of birth."""

    def __init__(self, message: Any = None):
        self.message = message or _l("Enter a valid 11-digit PESEL number")

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not is_pesel(field.data.strip()):
            raise ValidationError(self.message)
