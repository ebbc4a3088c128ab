"""The contact address an anonymous sender gives on the summary page (when the form does not ask it itself)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import InputRequired, Length, Optional

from ..validators import EmailAddress


class ContactForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    email = EmailField(_l("Your e-mail address"), id="contact_email", validators=[
        InputRequired(_l("Enter your e-mail address, so that the office can answer you")), Length(max=254),
        EmailAddress()])


class OptionalContactForm(ContactForm):
    """For a form whose definition says contact is optional (`contact: {optional: true}`)."""

    email = EmailField(_l("Your e-mail address"), id="contact_email", validators=[
        Optional(), Length(max=254), EmailAddress()])


def contact_form(definition: Any, anonymous: bool) -> ContactForm | None:
    """The summary page's own question for an anonymous sender's e-mail address; None when the form asks it
    among its questions (`contact.field`) or the sender has an account."""
    if not anonymous or definition.contact.field:
        return None
    return OptionalContactForm() if definition.contact.optional else ContactForm()
