"""The form of a workflow step on the case page: an optional or required comment, and the version of
the case the clerk saw (so that a step taken on a stale page is refused)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length


class StepForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    comment = TextAreaField(_l("Comment"), [Length(max=5000, message=_l("Write at most 5000 characters"))])
    version = HiddenField()
