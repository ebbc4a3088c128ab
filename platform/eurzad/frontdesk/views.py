"""Pending registrations: search, the ID check, the printable activation code, a rejection."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..access import role_required
from ..auth.models import IdentityCheck, Role, Status, User
from ..extensions import db
from ..timeutil import utcnow
from ..widgets import form_problems
from . import bp
from .forms import DOCUMENT_TYPES, RejectForm, VerifyForm
from .operations import issue_activation_code, reject_identity, verify_identity


@bp.get("/")
@role_required(Role.FRONT_DESK)
def list_registrations():
    """Registrations waiting for an ID check; a search by code, name or PESEL."""
    query = request.args.get("q", "").strip()[:100]
    stmt = select(User).where(User.status.in_([Status.PENDING, Status.VERIFIED])).order_by(User.created_at.desc())
    if query:
        code = query.replace("-", "").upper()
        stmt = stmt.where(or_(func.replace(User.registration_code, "-", "") == code, User.pesel == query,
                              func.lower(User.full_name).contains(query.lower())))
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"])
    return render_template("frontdesk/list.html", page=page, query=query)


@bp.get("/registrations/<int:user_id>")
@role_required(Role.FRONT_DESK)
def check_registration(user_id: int):
    return _registration(_registration_or_404(user_id), VerifyForm(prefix="verify"), RejectForm(prefix="reject"))


@bp.post("/registrations/<int:user_id>/verify")
@role_required(Role.FRONT_DESK)
def verify(user_id: int):
    user = _registration_or_404(user_id)
    form = VerifyForm(prefix="verify")
    if not form.validate():
        return _registration(user, form, RejectForm(prefix="reject"))
    code = verify_identity(user, current_user, form.document_type.data, form.document_suffix.data, utcnow(),
                           current_app.config["ACTIVATION_CODE_HOURS"])
    return _code_slip(user, code)


@bp.post("/registrations/<int:user_id>/code")
@role_required(Role.FRONT_DESK)
def new_code(user_id: int):
    user = _registration_or_404(user_id)
    return _code_slip(user, issue_activation_code(user, current_user, utcnow(),
                                                  current_app.config["ACTIVATION_CODE_HOURS"]))


@bp.post("/registrations/<int:user_id>/reject")
@role_required(Role.FRONT_DESK)
def reject(user_id: int):
    user = _registration_or_404(user_id)
    form = RejectForm(prefix="reject")
    if form.validate():
        reject_identity(user, current_user, form.reason.data.strip(), utcnow())
    return _registration(user, VerifyForm(prefix="verify", formdata=None), form)


def _registration(user: User, verify_form: VerifyForm, reject_form: RejectForm):
    problems = form_problems(verify_form, reject_form)
    checks = db.session.scalars(select(IdentityCheck).where(IdentityCheck.user_id == user.id)
                                .order_by(IdentityCheck.id)).all()
    return render_template("frontdesk/check.html", user=user, verify=verify_form, reject=reject_form, checks=checks,
                           problems=problems, document_names={c.value: c.label for c in DOCUMENT_TYPES}), \
        400 if problems else 200


def _code_slip(user: User, code: str):
    return render_template("frontdesk/code.html", user=user, code=code,
                           hours=current_app.config["ACTIVATION_CODE_HOURS"])


def _registration_or_404(user_id: int) -> User:
    """A citizen's registration; staff accounts are not the front desk's business."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.CITIZEN) or user.is_staff:
        abort(404)
    return user
