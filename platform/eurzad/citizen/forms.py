"""The applicant's own fields of an answer to the office's request (the corrected questions come from the
definition)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, TextAreaField
from wtforms.validators import Length


class SupplementForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    message = TextAreaField(_l("Your answer to the office"), [
        Length(max=5000, message=_l("Write at most 5000 characters"))])
    documents = MultipleFileField(_l("Documents"))
