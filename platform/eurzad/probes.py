"""The load balancer's two questions: is the process alive (`/health`), and can it serve (`/ready`).

Both are public, hold no personal data, and are exempt from CSRF and rate limits (a probe every few seconds must
never count against anyone). Neither renders a page: a short JSON answer the load balancer or an operator reads.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .access import public
from .extensions import csrf, db, limiter, registry
from .signatures import keys


@public
def health() -> tuple[dict[str, Any], int]:
    """Liveness: the process answers. Touches no database, so a database outage does not restart workers."""
    return {"status": "ok"}, 200


@public
def ready() -> tuple[dict[str, Any], int]:
    """Readiness: the database answers, definitions are loaded, the signing key is readable; else 503 and why."""
    reason = _not_ready()
    if reason:
        return {"status": "unavailable", "reason": reason}, 503
    return {"status": "ok"}, 200


def _not_ready() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "database unreachable"
    finally:
        db.session.remove()
    if not registry().forms:
        return "no form definitions loaded"
    try:
        keys.current(Path(current_app.config["SIGNING_KEYS_DIR"]))
    except keys.KeyringError:
        return "no signing key"
    return None


def init_app(app: Flask) -> None:
    for view in (health, ready):
        app.add_url_rule(f"/{view.__name__}", view_func=limiter.exempt(csrf.exempt(view)))
