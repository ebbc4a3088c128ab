"""Logging in one place: one JSON line per request and per logged error, each with the request's id.

`LOGGING` is the one configuration: the shipped gunicorn config hands it to gunicorn (its own messages come out
the same way) and `eurzad` commands apply it with `configure`. The request line is written by the app itself
(`init_app`), so it is the same under gunicorn, `eurzad run` and tests; gunicorn's own access log stays off.
"""
from __future__ import annotations

import json
import logging
import logging.config
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
"""An id a load balancer or proxy sent (a UUID, a hex digest): 8–64 letters, digits, `.`, `_`, `:`, `-`. Anything
else is ignored and a new id is made: it is echoed in a header and printed on the page."""
SECRET_ARGUMENTS = {"token"}
"""Route arguments that are secrets (tracking and confirmation links): logged as `…`, never their value."""
RECORD_FIELDS = ("method", "path", "status", "duration_ms", "user_id")

request_log = logging.getLogger("eurzad.request")


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, the request's fields, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                                "logger": record.name, "message": record.getMessage()}
        line.update({name: getattr(record, name) for name in ("request_id", *RECORD_FIELDS) if hasattr(record, name)})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Gives every record logged while a request is served that request's id (errors included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context() and "request_id" in g:
            record.request_id = g.request_id
        return True


LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "filters": {"request_id": {"()": RequestIdFilter}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                            "formatter": "json", "filters": ["request_id"]}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},  # the same JSON lines
        # gunicorn's access line would carry the whole query (a search's words): the app writes its own instead.
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}


def configure() -> None:
    """Apply `LOGGING` to this process (an `eurzad` command; gunicorn applies it from its config), unless logging
    was set up already (by a test runner, or a host program embedding eurzad)."""
    if not logging.getLogger().handlers:
        logging.config.dictConfig(LOGGING)


def request_id() -> str:
    """This request's id: the caller's well-formed X-Request-ID, else a new one."""
    if "request_id" not in g:
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = sent if WELL_FORMED_ID.fullmatch(sent) else uuid.uuid4().hex
    return str(g.request_id)


def logged_path() -> str:
    """The path with secret arguments hidden, and of the query only its names: a search's words are personal."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ARGUMENTS:
            path = path.replace(str(value), "…")
    names = sorted(set(request.args))
    return path + ("?" + "&".join(f"{name}=…" for name in names) if names else "")


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    if not request_log.isEnabledFor(logging.INFO):  # logging not configured (tests, a benchmark): no line to build
        return response
    started = g.get("request_started", time.perf_counter())
    user = g.get("_login_user")  # only when the request loaded it: a static file costs no query
    user_id = str(user.id) if user is not None and user.is_authenticated else None  # the account, not the session
    path = logged_path()
    request_log.info("%s %s %s", request.method, path, response.status_code, extra={
        "method": request.method, "path": path, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1), "user_id": user_id})
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.add_template_global(request_id)  # the reference printed on error pages
