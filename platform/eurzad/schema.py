"""The database's schema through the migrations (decision 0038): bring a database to head, and tell a database
made by the old `create_all` apart from an empty one."""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Connection, Engine, create_engine, inspect

from . import models  # noqa: F401  (every table)
from .extensions import db

# The revision whose schema `eurzad init` made with create_all before there were migrations.
FIRST = "0001"
# SQLite cannot read back an index on an expression, so autogenerate says it skips the trigram index there (it
# exists on PostgreSQL only): not a difference.
ONLY_ON_POSTGRESQL = "autogenerate skipping metadata-specified expression-based index 'ix_users_full_name_trigrams'"


UPGRADE_LOCK = 0x6575727A6164  # "eurzad": the advisory lock an upgrade holds on PostgreSQL


class UnknownSchemaError(Exception):
    """The database has tables but no record of a migration, and they are not the first migration's."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the app's migrations, run on `connection` when given (else the app's engine)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    config.attributes["configure_logger"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "heads") -> str:
    """Bring the database to `revision`; a database of the old `create_all` is stamped first when its tables and
    columns are the first migration's, refused otherwise. Returns what it did, for the operator."""
    said = ""
    with engine.connect() as connection, one_at_a_time(connection), foreign_keys_off(connection):
        if made_before_migrations(connection):
            problem = _differs_from_first(connection)
            if problem:
                raise UnknownSchemaError(problem)
            command.stamp(alembic_config(connection), FIRST)
            connection.commit()
            said = f"The tables made before migrations are the first migration's ({FIRST}): recorded as such. "
        before = current(connection)
        command.upgrade(alembic_config(connection), revision)
        connection.commit()
        after = current(connection)
    return said + (f"Upgraded the schema from {before or 'nothing'} to {after}." if before != after
                   else f"The schema is up to date ({after}).")


@contextmanager
def one_at_a_time(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, one upgrade at a time (two app hosts running `eurzad init` at once): the second waits for
    the first and then finds the schema up to date. SQLite's database is one machine's."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql(f"SELECT pg_advisory_lock({UPGRADE_LOCK})")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql(f"SELECT pg_advisory_unlock({UPGRADE_LOCK})")
        connection.commit()


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite's foreign keys off while migrations run: batch mode copies a table and drops the old one, and with
    them on SQLite would refuse (or cascade to) the rows that refer to it. The switch works only outside a
    transaction, so the caller commits inside; elsewhere nothing is switched."""
    if connection.dialect.name != "sqlite":
        yield
        return
    _switch_foreign_keys(connection, on=False)
    try:
        yield
    finally:
        connection.rollback()  # (nothing left to roll back when the work was committed)
        _switch_foreign_keys(connection, on=True)


def _switch_foreign_keys(connection: Connection, on: bool) -> None:
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    if bool(connection.exec_driver_sql("PRAGMA foreign_keys").scalar()) != on:
        raise RuntimeError("SQLite did not switch its foreign keys: a transaction was open")
    if not on:
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
    connection.rollback()
    if broken:
        raise RuntimeError(f"A migration left a row of {broken[0]} pointing to a missing row of {broken[2]}")


def made_before_migrations(connection: Connection) -> bool:
    """Tables without a record of a migration: made by `create_all` before eurzad had migrations."""
    return current(connection) is None and bool(_tables(connection))


def differences(connection: Connection) -> list[Any]:
    """What `eurzad db revision --autogenerate` would write for this database: [] when it is what the models say."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=ONLY_ON_POSTGRESQL)
        return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)


def _tables(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {name: {column["name"] for column in inspector.get_columns(name)}
            for name in inspector.get_table_names() if name != "alembic_version"}


def _differs_from_first(connection: Connection) -> str:
    """What stops the tables from being taken for the first migration's ('' when nothing does): the first
    migration is run on an empty in-memory database and its tables and columns compared by name."""
    scratch = create_engine("sqlite://")
    with scratch.begin() as empty:
        command.upgrade(alembic_config(empty), FIRST)
        expected = _tables(empty)
    scratch.dispose()
    found = _tables(connection)
    both = sorted(expected.keys() & found.keys())
    problems = [f"an unexpected table {table}" for table in sorted(found.keys() - expected.keys())]
    problems += [f"an unexpected column {table}.{column}" for table in both
                 for column in sorted(found[table] - expected[table])]
    problems += [f"no column {table}.{column}" for table in both for column in sorted(expected[table] - found[table])]
    problems += [f"no table {table}" for table in sorted(expected.keys() - found.keys())]
    if not problems:
        return ""
    return ("This database has tables but no record of a migration (no alembic_version table), and they are not "
            f"the tables of eurzad's first migration ({FIRST}): " + ", ".join(problems[:8]) +
            (f" and {len(problems) - 8} more" if len(problems) > 8 else "") +
            ". Upgrade it with the eurzad release that made it first, or recreate it (docs/operations.md, "
            "schema changes).")
