"""For administrators: staff accounts (the list, a new account, one account and its actions), and the office's
form definitions (the list, a form's page with its routing and stored versions, a stored version's text)."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..access import role_required
from ..account.operations import email_change_token
from ..audit.models import AuditEvent
from ..auth.models import Role, User, UserRole
from ..auth.operations import reset_token
from ..cases.models import DefinitionSnapshot
from ..cases.versions import filed_versions
from ..engine.definitions import check, definition_files
from ..engine.diff import diff_forms
from ..engine.sources import DefinitionError, Problem, display_name
from ..extensions import db, registry
from ..i18n import current_locale
from ..pages import paginate, site_url
from ..revisions import text_side
from ..timeutil import utcnow
from ..widgets import form_problems
from . import bp
from .forms import StaffForm
from .operations import (
    EmailChange,
    Staff,
    StaffRefusedError,
    change_staff,
    create_staff,
    send_password_link,
    set_active,
)


@bp.get("/users/")
@role_required(Role.ADMIN)
def list_users():
    staff = select(User).where(User.id.in_(select(UserRole.user_id).where(UserRole.role != Role.CITIZEN)))
    page = paginate(staff.order_by(User.full_name))
    return render_template("admin/users.html", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_user():
    form = _staff_form()
    if form.validate_on_submit():
        try:
            user = create_staff(current_user, _staff(form), registry().workflows.departments, utcnow(),
                                _welcome_message)
        except StaffRefusedError as refused:
            return _account_page(form, None, {refused.field: _(refused.message)})
        flash(_("The account is created; %(email)s has been sent a link to set a password", email=user.email), "info")
        return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    return _account_page(form, None, form_problems(form))


@bp.get("/users/<int:user_id>")
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    user = _staff_or_404(user_id)
    return _account_page(_staff_form(user), user, {})


@bp.post("/users/<int:user_id>")
@role_required(Role.ADMIN)
def save_user(user_id: int):
    user = _staff_or_404(user_id)
    form = _staff_form(user)
    if not form.validate():
        return _account_page(form, user, form_problems(form))
    try:
        pending = change_staff(current_user, user, _staff(form), registry().workflows.departments, utcnow(),
                               EmailChange(_email_confirm_message, _email_change_notice))
    except StaffRefusedError as refused:
        return _account_page(form, user, {refused.field: _(refused.message)})
    flash(_("The changes are saved"), "info")
    if pending:
        flash(_("The e-mail address changes to %(email)s only when its holder, logged in, opens the link sent "
                "there (within %(hours)d hours); the present address has been told.", email=pending,
                hours=current_app.config["EMAIL_CHANGE_HOURS"]), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.post("/users/<int:user_id>/password-link")
@role_required(Role.ADMIN)
def send_link(user_id: int):
    user = _staff_or_404(user_id)
    send_password_link(current_user, user, utcnow(), _welcome_message)
    flash(_("%(email)s has been sent a link to set a password", email=user.email), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.get("/users/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
def confirm_deactivate(user_id: int):
    """Are you sure? A blocked account cannot log in until it is given back."""
    user = _staff_or_404(user_id)
    return render_template("confirm.html", question=_("Block the account of %(name)s?", name=user.full_name),
                           warning=_("The account cannot log in until an administrator gives it back; its cases stay "
                                     "assigned to it."),
                           button=_("Yes, block the account"), action=url_for("admin.deactivate", user_id=user.id),
                           back=url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
def deactivate(user_id: int):
    user = _staff_or_404(user_id)
    if request.form.get("confirm") != "yes":  # not from the page that asks: ask first
        return redirect(url_for("admin.confirm_deactivate", user_id=user.id), code=303)
    set_active(current_user, user, False, utcnow())
    flash(_("The account is blocked"), "info")
    return redirect(url_for("admin.edit_user", user_id=user_id), code=303)


@bp.post("/users/<int:user_id>/reactivate")
@role_required(Role.ADMIN)
def reactivate(user_id: int):
    set_active(current_user, _staff_or_404(user_id), True, utcnow())
    return redirect(url_for("admin.edit_user", user_id=user_id), code=303)


def _staff_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.is_staff:
        abort(404)
    return user


def _account_page(form: StaffForm, user: User | None, problems: dict[str, str]):
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)
                                .order_by(AuditEvent.id.desc()).limit(50)).all() if user else []
    return render_template("admin/user.html", form=form, user=user, problems=problems, events=events), \
        400 if problems else 200


def _staff(form: StaffForm) -> Staff:
    return Staff(form.full_name.data.strip(), form.email.data, frozenset(Role(r) for r in form.roles.data),
                 form.department.data or None)


def _staff_form(user: User | None = None) -> StaffForm:
    form = StaffForm(data={"full_name": user.full_name, "email": user.email, "roles": sorted(user.roles),
                           "department": user.department or ""} if user and request.method == "GET" else None)
    form.department.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(symbol, f"{symbol} – {department.name.get(current_locale())}") for symbol, department in
        registry().workflows.departments.items()]
    return form


def _email_confirm_message(user: User, new: str) -> tuple[str, str]:
    link = site_url("account.confirm_email", token=email_change_token(user, new, current_app.config["SECRET_KEY"]))
    return _("Confirm your new e-mail address"), render_template(
        "account/confirm_email.txt", user=user, link=link, hours=current_app.config["EMAIL_CHANGE_HOURS"])


def _email_change_notice(user: User, new: str) -> tuple[str, str]:
    return _("A new e-mail address was given to your account"), render_template(
        "admin/email_change_requested.txt", user=user, new=new)


def _welcome_message(user: User) -> tuple[str, str]:
    link = site_url("auth.reset_password", token=reset_token(user, current_app.config["SECRET_KEY"]))
    return _("Your e-office staff account"), render_template(
        "admin/welcome_email.txt", user=user, link=link, minutes=current_app.config["PASSWORD_RESET_MINUTES"])


@bp.get("/forms/")
@role_required(Role.ADMIN)
def list_forms():
    """Every loaded definition with its facts, the versions cases were filed under (with their counts) and what
    `eurzad forms check` finds in its file now; the folder's files not loaded; forms with cases, gone since."""
    filed = filed_versions()
    gone = {form_id: versions for form_id, versions in filed.items() if form_id not in registry().forms}
    return render_template("admin/forms.html", forms=list(registry()), filed=filed, gone=gone, **_on_disk())


@bp.get("/forms/<form_id>")
@role_required(Role.ADMIN)
def show_form(form_id: str):
    """One form: its facts, its routing rows, the check's findings, its stored versions."""
    definition = registry().forms.get(form_id)
    filed = filed_versions(form_id).get(form_id, [])
    if definition is None and not filed:
        abort(404)
    return render_template("admin/form.html", form_id=form_id, definition=definition, filed=filed,
                           routing=_routing(definition), **_on_disk())


@bp.get("/forms/<form_id>/versions/<sha256>")
@role_required(Role.ADMIN)
def show_version(form_id: str, sha256: str):
    """The exact text a version was filed under, as stored."""
    snapshot = db.session.get(DefinitionSnapshot, sha256[:64])
    if snapshot is None or snapshot.form_id != form_id:
        abort(404)
    return render_template("admin/version.html", snapshot=snapshot)


@bp.get("/forms/<form_id>/diff")
@role_required(Role.ADMIN)
def compare_versions(form_id: str):
    """What changed between two versions of a form (stored ones, or the one published now), as `forms diff`
    says it: per question, page, condition and service fact, the breaking changes flagged."""
    definition = registry().forms.get(form_id)
    texts = {version.sha256: (f"v{version.version}-{version.sha256[:8]}", version.version)
             for version in filed_versions(form_id).get(form_id, [])}
    if definition is not None:
        texts[CURRENT] = (display_name(Path(definition.file)), definition.version)
    old, new = request.args.get("old", "")[:64], request.args.get("new", "")[:64]
    if not texts or old not in texts or new not in texts:
        abort(404)
    try:
        sides = [text_side(texts[key][0], definition.text if key == CURRENT else _snapshot_text(key))  # type: ignore[union-attr]
                 for key in (old, new)]
    except DefinitionError as exc:
        return render_template("admin/diff.html", form_id=form_id, texts=texts, old=old, new=new, result=None,
                               problems=exc.problems), 422
    result = diff_forms(*sides)
    return render_template("admin/diff.html", form_id=form_id, texts=texts, old=old, new=new, result=result,
                           problems=[])


CURRENT = "current"
"""The version published now, beside the stored ones, in the comparison's choices."""


def _snapshot_text(sha256: str) -> str:
    return db.session.get(DefinitionSnapshot, sha256).text  # type: ignore[union-attr]


def _on_disk() -> dict[str, Any]:
    """What the check finds in the definitions folder now (the files may have changed since the app loaded
    them): problems by file; the loaded forms whose file now holds another text, or is gone; the files not
    loaded, each as (its name in the folder, its name in problems)."""
    files = definition_files([Path(current_app.config["DEFINITIONS_DIR"])])
    problems, forms, _workflows = check(files, Path(current_app.config["WORKFLOWS_FILE"]))
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_file[problem.file].append(problem)
    texts = {form.file: form.sha256 for form in forms} | {display_name(path): None for path in files
                                                         if display_name(path) in by_file}
    changed = {form.id for form in registry() if texts.get(form.file, "") != form.sha256}
    loaded = {form.file for form in registry()}
    unloaded = [(path.name, display_name(path)) for path in files if display_name(path) not in loaded]
    workflows = by_file.get(display_name(Path(current_app.config["WORKFLOWS_FILE"])), [])
    return {"problems": by_file, "changed": changed, "unloaded": unloaded, "workflow_problems": workflows}


def _routing(definition: Any) -> list[tuple[Any, str | None, int]]:
    """The rows of the form's routing table, top to bottom: each with its condition as written in
    workflows.yaml (None for the catch-all row) and its line there."""
    workflows = registry().workflows
    if definition is None or definition.routing is None:
        return []
    written = workflows.source.data["routing"][definition.routing]
    return [(row, _flow(written[row.number - 1].get("when")),
             workflows.source.line_of(("routing", definition.routing, row.number - 1)))
            for row in workflows.routing[definition.routing]]


def _flow(condition: Any) -> str | None:
    """A condition on one line, as YAML's flow style writes it: {field: category, in: [lamp, sign]}."""
    if condition is None:
        return None
    return yaml.safe_dump(condition, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10_000).strip()
