"""The migrations make the schema the models describe, keep an office's data across an upgrade, and take over a
database made before there were migrations (decision 0038)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from sqlalchemy import Engine, create_engine, inspect, make_url, text

from eurzad import schema
from eurzad.extensions import db

EURZAD = str(Path(sys.executable).parent / "eurzad")


@pytest.fixture()
def empty_database(app: Flask, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database of the suite's kind: a new SQLite file, or a PostgreSQL database beside the
    suite's (its name with `_migrations`), made anew."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        engine = create_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        yield engine
        engine.dispose()
        return
    scratch = f"{url.database}_migrations"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    engine = create_engine(url.set(database=scratch))
    yield engine
    engine.dispose()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{scratch}"'))
    server.dispose()


def test_the_suites_database_made_by_the_migrations_is_what_the_models_describe(app):
    with app.app_context(), db.engine.connect() as conn:
        assert schema.current(conn) == schema.head()
        assert schema.differences(conn) == []


def test_an_empty_database_brought_to_head_has_every_table_and_no_difference_from_the_models(app, empty_database):
    with app.app_context():
        with empty_database.begin() as conn:
            assert schema.upgrade(conn) == f"Upgraded the schema from nothing to {schema.head()}."
        with empty_database.begin() as conn:
            assert schema.upgrade(conn) == f"The schema is up to date ({schema.head()})."
            assert set(inspect(conn).get_table_names()) == {*db.metadata.tables, "alembic_version"}
            assert schema.differences(conn) == []


def test_every_migration_goes_down_and_up_again(app, empty_database):
    with app.app_context(), empty_database.begin() as conn:
        schema.upgrade(conn)
        command.downgrade(schema.alembic_config(conn), "base")
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        schema.upgrade(conn)
        assert schema.differences(conn) == []


def test_a_database_made_before_migrations_is_recorded_as_the_first_and_upgraded(app, empty_database):
    with app.app_context():
        with empty_database.begin() as conn:  # what create_all made: the first schema, no alembic_version
            command.upgrade(schema.alembic_config(conn), schema.FIRST)
            conn.execute(text("DROP TABLE alembic_version"))
        with empty_database.begin() as conn:
            said = schema.upgrade(conn)
        assert said.startswith(f"The tables made before migrations are the first migration's ({schema.FIRST})")
        with empty_database.connect() as conn:
            assert schema.current(conn) == schema.head() and schema.differences(conn) == []


def test_init_refuses_tables_it_does_not_know_with_a_plain_message_and_changes_nothing(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    with closing(sqlite3.connect(instance / "eurzad.db")) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT)")
    env = {**os.environ, "EURZAD_INSTANCE_PATH": str(instance)}
    result = subprocess.run([EURZAD, "init"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "has tables but no record of a migration" in result.stderr
    assert "no column users.email" in result.stderr and "an unexpected column users.login" in result.stderr
    with closing(sqlite3.connect(instance / "eurzad.db")) as conn:
        assert [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["users"]
    upgrade = subprocess.run([EURZAD, "db", "upgrade"], capture_output=True, text=True, env=env, timeout=120)
    assert upgrade.returncode == 1 and "run `eurzad init` once" in upgrade.stderr


def test_upgrading_to_0002_gives_each_stored_digest_its_row_and_keeps_the_outbox(app, empty_database):
    """0002 (decision 0041): the files already attached become known to `eurzad attachments purge`, once per digest;
    messages waiting in the outbox stay waiting, claimed by no worker."""
    with app.app_context(), empty_database.begin() as conn:
        command.upgrade(schema.alembic_config(conn), "0001")
        for sha256, size in (("a" * 64, 10), ("a" * 64, 10), ("b" * 64, 20)):
            conn.execute(text("INSERT INTO attachments (sha256, name, size, content_type, field, created_at) "
                              "VALUES (:sha256, 'skan.png', :size, 'image/png', 'scan', :at)"),
                         {"sha256": sha256, "size": size, "at": "2026-11-02 10:00:00"})
        conn.execute(text("INSERT INTO outbox_messages (recipient, subject, body, created_at, next_attempt_at, "
                          "attempts) VALUES ('anna@example.pl', 'Link', 'Treść.', :at, :at, 0)"),
                     {"at": "2026-11-02 10:00:00"})
        command.upgrade(schema.alembic_config(conn), "0002")
        rows = conn.execute(text("SELECT sha256, size, content FROM attachment_contents ORDER BY sha256")).all()
        assert [tuple(row) for row in rows] == [("a" * 64, 10, None), ("b" * 64, 20, None)]
        assert conn.execute(text("SELECT subject, claimed_by, claimed_until FROM outbox_messages")).one() == \
            ("Link", None, None)
