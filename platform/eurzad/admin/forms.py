"""The staff account form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length

from ..auth.models import ROLE_DUTIES, Role
from ..validators import EmailAddress


class StaffForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    full_name = StringField(_l("Full name"), [InputRequired(_l("Enter the full name")), Length(2, 200)])
    email = EmailField(_l("E-mail address"), [
        InputRequired(_l("Enter the e-mail address")), Length(max=254),
        EmailAddress()])
    roles = SelectMultipleField(_l("Roles"), validators=[InputRequired(_l("Select at least one role"))],
                                choices=[SelectChoice(role.value, ROLE_DUTIES[role]) for role in Role.staff()])
    department = SelectField(_l("Department"), choices=[], validate_choice=True)
