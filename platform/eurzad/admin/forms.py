"""The staff account form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from ..auth.models import Role

ROLE_LABELS = {
    Role.FRONT_DESK: _l("Front desk: checks ID documents, activates accounts"),
    Role.CLERK: _l("Clerk: handles the department's cases"),
    Role.HEAD: _l("Head of department: assigns the department's cases"),
    Role.ADMIN: _l("Administrator: manages staff accounts"),
}


class StaffForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    full_name = StringField(_l("Full name"), [InputRequired(_l("Enter the full name")), Length(2, 200)])
    email = EmailField(_l("E-mail address"), [
        InputRequired(_l("Enter the e-mail address")), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$",
               message=_l("Enter an e-mail address in the correct format, like name@example.com"))])
    roles = SelectMultipleField(_l("Roles"), validators=[InputRequired(_l("Select at least one role"))],
                                choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()])
    department = SelectField(_l("Department"), choices=[], validate_choice=True)
