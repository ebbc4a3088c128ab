"""Forms of the account pages: log in, register, activate, change and reset a password."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from ..validators import EmailAddress, Pesel
from .passwords import password_problem


class _Form(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs


def _strong(form, field) -> None:
    problem = password_problem(field.data or "", getattr(form, "owner_email", ""), getattr(form, "owner_pesel", None))
    if problem:
        raise ValidationError(_l(problem))


class LoginForm(_Form):
    login = StringField(_l("E-mail address or PESEL number"),
                        [InputRequired(_l("Enter your e-mail address or PESEL number")), Length(max=254)])
    password = PasswordField(_l("Password"), [InputRequired(_l("Enter your password")), Length(max=1024)])


class ContactDetailsForm(_Form):
    """A citizen's phone and home address: asked at registration, changed on the account page."""

    phone = TelField(_l("Phone number"), [Optional(), Regexp(r"^\+?[0-9][0-9 -]{6,18}[0-9]$", message=_l(
        "Enter a phone number, like +48 13 474 33 00"))])
    street = StringField(_l("Street and house number"), [InputRequired(_l("Enter the street and house number")),
                                                         Length(max=200)])
    postcode = StringField(_l("Postcode"), [InputRequired(_l("Enter the postcode")), Regexp(
        r"^[0-9]{2}-[0-9]{3}$", message=_l("Enter the postcode in the format 00-000"))])
    city = StringField(_l("Town or city"), [InputRequired(_l("Enter the town or city")), Length(max=100)])


class RegistrationForm(ContactDetailsForm):
    full_name = StringField(_l("Full name"), [InputRequired(_l("Enter your full name")), Length(2, 200)])
    pesel = StringField(_l("PESEL number"), [InputRequired(_l("Enter your PESEL number")), Pesel()])
    email = EmailField(_l("E-mail address"), [InputRequired(_l("Enter your e-mail address")), Length(max=254),
                                               EmailAddress()])
    consent = BooleanField(_l("I accept the terms of the e-office and I have read how my personal data are "
                              "processed"), [DataRequired(_l("Tick the box to continue"))])


class ActivationForm(_Form):
    login = StringField(_l("E-mail address or PESEL number"),
                        [InputRequired(_l("Enter your e-mail address or PESEL number")), Length(max=254)])
    code = StringField(_l("Activation code"), [InputRequired(_l("Enter the activation code from the office")),
                                               Length(max=20)])
    password = PasswordField(_l("New password"), [InputRequired(_l("Enter a new password")), Length(max=1024),
                                                  _strong])
    confirm = PasswordField(_l("New password again"), [EqualTo("password", _l("Enter the same password twice"))])


class PasswordChangeForm(_Form):
    current = PasswordField(_l("Current password"), [InputRequired(_l("Enter your current password"))])
    password = PasswordField(_l("New password"), [InputRequired(_l("Enter a new password")), Length(max=1024),
                                                  _strong])
    confirm = PasswordField(_l("New password again"), [EqualTo("password", _l("Enter the same password twice"))])


class ForgotForm(_Form):
    login = StringField(_l("E-mail address or PESEL number"),
                        [InputRequired(_l("Enter your e-mail address or PESEL number")), Length(max=254)])


class ResetForm(_Form):
    password = PasswordField(_l("New password"), [InputRequired(_l("Enter a new password")), Length(max=1024),
                                                  _strong])
    confirm = PasswordField(_l("New password again"), [EqualTo("password", _l("Enter the same password twice"))])
