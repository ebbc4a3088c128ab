"""Configuration: defaults, then instance/eurzad.cfg, then EURZAD_* environment variables."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Config, Flask

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout: platform/eurzad/config.py → the folder holding templates/, instance/, form_definitions/."""

CONFIG_FILE = "eurzad.cfg"


def instance_path() -> Path:
    """Where runtime data lives: EURZAD_INSTANCE_PATH, or instance/ beside the code."""
    return Path(os.environ.get("EURZAD_INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()

ENV_PREFIX = "EURZAD_"


class ConfigError(Exception):
    """The app cannot start with this configuration; the message says what to do."""


def defaults(instance_path: Path) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'eurzad.db'}",
        "DEFINITIONS_DIR": str(PROJECT_ROOT / "form_definitions"),
        "WORKFLOWS_FILE": str(PROJECT_ROOT / "workflows.yaml"),
        "OFFICE_TIMEZONE": "Europe/Warsaw",
        # A text field may hold a long description, not a book: bigger form bodies get a 413 page.
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,  # one attached file (at most 10 MB) and the page's answers
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        "MAX_FORM_PARTS": 500,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session: long forms take time
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PER_PAGE": 25,
        "ATTACHMENTS_DIR": str(instance_path / "attachments"),
        "SIGNING_KEYS_DIR": str(instance_path / "keys"),  # the office's signing keys (docs/receipts.md)
        "DRAFT_EXPIRY_DAYS": 30,  # a draft untouched this long is gone
        # Upload quotas (docs/operations.md): files and megabytes one draft holds (files replaced count until it
        # is sent or deleted), and all the drafts of one anonymous sender (its browser session) together.
        "UPLOAD_DRAFT_FILES": 20,
        "UPLOAD_DRAFT_MB": 50,
        "UPLOAD_SENDER_FILES": 40,
        "UPLOAD_SENDER_MB": 100,
        # E-mail (sent by `eurzad worker` from the outbox). Without MAIL_SERVER the worker does not
        # send; the administrator sees the outbox on the Staff pages.
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_FROM": "e-urzad@um.krosno.pl",
        "SITE_URL": "http://127.0.0.1:5000",  # the public address in e-mailed links and on printed slips
        # Sessions: cookies only over HTTPS (browsers treat http://localhost as secure), gone after
        # 15 minutes without a request.
        "SESSION_COOKIE_SECURE": True,
        "PERMANENT_SESSION_LIFETIME": 15 * 60,
        "ACTIVATION_CODE_HOURS": 72,
        "REGISTRATION_EXPIRY_DAYS": 30,  # a registration not confirmed at the front desk by then is deleted
        "PASSWORD_RESET_MINUTES": 60,
        "EMAIL_CHANGE_HOURS": 24,  # a link that confirms a new e-mail address works this long
        "PROXY_COUNT": 0,  # reverse proxies in front of the app (1 behind nginx): trust their X-Forwarded-*
        "RATELIMIT_STORAGE_URI": "memory://",  # redis://… where several app hosts share the limits
        "RATELIMIT_HEADERS_ENABLED": True,
    }


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Defaults, then instance/eurzad.cfg, then EURZAD_* variables, then `overrides`."""
    app.config.from_mapping(defaults(Path(app.instance_path)))
    app.config.from_pyfile(CONFIG_FILE, silent=True)
    app.config.from_prefixed_env(ENV_PREFIX.rstrip("_"))
    app.config.update(overrides or {})
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["SQLALCHEMY_DATABASE_URI"] = with_driver(url)
    if url.startswith("sqlite:"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["OFFICE_TIMEZONE"]  # dates are shown in office time
    if app.config.get("SECRET_KEY") is not None:
        app.config["SECRET_KEY"] = str(app.config["SECRET_KEY"])  # a digits-only key arrives as a number
    if not app.config.get("SECRET_KEY"):
        raise ConfigError(f"No SECRET_KEY: run `eurzad init` to create instance/{CONFIG_FILE}, "
                          f"or set {ENV_PREFIX}SECRET_KEY.")


def with_driver(url: str) -> str:
    """A database URL as SQLAlchemy takes it: PostgreSQL through psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_url() -> str:
    """The database the app would use, read as `configure` reads it (defaults, instance/eurzad.cfg, EURZAD_*
    variables), without starting the app: `eurzad forms check` counts the stored cases there."""
    settings = Config(str(instance_path()))
    settings.from_mapping(defaults(instance_path()))
    settings.from_pyfile(CONFIG_FILE, silent=True)
    settings.from_prefixed_env(ENV_PREFIX.rstrip("_"))
    return with_driver(str(settings["SQLALCHEMY_DATABASE_URI"]))
