"""Registrations and citizens' accounts: search, the ID check, the printable activation code, help for someone
who lost access, a rejection, a reopening."""
from __future__ import annotations

import secrets

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..access import role_required
from ..audit.models import AuditEvent
from ..auth.models import ActivationCode, IdentityCheck, Role, Status, User, UserRole
from ..auth.operations import derived_code
from ..extensions import db
from ..pages import paginate
from ..timeutil import days_later, utcnow
from ..widgets import form_problems
from . import bp
from .forms import DOCUMENT_TYPES, RejectForm, ReopenForm, VerifyForm
from .operations import (
    EmailTakenError,
    IdCheck,
    Press,
    reject_identity,
    reopen_registration,
    restore_access,
    verify_identity,
)

HISTORY = 20
"""How many of an account's latest audit events its page shows."""


@bp.get("/")
@role_required(Role.FRONT_DESK)
def list_registrations():
    """Registrations waiting for an ID check; a search of every citizen's account by code, PESEL, name or
    e-mail address."""
    query = request.args.get("q", "").strip()[:100]
    staff = [role.value for role in Role.staff()]
    stmt = select(User).where(User.role_rows.any(UserRole.role == Role.CITIZEN),
                              ~User.role_rows.any(UserRole.role.in_(staff))).order_by(User.created_at.desc())
    if query:
        code = query.replace("-", "").upper()
        stmt = stmt.where(or_(func.replace(User.registration_code, "-", "") == code, User.pesel == query,
                              func.lower(User.full_name).contains(query.lower()),
                              func.lower(User.email) == query.lower()))
    else:
        stmt = stmt.where(User.status.in_([Status.PENDING, Status.VERIFIED]))
    page = paginate(stmt)
    return render_template("frontdesk/list.html", page=page, query=query, now=utcnow())


@bp.get("/registrations/<int:user_id>")
@role_required(Role.FRONT_DESK)
def check_registration(user_id: int):
    return _registration(_registration_or_404(user_id))


@bp.post("/registrations/<int:user_id>/verify")
@role_required(Role.FRONT_DESK)
def verify(user_id: int):
    """The first ID check of a registration: the person is here with the document."""
    user = _registration_or_404(user_id)
    form = VerifyForm(prefix="verify")
    if not form.validate():
        return _registration(user, verify_form=form)
    try:
        code = verify_identity(user, current_user, _id_check(form), _press(user, form), utcnow(),
                               current_app.config["ACTIVATION_CODE_HOURS"])
    except EmailTakenError as taken:
        form.email.errors = [_(taken.message)]
        return _registration(user, verify_form=form)
    return _code_slip(user, code)


@bp.post("/registrations/<int:user_id>/code")
@role_required(Role.FRONT_DESK)
def new_code(user_id: int):
    """A new activation code after a new ID check, for a confirmed or active account whose holder cannot get in."""
    user = _registration_or_404(user_id)
    form = VerifyForm(prefix="verify")
    if not form.validate():
        return _registration(user, verify_form=form)
    try:
        code = restore_access(user, current_user, _id_check(form), form.state.data or "", _press(user, form),
                              utcnow(), current_app.config["ACTIVATION_CODE_HOURS"])
    except EmailTakenError as taken:
        form.email.errors = [_(taken.message)]
        return _registration(user, verify_form=form)
    return _code_slip(user, code)


@bp.post("/registrations/<int:user_id>/reject")
@role_required(Role.FRONT_DESK)
def reject(user_id: int):
    user = _registration_or_404(user_id)
    form = RejectForm(prefix="reject")
    if form.validate():
        reject_identity(user, current_user, form.reason.data.strip(), utcnow())
        form = RejectForm(prefix="reject", formdata=None)
    return _registration(user, reject_form=form)


@bp.post("/registrations/<int:user_id>/reopen")
@role_required(Role.FRONT_DESK)
def reopen(user_id: int):
    """A rejected or expired registration waits for the ID check again, for REGISTRATION_EXPIRY_DAYS more days."""
    user = _registration_or_404(user_id)
    form = ReopenForm(prefix="reopen")
    if form.validate():
        now = utcnow()
        reopen_registration(user, current_user, form.reason.data.strip(), now, _expiry(now))
        form = ReopenForm(prefix="reopen", formdata=None)
    return _registration(user, reopen_form=form)


def _id_check(form: VerifyForm) -> IdCheck:
    return IdCheck(form.document_type.data, form.document_suffix.data, form.email.data or None)


def _press(user: User, form: VerifyForm) -> Press:
    """The press the page's form carries; a form without one (not from this version's page) is a press of its own
    that knows of the latest code, as every press did before presses were counted."""
    seen, _dot, token = (form.press.data or "").partition(".")
    if not (seen.isascii() and seen.isdigit() and len(seen) < 10 and token):
        seen, _dot, token = _fresh_press(user).partition(".")
    return Press(derived_code(current_app.config["SECRET_KEY"], "activation", user.id, token), int(seen))


def _fresh_press(user: User) -> str:
    """A new press for the page: the latest activation code it knows of, and a random token."""
    latest = db.session.scalar(select(func.max(ActivationCode.id)).where(ActivationCode.user_id == user.id))
    return f"{latest or 0}.{secrets.token_urlsafe(12)}"


def _expiry(now):
    """When a registration made or reopened now expires: the end of the office's day REGISTRATION_EXPIRY_DAYS on."""
    return days_later(now, current_app.config["REGISTRATION_EXPIRY_DAYS"], current_app.config["OFFICE_TIMEZONE"])


def _registration(user: User, verify_form: VerifyForm | None = None, reject_form: RejectForm | None = None,
                  reopen_form: ReopenForm | None = None):
    """The page of a registration or account: its data, what can be done in its state, the checks so far and
    its latest audit events."""
    verify_form = verify_form or VerifyForm(prefix="verify", formdata=None)
    reject_form = reject_form or RejectForm(prefix="reject", formdata=None)
    reopen_form = reopen_form or ReopenForm(prefix="reopen", formdata=None)
    verify_form.state.data = user.status
    verify_form.press.data = verify_form.press.data or _fresh_press(user)
    problems = form_problems(verify_form, reject_form, reopen_form)
    checks = db.session.scalars(select(IdentityCheck).where(IdentityCheck.user_id == user.id)
                                .order_by(IdentityCheck.id)).all()
    history = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)
                                 .order_by(AuditEvent.id.desc()).limit(HISTORY)).all()
    now = utcnow()
    return render_template("frontdesk/check.html", user=user, verify=verify_form, reject=reject_form,
                           reopen=reopen_form, checks=checks, history=history, problems=problems, now=now,
                           expired=user.registration_expired(now),
                           document_names={c.value: c.label for c in DOCUMENT_TYPES}), 400 if problems else 200


def _code_slip(user: User, code: str):
    return render_template("frontdesk/code.html", user=user, code=code,
                           hours=current_app.config["ACTIVATION_CODE_HOURS"])


def _registration_or_404(user_id: int) -> User:
    """A citizen's registration or account; staff accounts are not the front desk's business."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.CITIZEN) or user.is_staff:
        abort(404)
    return user
