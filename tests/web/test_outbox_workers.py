"""Several `eurzad worker` processes drain one outbox and no message is sent twice (decision 0041)."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.outbox.operations import CLAIM_FOR, _claim, deliver_due, queue
from eurzad.timeutil import utcnow

EURZAD = str(Path(sys.executable).parent / "eurzad")


def start_worker(database_url: str, smtp_port: int, **settings: str) -> subprocess.Popen:
    """A real `eurzad worker` process on the database, sending through the SMTP server on `smtp_port`."""
    env = {**os.environ, "EURZAD_SQLALCHEMY_DATABASE_URI": database_url, "EURZAD_SECRET_KEY": "test-secret",
           "EURZAD_MAIL_SERVER": "127.0.0.1", "EURZAD_MAIL_PORT": str(smtp_port),
           **{f"EURZAD_{name}": value for name, value in settings.items()}}
    return subprocess.Popen([EURZAD, "worker", "--interval", "1"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    return output


def subjects(smtp_server) -> Counter:
    return Counter(str(message_from_bytes(envelope.content, policy=policy.default)["Subject"])
                   for envelope in smtp_server.messages)


def wait_for(smtp_server, count: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while len(smtp_server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)  # a duplicate, if any, would arrive now


def test_two_workers_drain_one_outbox_and_every_message_arrives_exactly_once(app, smtp_server):
    smtp_server.delay = 0.1  # 40 messages take one worker 4 s: the second starts before the first is done
    with app.app_context():
        for number in range(40):
            queue(f"osoba{number}@example.pl", f"Wiadomość {number}", "Treść.", utcnow())
        db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [start_worker(url, smtp_server.port), start_worker(url, smtp_server.port)]
    try:
        wait_for(smtp_server, 40)
    finally:
        outputs = [stop(worker) for worker in workers]
    assert subjects(smtp_server) == Counter({f"Wiadomość {number}": 1 for number in range(40)}), outputs
    assert all("sent " in output for output in outputs), f"one worker did all the work: {outputs}"
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


def test_a_message_claimed_by_a_worker_that_stopped_is_sent_by_another_once_the_claim_runs_out(app, smtp_server):
    settings = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
    now = utcnow()
    with app.app_context():
        queue("anna@example.pl", "Link do hasła", "Treść.", now)
        db.session.commit()
        [claimed] = _claim("worker that crashed", now, 10)  # and never sent it
        assert deliver_due(settings, now + timedelta(minutes=1)) == (0, 0)
        assert smtp_server.messages == []
        assert deliver_due(settings, now + CLAIM_FOR + timedelta(seconds=1)) == (1, 0)
        assert deliver_due(settings, now + 2 * CLAIM_FOR + timedelta(seconds=2)) == (0, 0)
    assert subjects(smtp_server) == Counter({"Link do hasła": 1})


def test_a_worker_passes_over_messages_another_is_claiming_and_sends_the_next_ones(app, smtp_server):
    """PostgreSQL: while another worker's claim is in progress (its rows locked), a worker does not wait for it
    and does not take its messages: it claims the next ones (SKIP LOCKED)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no row locks: its writers take turns, and each claim sees the one before")
        for number in range(4):
            queue(f"osoba{number}@example.pl", f"Wiadomość {number}", "Treść.", utcnow())
        db.session.commit()
        settings = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
        with db.engine.connect() as other:  # the other worker, in the middle of claiming the first two
            other.execute(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(2).with_for_update())
            rounds: list[tuple[int, int]] = []
            worker = threading.Thread(target=lambda: rounds.append(_deliver(app, settings)))
            worker.start()
            worker.join(10)
            assert rounds == [(2, 0)], "the worker waited for the other's claim"
            other.rollback()
    assert subjects(smtp_server) == Counter({"Wiadomość 2": 1, "Wiadomość 3": 1})


def _deliver(app, settings) -> tuple[int, int]:
    with app.app_context():
        return deliver_due(settings, utcnow())
