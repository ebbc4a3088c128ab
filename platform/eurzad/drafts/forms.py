"""The contact address an anonymous sender gives on the summary page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import InputRequired, Length

from ..validators import EmailAddress


class ContactForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    email = EmailField(_l("Your e-mail address"), id="contact_email", validators=[
        InputRequired(_l("Enter your e-mail address, so that the office can answer you")), Length(max=254),
        EmailAddress()])
