"""Flask extensions, created unbound here and bound to the app in create_app."""
from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Stable constraint names, so that migrations can name what they change.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
migrate = Migrate()  # `eurzad db upgrade`, `db current`, `db revision --autogenerate` (decision 0038)

APP_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")
"""Flask-Limiter's settings for limits on every page (none are set here; an office may set one)."""


@limiter.request_filter
def _no_limit_on_this_page() -> bool:
    """Let a request through Flask-Limiter's check at once when its view has no limit of its own and no limit
    covers every page: looking the limits up cost every page a few per cent of its CPU (decision 0046). A limited
    view (`@limiter.limit`) is checked exactly as before."""
    view = current_app.view_functions.get(request.endpoint or "")
    return (view is not None and getattr(view, "__wrapper-limiter-instance", None) is None
            and not any(current_app.config.get(name) for name in APP_WIDE_LIMITS))


def registry():
    """The form definitions and workflows the app loaded at start."""
    from flask import current_app
    return current_app.extensions["eurzad.registry"]
