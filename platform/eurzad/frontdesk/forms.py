"""The front desk's forms: the ID check (with a corrected e-mail address), a rejection, a reopening."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from ..validators import EmailAddress

DOCUMENT_TYPES = [
    SelectChoice("id_card", _l("ID card")),
    SelectChoice("passport", _l("Passport")),
    SelectChoice("residence_card", _l("Residence card")),
    SelectChoice("mobywatel", _l("mObywatel app")),
]


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    document_type = RadioField(_l("Document shown"), choices=DOCUMENT_TYPES,
                               validators=[InputRequired(_l("Select the document shown"))])
    document_suffix = StringField(_l("Last 4 characters of the document number"), [
        InputRequired(_l("Enter the last 4 characters of the document number")),
        Regexp(r"^[A-Za-z0-9]{4}$", message=_l("Enter exactly 4 letters or digits"))])
    email = EmailField(_l("Correct e-mail address"), [Optional(), Length(max=254), EmailAddress()])
    matches = BooleanField(_l("The name, PESEL number and photo in the document match the person and the registration"),
                           [DataRequired(_l("Confirm that the document matches"))])
    state = HiddenField()  # the account's state as the page showed it: a page gone stale acts on nothing
    press = HiddenField()  # "<latest code id>.<token>": this page's press, issued once however often it is sent


class RejectForm(FlaskForm):
    class Meta:
        csrf = False

    reason = TextAreaField(_l("Why the identity could not be confirmed"), [
        DataRequired(_l("Enter the reason")), Length(max=500)])


class ReopenForm(FlaskForm):
    class Meta:
        csrf = False

    reason = TextAreaField(_l("Why the registration is reopened"), [
        DataRequired(_l("Enter the reason")), Length(max=500)])
