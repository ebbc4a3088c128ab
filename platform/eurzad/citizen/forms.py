"""The applicant's own fields of an answer to the office's request (the corrected questions come from the
definition), and the request for a new tracking link."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..validators import EmailAddress


class SupplementForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    message = TextAreaField(_l("Your answer to the office"), [
        Length(max=5000, message=_l("Write at most 5000 characters"))])
    documents = MultipleFileField(_l("Documents"))


class LostLinkForm(FlaskForm):
    """A lost tracking link: the case number and the e-mail address given when the form was sent."""

    class Meta:
        csrf = False

    number = StringField(_l("Case number"), [InputRequired(_l("Enter the case number")), Length(max=40)])
    email = EmailField(_l("E-mail address"), [InputRequired(_l("Enter the e-mail address you gave when you sent the "
                                                               "form")), Length(max=254), EmailAddress()])
