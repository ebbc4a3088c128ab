"""The production server's settings: `gunicorn -c python:eurzad.gunicorn_conf` (decision 0040, docs/operations.md
"Running"). Any of them can be changed on the command line (`-w 8`, `-b 0.0.0.0:8000`) or in GUNICORN_CMD_ARGS.

A start through this file is a production start: before any worker is forked, the settings are checked
(`config.production_problems`, with the worker count known here) and a bad one stops gunicorn with a plain
message. EURZAD_PRODUCTION=false turns that off for a trial on a developer's machine.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Any

from eurzad import config as eurzad_config  # not `config`: gunicorn would read it as its --config setting
from eurzad import logs

wsgi_app = "eurzad:create_app()"
bind = os.environ.get("EURZAD_BIND", "127.0.0.1:8000")  # behind nginx on the same host
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"  # the app is synchronous; nginx in front buffers slow clients
timeout = 30  # a request taking longer is stuck: its worker is killed (and its traceback logged)
graceful_timeout = 30  # on reload or stop, requests under way get this long to finish
keepalive = 5  # seconds an idle connection from nginx stays open
max_requests = 2000  # each worker is replaced after this many requests (bounds any slow leak) …
max_requests_jitter = 200  # … not all at once
# Only the proxy on this host may say the visitor came over HTTPS (X-Forwarded-Proto); see also PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None  # the app writes one JSON line per request itself (eurzad.logs), with its request id
errorlog = "-"
logconfig_dict = logs.LOGGING  # gunicorn's own messages as the same JSON lines


def on_starting(server: Any) -> None:
    """Refuse a production start on unfit settings, before any worker starts; tell the workers they serve
    production and how many they are (their own start checks the same)."""
    os.environ.setdefault(eurzad_config.ENV_PREFIX + "PRODUCTION", "true")
    os.environ[eurzad_config.ENV_PREFIX + "PROCESSES"] = str(server.cfg.workers)
    settings = eurzad_config.settings()
    if not settings["PRODUCTION"]:
        return
    problems = eurzad_config.production_problems(settings)
    if problems:
        sys.exit(eurzad_config.refusal(problems))
