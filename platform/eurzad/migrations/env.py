"""Alembic's environment for `eurzad db …` (Flask-Migrate): the app's database and every model's table.

A caller may hand in an open connection as `config.attributes["connection"]` (eurzad/schema.py: eurzad init, the
tests); the operator's commands use the app's engine. Batch mode, so that a later ALTER works on SQLite too."""
import warnings
from logging.config import fileConfig

from alembic import context
from flask import current_app

from eurzad import models  # noqa: F401  (every table)
from eurzad.extensions import db
from eurzad.schema import ONLY_ON_POSTGRESQL, foreign_keys_off, made_before_migrations

config = context.config
warnings.filterwarnings("ignore", message=ONLY_ON_POSTGRESQL)
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _skip_empty_revision(_context, _revision, directives) -> None:  # type: ignore[no-untyped-def]
    """`eurzad db revision --autogenerate` writes no file when the models and the database agree."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        print("No changes in the schema: no migration written.")


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=db.metadata, render_as_batch=True,
                      compare_type=True, process_revision_directives=_skip_empty_revision)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("eurzad's migrations run on a database connection: offline (--sql) mode is not supported")
given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    with current_app.extensions["migrate"].db.engine.connect() as connection:
        if made_before_migrations(connection):
            raise SystemExit("This database was made before eurzad had migrations (its tables have no "
                             "alembic_version): run `eurzad init` once, which checks the tables and records them as "
                             "the first migration's, then `eurzad db …` works.")
        with foreign_keys_off(connection):
            _run(connection)
            connection.commit()  # the check above began a transaction: Alembic's own commit waits for the caller
