"""Log-in limits counted in Redis hold across processes and hosts (RATELIMIT_STORAGE_URI, decision 0041)."""
from __future__ import annotations

import os

import pytest

from eurzad.extensions import limiter

REDIS_URL = os.environ.get("EURZAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
"""A Redis database of the tests' own (the server may be shared: never FLUSHALL)."""


def redis_url() -> str:
    """The tests' Redis, or a skip (a failure in CI, whose .ci/run starts Debian's redis-server)."""
    import redis
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        message = f"needs redis-server at {REDIS_URL} (sudo apt-get install redis-server; .ci/run starts it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


redis_url.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture()
def redis_app(app, another_app):
    """another_app(…) counting its limits in Redis; the other tests' app counts in memory again afterwards
    (Flask-Limiter keeps one store per limiter, set by the app made last)."""
    url = redis_url()
    yield lambda: another_app(RATELIMIT_STORAGE_URI=url)
    limiter.reset()
    limiter.init_app(app)


def test_failed_log_ins_counted_on_one_host_stop_the_next_attempt_on_another(redis_app, make_user):
    user = make_user()
    first_host = redis_app().test_client()
    for _ in range(5):
        assert first_host.submit("/login", {"login": user.email, "password": "not the password"}).status_code == 400
    other_host = redis_app().test_client()  # a process of its own, with nothing counted in its memory
    blocked = other_host.submit("/login", {"login": user.email, "password": "correct horse battery staple"})
    assert blocked.status_code == 429 and "Zbyt wiele prób" in blocked.get_data(as_text=True)
