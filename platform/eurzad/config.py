"""Configuration: defaults, then instance/eurzad.cfg, then EURZAD_* environment variables."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Config, Flask

from .engine.parsed import ParsedCache
from .signatures import keys

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout: platform/eurzad/config.py → the folder holding templates/, instance/, form_definitions/."""

CONFIG_FILE = "eurzad.cfg"


def instance_path() -> Path:
    """Where runtime data lives: EURZAD_INSTANCE_PATH, or instance/ beside the code."""
    return Path(os.environ.get("EURZAD_INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()

ENV_PREFIX = "EURZAD_"
DEFAULT_SITE_URL = "http://127.0.0.1:5000"
NO_SECRET_KEY = (f"No SECRET_KEY: run `eurzad init` to create instance/{CONFIG_FILE}, "
                 f"or set {ENV_PREFIX}SECRET_KEY.")


class ConfigError(Exception):
    """The app cannot start with this configuration; the message says what to do."""


def defaults(instance_path: Path) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'eurzad.db'}",
        "DEFINITIONS_DIR": str(PROJECT_ROOT / "form_definitions"),
        "WORKFLOWS_FILE": str(PROJECT_ROOT / "workflows.yaml"),
        # Definition texts already checked, by digest (engine/parsed.py); "" keeps none
        "DEFINITIONS_CACHE_DIR": str(instance_path / "cache" / "definitions"),
        "OFFICE_TIMEZONE": "Europe/Warsaw",
        # A text field may hold a long description, not a book: bigger form bodies get a 413 page.
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,  # one attached file (at most 10 MB) and the page's answers
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        "MAX_FORM_PARTS": 500,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session: long forms take time
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PER_PAGE": 25,
        "ATTACHMENT_STORE": "local",  # or "database": the content of attached files where every app host reads it
        "ATTACHMENTS_DIR": str(instance_path / "attachments"),  # the local store's folder
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
        "SITE_URL": DEFAULT_SITE_URL,  # the public address in e-mailed links and on printed slips
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
        # A production start (the shipped gunicorn config sets both; decision 0040) is refused on the settings
        # `production_problems` names; PROCESSES is how many worker processes serve on this host.
        "PRODUCTION": False,
        "PROCESSES": 1,
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
    # A connection the database (or a firewall) dropped is noticed and replaced before a request uses it.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["OFFICE_TIMEZONE"]  # dates are shown in office time
    if app.config.get("SECRET_KEY") is not None:
        app.config["SECRET_KEY"] = str(app.config["SECRET_KEY"])  # a digits-only key arrives as a number
    if app.config["ATTACHMENT_STORE"] not in ("local", "database"):
        raise ConfigError(f"ATTACHMENT_STORE is {app.config['ATTACHMENT_STORE']!r}: set it to 'local' (a folder, "
                          "one host) or 'database' (every app host shares it), see docs/operations.md.")
    if not app.config.get("SECRET_KEY"):
        raise ConfigError(NO_SECRET_KEY)
    problems = production_problems(app.config) if app.config["PRODUCTION"] else timezone_problems(app.config)
    if problems:
        raise ConfigError(refusal(problems))


def settings() -> Config:
    """The settings as `configure` reads them (defaults, instance/eurzad.cfg, EURZAD_* variables), without an app:
    what `eurzad forms check` and the gunicorn config's start-up check read."""
    read = Config(str(instance_path()))
    read.from_mapping(defaults(instance_path()))
    read.from_pyfile(CONFIG_FILE, silent=True)
    read.from_prefixed_env(ENV_PREFIX.rstrip("_"))
    return read


def timezone_problems(config: Mapping[str, Any]) -> list[str]:
    """A time zone Python does not know would fail every page that shows a date: refused at any start."""
    try:
        ZoneInfo(str(config["OFFICE_TIMEZONE"]))
    except (ZoneInfoNotFoundError, ValueError):
        return [f"OFFICE_TIMEZONE {config['OFFICE_TIMEZONE']!r} is not a time zone name such as 'Europe/Warsaw'."]
    return []


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """What makes these settings unfit to serve citizens; each with what to set instead (decision 0040)."""
    problems = timezone_problems(config) + ([] if config.get("SECRET_KEY") else [NO_SECRET_KEY])
    if str(config.get("SITE_URL", DEFAULT_SITE_URL)).rstrip("/") == DEFAULT_SITE_URL:
        problems.append("SITE_URL is the development address: set the public address, e.g. "
                        "SITE_URL = 'https://e-urzad.krosno.pl' (it starts every e-mailed link).")
    processes = int(config.get("PROCESSES") or 1)
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://") and processes > 1:
        problems.append(f"RATELIMIT_STORAGE_URI is memory:// with {processes} worker processes: each would count "
                        "log-in attempts on its own. Set RATELIMIT_STORAGE_URI = 'redis://host:6379'.")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE is off: the session cookie would travel over plain HTTP. Remove the "
                        "setting (it is on by default) and serve over HTTPS.")
    try:
        keys.current(Path(str(config["SIGNING_KEYS_DIR"])))
    except keys.KeyringError as exc:
        problems.append(f"{exc}; or set SIGNING_KEYS_DIR to the folder every app host shares.")
    return problems


def refusal(problems: list[str]) -> str:
    """The plain message a refused start prints: one line per problem."""
    return "eurzad will not start in production with these settings:\n" + "\n".join(f"- {p}" for p in problems)


def with_driver(url: str) -> str:
    """A database URL as SQLAlchemy takes it: PostgreSQL through psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_url() -> str:
    """The database the app would use, read as `configure` reads it (defaults, instance/eurzad.cfg, EURZAD_*
    variables), without starting the app: `eurzad forms check` counts the stored cases there."""
    return with_driver(str(settings()["SQLALCHEMY_DATABASE_URI"]))


def definitions_cache(folder: str | None = None) -> ParsedCache:
    """The cache of definition texts already checked: the app's setting, or as `configure` would read it."""
    folder = settings()["DEFINITIONS_CACHE_DIR"] if folder is None else folder
    return ParsedCache(Path(folder) if folder else None)
