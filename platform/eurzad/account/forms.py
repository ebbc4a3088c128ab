"""Forms of the account page: contact details, and a new e-mail address."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from ..auth.forms import ContactDetailsForm
from ..validators import EmailAddress


class _Form(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs


class ContactForm(ContactDetailsForm):
    """The phone and home address, checked as registration checks them."""


class EmailChangeForm(_Form):
    """A new e-mail address, asked for with the current password (a session left open is not enough)."""

    email = EmailField(_l("New e-mail address"), [InputRequired(_l("Enter the new e-mail address")),
                                                   Length(max=254), EmailAddress()])
    password = PasswordField(_l("Your password"), [InputRequired(_l("Enter your password")), Length(max=1024)])
