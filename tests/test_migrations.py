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

from .conftest import make_app

EURZAD = str(Path(sys.executable).parent / "eurzad")


@pytest.fixture()
def empty_database(app: Flask, tmp_path: Path) -> Iterator[Engine]:
    """The engine of an app (its SQLite settings: foreign keys on) on an empty database of the suite's kind: a new
    SQLite file, or a PostgreSQL database beside the suite's (its name with `_migrations`), made anew."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    server = None
    if url.get_backend_name() == "postgresql":
        scratch = f"{url.database}_migrations"
        server = create_engine(url, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
            conn.execute(text(f'CREATE DATABASE "{scratch}"'))
        url = url.set(database=scratch)
    else:
        url = make_url(f"sqlite:///{tmp_path / 'scratch.db'}")
    with make_app(url.render_as_string(hide_password=False)).app_context():
        engine = db.engine
    yield engine
    engine.dispose()
    if server is not None:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{url.database}"'))
        server.dispose()


def test_the_suites_database_made_by_the_migrations_is_what_the_models_describe(app):
    with app.app_context(), db.engine.connect() as conn:
        assert schema.current(conn) == schema.head()
        assert schema.differences(conn) == []


def test_an_empty_database_brought_to_head_has_every_table_and_no_difference_from_the_models(app, empty_database):
    with app.app_context():
        assert schema.upgrade(empty_database) == f"Upgraded the schema from nothing to {schema.head()}."
        assert schema.upgrade(empty_database) == f"The schema is up to date ({schema.head()})."
        with empty_database.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {*db.metadata.tables, "alembic_version"}
            assert schema.differences(conn) == []


def test_two_hosts_running_init_at_once_take_turns_on_postgresql(app, empty_database, tmp_path):
    if empty_database.dialect.name != "postgresql":
        pytest.skip("SQLite's database belongs to one machine")
    url = empty_database.url.render_as_string(hide_password=False)
    hosts = [subprocess.Popen([EURZAD, "init"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "EURZAD_INSTANCE_PATH": str(tmp_path / f"host{n}"),
                                   "EURZAD_SQLALCHEMY_DATABASE_URI": url}) for n in (1, 2)]
    said = sorted(line for host in hosts for line in host.communicate(timeout=120)[0].splitlines()
                  if "schema" in line)
    with app.app_context():
        head = schema.head()
    assert said == [f"The schema is up to date ({head}).", f"Upgraded the schema from nothing to {head}."]


def test_the_operators_commands_upgrade_and_say_where_the_database_is(app, empty_database, tmp_path):
    env = {**os.environ, "EURZAD_INSTANCE_PATH": str(tmp_path / "instance"), "EURZAD_SECRET_KEY": "x",
           "EURZAD_SQLALCHEMY_DATABASE_URI": empty_database.url.render_as_string(hide_password=False)}

    def eurzad(*args: str) -> str:
        result = subprocess.run([EURZAD, *args], capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout + result.stderr
    with app.app_context():
        head = schema.head()
    said = eurzad("db", "upgrade")
    assert "Running upgrade 0001 -> 0002" in said and f"Running upgrade 0002 -> {head}" in said
    assert f"{head} (head)" in eurzad("db", "current")
    assert "No changes in the schema: no migration written." in eurzad("db", "revision", "--autogenerate", "-m", "x")


def migrate(engine: Engine, step, revision: str) -> None:
    """Alembic's upgrade or downgrade to `revision`, as `eurzad db` runs it."""
    with engine.connect() as conn, schema.foreign_keys_off(conn):
        step(schema.alembic_config(conn), revision)
        conn.commit()


def test_every_migration_goes_down_and_up_again(app, empty_database):
    with app.app_context():
        schema.upgrade(empty_database)
        migrate(empty_database, command.downgrade, "base")
        with empty_database.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        schema.upgrade(empty_database)
        with empty_database.connect() as conn:
            assert schema.differences(conn) == []


def test_a_database_made_before_migrations_is_recorded_as_the_first_and_upgraded(app, empty_database):
    with app.app_context():
        migrate(empty_database, command.upgrade, schema.FIRST)  # what create_all made: the first schema,
        with empty_database.begin() as conn:                     # without alembic_version
            conn.execute(text("DROP TABLE alembic_version"))
        said = schema.upgrade(empty_database)
        assert said.startswith(f"The tables made before migrations are the first migration's ({schema.FIRST})")
        with empty_database.connect() as conn:
            assert schema.current(conn) == schema.head() and schema.differences(conn) == []


FILED_AT_0001 = [  # a citizen, her filing, its case with a log entry and a receipt, as the first schema holds them
    "INSERT INTO users (id, email, full_name, password_hash, status, created_at) VALUES (1, 'ewa@example.pl', "
    "'Ewa Wiśniewska', 'scrypt:32768:8:1$salt$hash', 'active', '2026-11-02 09:00:00')",
    "INSERT INTO user_roles (user_id, role) VALUES (1, 'citizen')",
    "INSERT INTO definition_snapshots (sha256, form_id, version, text, created_at) VALUES ('" + "d" * 64 + "', "
    "'public-information', 2, 'id: public-information', '2026-11-02 09:00:00')",
    "INSERT INTO submissions (id, form_id, form_version, definition_sha256, data_json, data_sha256, locale, "
    "submitted_at, submitter_id, identified_by) VALUES (5, 'public-information', 2, '" + "d" * 64 + "', "
    "'{\"topic\": \"budżet\"}', '" + "a" * 64 + "', 'pl', '2026-11-02 10:00:00', 1, 'account')",
    "INSERT INTO cases (id, number, department, jrwa, year, seq, workflow, state, routing, created_at, "
    "submission_id, version, applicant_id, due_on) VALUES (9, 'OR.1431.1.2026', 'OR', '1431', 2026, 1, "
    "'public_information', 'submitted', '{}', '2026-11-02 10:00:00', 5, 1, 1, '2026-11-16')",
    "INSERT INTO case_events (id, case_id, prev_sha256, sha256, at, actor_id, action, details) VALUES (3, 9, '"
    + "0" * 64 + "', '" + "e" * 64 + "', '2026-11-02 10:00:00', 1, 'submission.create', '{}')",
]


def test_an_office_filled_at_the_first_migration_keeps_everything_after_the_upgrade_and_cases_know_their_form(
        app, empty_database):
    with app.app_context():
        migrate(empty_database, command.upgrade, schema.FIRST)
        with empty_database.begin() as conn:
            for sql in FILED_AT_0001:
                conn.exec_driver_sql(sql.replace("%", "%%"))
            before = {table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
                      for table in ("users", "submissions", "case_events")}
            case_before = conn.execute(text("SELECT * FROM cases")).mappings().one()
        assert schema.upgrade(empty_database) == f"Upgraded the schema from {schema.FIRST} to {schema.head()}."
        with empty_database.connect() as conn:
            for table, rows in before.items():
                after = conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).mappings().all()
                assert [tuple(row[key] for key in rows[0]._fields) for row in after] == rows, table
            case = conn.execute(text("SELECT * FROM cases")).mappings().one()
            assert {**case_before, "form_id": "public-information"} == dict(case)
            assert conn.execute(text("SELECT session_generation FROM users")).scalar() == 0
            assert schema.differences(conn) == []


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
