"""The production start as an operator makes it, in real processes: gunicorn with the shipped config refuses unfit
settings with a plain message, and serves fit ones with one JSON log line per request."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
GUNICORN = [str(BIN / "gunicorn"), "-c", "python:eurzad.gunicorn_conf"]
FIT = {"EURZAD_SITE_URL": "https://e-urzad.example.pl", "EURZAD_SECRET_KEY": "a-production-secret"}


@pytest.fixture()
def instance(tmp_path) -> dict[str, str]:
    """An instance made by `eurzad init` (secret key, SQLite tables, the office's signing key): the environment
    of a process that uses it."""
    env = {**os.environ, "EURZAD_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("EURZAD_TEST_DATABASE_URL", None)
    subprocess.run([str(BIN / "eurzad"), "init"], env=env, check=True, capture_output=True, timeout=120)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refused(env: dict[str, str], *args: str) -> str:
    """Start gunicorn; it must stop at once with exit status 1 and a plain message (returned)."""
    result = subprocess.run([*GUNICORN, "-b", f"127.0.0.1:{free_port()}", *args], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Booting worker" not in result.stderr
    return result.stderr


def test_gunicorn_refuses_the_development_defaults_naming_each_problem(instance, tmp_path):
    env = {**instance, "EURZAD_OFFICE_TIMEZONE": "Europe/Krosno", "EURZAD_SESSION_COOKIE_SECURE": "false",
           "EURZAD_SIGNING_KEYS_DIR": str(tmp_path / "no-keys")}
    message = refused(env, "-w", "2")
    assert "will not start in production" in message
    assert "SITE_URL is the development address" in message
    assert "OFFICE_TIMEZONE 'Europe/Krosno' is not a time zone" in message
    assert "RATELIMIT_STORAGE_URI is memory:// with 2 worker processes" in message
    assert "SESSION_COOKIE_SECURE is off" in message
    assert "No signing key in" in message


def test_gunicorn_refuses_a_start_without_a_secret_key(tmp_path):
    env = {**os.environ, **FIT, "EURZAD_INSTANCE_PATH": str(tmp_path / "empty")}
    env.pop("EURZAD_SECRET_KEY")
    assert "No SECRET_KEY" in refused(env, "-w", "1")


def test_memory_rate_limits_are_fine_for_one_worker_only(instance):
    assert "RATELIMIT_STORAGE_URI" in refused({**instance, **FIT}, "-w", "3")


def test_an_eurzad_command_told_it_is_production_refuses_too(instance):
    result = subprocess.run([str(BIN / "eurzad"), "routes"], env={**instance, "EURZAD_PRODUCTION": "true"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "SITE_URL is the development address" in result.stderr


def test_a_bad_time_zone_stops_even_a_development_start(instance):
    result = subprocess.run([str(BIN / "eurzad"), "routes"], env={**instance, "EURZAD_OFFICE_TIMEZONE": "Mars/Base"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "OFFICE_TIMEZONE 'Mars/Base'" in result.stderr


def get(url: str, **headers: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_gunicorn_serves_fit_settings_and_logs_one_json_line_per_request(instance):
    port = free_port()
    server = subprocess.Popen([*GUNICORN, "-w", "1", "-b", f"127.0.0.1:{port}"], env={**instance, **FIT},
                              stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if get(f"{base}/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        status, headers = get(f"{base}/ready", **{"X-Request-ID": "probe-0001"})
        assert status == 200 and headers["X-Request-ID"] == "probe-0001"
        status, headers = get(f"{base}/?q=Nowak", **{"X-Request-ID": "citizen-0002"})
        assert status == 200 and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    finally:
        server.terminate()
        _, log = server.communicate(timeout=60)
    lines = [json.loads(line) for line in log.splitlines()]  # every line is JSON, gunicorn's own too
    requests = {line["request_id"]: line for line in lines if line["logger"] == "eurzad.request"}
    assert requests["citizen-0002"]["path"] == "/?q=…" and requests["citizen-0002"]["status"] == 200
    assert requests["probe-0001"]["method"] == "GET" and requests["probe-0001"]["duration_ms"] >= 0
    assert "Nowak" not in log
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
