"""The `eurzad` command: Flask's CLI plus init, demo, users, drafts, the worker, the case log's `cases verify` and
`seal`, and the `forms`, `keys` and `receipts` groups of their own modules."""
from __future__ import annotations

import secrets
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, NoAppException, with_appcontext
from flask_migrate.cli import db as db_group

from . import config, create_app, logs, schema
from .auth.models import Role
from .auth.passwords import password_problem
from .engine.formats import is_email
from .engine.sources import DefinitionError
from .forms_cli import forms_group
from .receipts.commands import keys_group, make_first_key, receipts_group


class CannotStart(NoAppException):
    """The app cannot start: shown as a plain message (no usage text, no traceback), exit status 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(self.format_message(), err=True)


def _load_app() -> Flask:
    logs.configure()
    try:
        return create_app()
    except DefinitionError as exc:
        raise CannotStart("The form definitions have problems; the app will not start until they are "
                          f"fixed:\n{exc}") from None
    except config.ConfigError as exc:
        raise CannotStart(str(exc)) from None


main = FlaskGroup(name="eurzad", create_app=_load_app, help="eurzad: the municipal e-office.")
main.add_command(keys_group)
main.add_command(receipts_group)
main.add_command(forms_group)
main.add_command(db_group)  # Flask-Migrate's `eurzad db …` (decision 0038), listed without an app too


@main.command("init", with_appcontext=False)
def init_command() -> None:
    """Create instance/ (secret key) if missing and bring the database to the newest schema; safe to run again."""
    instance = config.instance_path()
    instance.mkdir(parents=True, exist_ok=True)
    cfg = instance / config.CONFIG_FILE
    if not cfg.exists():
        cfg.write_text("# Local settings of this installation (never commit this file).\n"
                       f"SECRET_KEY = {secrets.token_hex(32)!r}\n", encoding="utf-8")
        cfg.chmod(0o600)
        click.echo(f"Created {cfg} with a new secret key.")
    app = _load_app()
    with app.app_context():
        from .extensions import db
        try:
            said = schema.upgrade(db.engine)
        except schema.UnknownSchemaError as exc:
            raise CannotStart(str(exc)) from None
        made = make_first_key()
    click.echo(said)
    click.echo(f"Database ready: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    if made:
        click.echo(f"Created the office's signing key {made} and its self-signed certificate in "
                   f"{app.config['SIGNING_KEYS_DIR']} (docs/receipts.md: how to use the office's own).")


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo citizen and one demo clerk per department (skips those that exist)."""
    from .demo import create_demo_users
    for line in create_demo_users():
        click.echo(line)


@main.group("users")
def users_group() -> None:
    """Accounts."""


@users_group.command("create")
@click.option("--email", required=True, help="Log-in e-mail address.")
@click.option("--name", "full_name", required=True, help="First and last name.")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.CLERK.value, show_default=True)
@click.option("--department", help="Department symbol from workflows.yaml (clerks and heads need one; front desk may).")
@click.password_option(help="At least 12 characters; asked for when not given.")
@with_appcontext
def create_user_command(email: str, full_name: str, role: str, department: str | None, password: str) -> None:
    """Create an account, e.g. a clerk: eurzad users create --email … --name … --department DR."""
    from .auth.operations import create_user, department_problem, find_by_email
    from .extensions import db, registry
    departments = registry().workflows.departments
    problem = department_problem({Role(role)}, department, departments)
    if problem:
        raise click.UsageError(f"{problem} (--department, one of: {', '.join(departments)})")
    if not is_email(email):
        raise click.UsageError(f"'{email}' is not an e-mail address")
    if not full_name.strip():
        raise click.UsageError("give the person's name")
    problem = password_problem(password, email)
    if problem:
        raise click.UsageError(problem)
    if find_by_email(email) is not None:
        raise click.UsageError(f"an account with the e-mail {email} already exists")
    user = create_user(email, full_name.strip(), password, Role(role), department)
    db.session.commit()
    click.echo(f"Created {role} {user.email}" + (f" in {department}" if department else ""))


@main.group("drafts")
def drafts_group() -> None:
    """Drafts of forms."""


@drafts_group.command("purge")
@with_appcontext
def purge_drafts_command() -> None:
    """Delete drafts untouched for DRAFT_EXPIRY_DAYS, with their files no submission took (run daily)."""
    from flask import current_app

    from .drafts.operations import purge_expired
    from .timeutil import utcnow
    count = purge_expired(utcnow(), current_app.config["DRAFT_EXPIRY_DAYS"])
    click.echo(f"Deleted {count} expired draft(s).")


@main.group("attachments")
def attachments_group() -> None:
    """The content of attached files (ATTACHMENT_STORE)."""


@attachments_group.command("purge")
@click.option("--keep-hours", default=24, show_default=True, type=click.IntRange(min=1),
              help="Spare what was uploaded within this many hours.")
@with_appcontext
def purge_attachments_command(keep_hours: int) -> None:
    """Delete the content of files no draft or case names any more (drafts expired or deleted; run daily, after
    `eurzad drafts purge`)."""
    from datetime import timedelta

    from flask import current_app

    from .cases.files import file_store, purge_orphans
    from .timeutil import utcnow
    count = purge_orphans(file_store(current_app.config), utcnow(), timedelta(hours=keep_hours))
    click.echo(f"Deleted {count} file(s) no draft or case names.")


@main.group("registrations")
def registrations_group() -> None:
    """Registrations waiting for the ID check at the front desk."""


@registrations_group.command("purge")
@with_appcontext
def purge_registrations_command() -> None:
    """Delete registrations not confirmed at the front desk by their last day (REGISTRATION_EXPIRY_DAYS; run daily)."""
    from .auth.operations import purge_expired_registrations
    from .timeutil import utcnow
    count = purge_expired_registrations(utcnow())
    click.echo(f"Deleted {count} expired registration(s).")


@main.group("cases")
def cases_group() -> None:
    """The case log's hash chains: check them, seal their heads."""


@cases_group.command("verify")
@click.option("--case", "number", metavar="NUMBER", help="Check one case, by its number (now or before forwarding).")
@with_appcontext
def verify_cases_command(number: str | None) -> None:
    """Check every case's log against its digests and the seals; name each broken case, exit 1 if any."""

    from .cases.chain import broken_cases, first_break, stored_cases
    from .cases.seals import check_seals, office_signer
    from .citizen.operations import case_by_number
    if number is not None:
        case = case_by_number(number)
        if case is None:
            raise click.UsageError(f"no case has the number {number}")
        [stored] = stored_cases([case.id])  # with the heads of every seal, the seals themselves unchecked
        problem = first_break(stored)
        click.echo(problem or f"case {stored.number}: its chain is intact")
        sys.exit(1 if problem else 0)
    good, problems = check_seals(office_signer())
    for problem in problems:
        click.echo(problem)
    checked = broken = 0
    for _case_id, problem in broken_cases(good):
        checked, broken = checked + 1, broken + bool(problem)
        if problem:
            click.echo(problem)
    if broken or problems:
        click.echo(f"{broken} of {checked} case(s) with a broken chain, {len(problems)} seal problem(s).", err=True)
        sys.exit(1)
    click.echo(f"{checked} cases verified, all chains intact" + (f", {len(good)} seals hold" if good else ""))


@cases_group.command("seal")
@with_appcontext
def seal_cases_command() -> None:
    """Sign the heads of the case chains changed since the last seal, chained to it (run daily)."""
    from sqlalchemy.exc import IntegrityError

    from .cases.seals import make_seal, office_signer
    from .extensions import db
    from .timeutil import utcnow
    try:
        seal = make_seal(office_signer(), utcnow())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException("another seal was made at the same moment: run it again") from None
    click.echo(f"Seal {seal.id}: the heads of {seal.heads} case(s) changed since the last seal, up to event "
               f"{seal.last_event_id}.")


@main.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@click.option("--interval", default=10, show_default=True, help="Seconds between rounds.")
@with_appcontext
def worker_command(once: bool, interval: int) -> None:
    """Send the outbox's e-mail through MAIL_SERVER, retrying failures; run it beside the app."""
    import time

    from flask import current_app

    from .outbox.operations import deliver_due
    from .timeutil import utcnow
    if not current_app.config["MAIL_SERVER"]:
        raise click.UsageError("set MAIL_SERVER (and MAIL_PORT, MAIL_FROM) to send e-mail")
    while True:
        sent, failed = deliver_due(current_app.config, utcnow())
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")
        if once:
            return
        if not (sent or failed):  # a round that found work goes on at once: a long queue drains fast
            time.sleep(interval)
