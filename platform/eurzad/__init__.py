"""eurzad: a municipal e-office whose forms and routing are described in files, not code."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config, guard, i18n, logs, pages, probes, security, widgets
from .cases.stored import filed_version_problems
from .engine.definitions import load_registry
from .engine.sources import DefinitionError
from .extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app; raise ConfigError or DefinitionError (with file:line) if it cannot run."""
    app = Flask(__name__, instance_path=str(config.instance_path()), instance_relative_config=True,
                template_folder=str(config.PROJECT_ROOT / "templates"))
    config.configure(app, overrides)
    app.extensions["eurzad.registry"] = load_registry(Path(app.config["DEFINITIONS_DIR"]),
                                                      Path(app.config["WORKFLOWS_FILE"]),
                                                      config.definitions_cache(app.config["DEFINITIONS_CACHE_DIR"]))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    guard.init_app(app)  # before CSRF and limits read the request
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
        # A file changed under a version cases were filed under stops the start too (decision 0036): one read.
        problems = filed_version_problems(db.engine, app.extensions["eurzad.registry"])
    if problems:
        raise DefinitionError(problems)
    if app.config["PROXY_COUNT"]:  # behind nginx: the visitor's address and scheme, for limits and links
        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    logs.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    pages.init_app(app)
    probes.init_app(app)
    widgets.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from . import models  # noqa: F401  (every table)
    from .account import views as account
    from .admin import views as admin
    from .auth import views as auth
    from .citizen import views as citizen
    from .clerk import views as clerk
    from .drafts import views as drafts
    from .frontdesk import views as frontdesk
    from .outbox import views as outbox
    from .previews import views as previews
    from .receipts import views as receipts
    # A blueprint has its routes once its views load.
    for area in (auth, account, citizen, drafts, clerk, receipts, frontdesk, admin, outbox, previews):
        app.register_blueprint(area.bp)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Log in to use this page")
    login_manager.login_message_category = "info"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets pages be read while a submission is written; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLite's own lower() knows only ASCII: searches by name compare Polish letters (Ł, Ś, Ż) as Python does.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value
