"""Log-in form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length


class LoginForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    email = EmailField(_l("E-mail address"), [InputRequired(_l("Enter your e-mail address")), Length(max=254)])
    password = PasswordField(_l("Password"), [InputRequired(_l("Enter your password")), Length(max=1024)])
