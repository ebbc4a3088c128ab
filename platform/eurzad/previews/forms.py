"""The three ways to open a preview: a published form, a file of the definitions folder, pasted text."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

MAX_PASTE_BYTES = 1024 * 1024
"""A definition is some tens of kilobytes: a bigger paste is not one (413, never parsed)."""


class PublishedForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    form_id = SelectField(_l("Published form"), choices=[], validate_choice=True)


class FileForm(FlaskForm):
    class Meta:
        csrf = False

    path = StringField(_l("File in the definitions folder"), [
        InputRequired(_l("Enter the name of a file in the definitions folder")), Length(max=300)])


class PastedForm(FlaskForm):
    class Meta:
        csrf = False

    text = TextAreaField(_l("Definition (YAML)"), [InputRequired(_l("Paste the text of a definition"))])
