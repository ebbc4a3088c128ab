"""The app's own forms check answers with the engine's rules, so that an e-mail address or a PESEL number
good in a definition's form is good on the registration and staff pages too (and the other way round)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from .engine.formats import is_email, is_pesel


class _EngineRule:
    """A WTForms validator for one of the engine's format checks; an empty answer is left to InputRequired."""

    check: ClassVar[Callable[[object], bool]]
    default: ClassVar[Any]

    def __init__(self, message: Any = None):
        self.message = message or self.default

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not type(self).check(field.data.strip()):
            raise ValidationError(self.message)


class EmailAddress(_EngineRule):
    check = staticmethod(is_email)
    default = _l("Enter an e-mail address in the correct format, like name@example.com")


class Pesel(_EngineRule):
    check = staticmethod(is_pesel)
    default = _l("Enter a valid 11-digit PESEL number")
