"""Forms of the account page: contact details, and a new e-mail address."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, TelField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..validators import EmailAddress


class _Form(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs


class ContactForm(_Form):
    """The phone and home address, checked as registration checks them."""

    phone = TelField(_l("Phone number"), [Optional(), Regexp(r"^\+?[0-9][0-9 -]{6,18}[0-9]$", message=_l(
        "Enter a phone number, like +48 13 474 33 00"))])
    street = StringField(_l("Street and house number"), [InputRequired(_l("Enter the street and house number")),
                                                         Length(max=200)])
    postcode = StringField(_l("Postcode"), [InputRequired(_l("Enter the postcode")), Regexp(
        r"^[0-9]{2}-[0-9]{3}$", message=_l("Enter the postcode in the format 00-000"))])
    city = StringField(_l("Town or city"), [InputRequired(_l("Enter the town or city")), Length(max=100)])


class EmailChangeForm(_Form):
    """A new e-mail address, asked for with the current password (a session left open is not enough)."""

    email = EmailField(_l("New e-mail address"), [InputRequired(_l("Enter the new e-mail address")),
                                                   Length(max=254), EmailAddress()])
    password = PasswordField(_l("Your password"), [InputRequired(_l("Enter your password")), Length(max=1024)])
