"""Pending registrations: search, the ID check, the printable activation code, a rejection."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..access import role_required
from ..auth.models import IdentityCheck, Role, Status, User
from ..auth.operations import issue_activation_code, reject_identity, verify_identity
from ..extensions import db
from ..timeutil import utcnow
from . import bp
from .forms import DOCUMENT_TYPES, RejectForm, VerifyForm


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


@bp.route("/registrations/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.FRONT_DESK)
def check_registration(user_id: int):
    user = _registration_or_404(user_id)
    verify, reject = VerifyForm(prefix="verify"), RejectForm(prefix="reject")
    code, problems = None, {}
    action = request.form.get("action")
    if action == "verify" and user.status == Status.PENDING and verify.validate():
        code = verify_identity(user, current_user, verify.document_type.data, verify.document_suffix.data, utcnow(),
                               current_app.config["ACTIVATION_CODE_HOURS"])
        db.session.commit()
    elif action == "new-code" and user.status == Status.VERIFIED:
        code = issue_activation_code(user, current_user, utcnow(), current_app.config["ACTIVATION_CODE_HOURS"])
        db.session.commit()
    elif action == "reject" and user.status == Status.PENDING and reject.validate():
        reject_identity(user, current_user, reject.reason.data.strip(), utcnow())
        db.session.commit()
    elif request.method == "POST":
        form = verify if action == "verify" else reject
        problems = {field.id: field.errors[0] for field in form if field.errors}
    if code is not None:
        return render_template("frontdesk/code.html", user=user, code=code,
                               hours=current_app.config["ACTIVATION_CODE_HOURS"])
    checks = db.session.scalars(select(IdentityCheck).where(IdentityCheck.user_id == user.id)
                                .order_by(IdentityCheck.id)).all()
    return render_template("frontdesk/check.html", user=user, verify=verify, reject=reject, checks=checks,
                           problems=problems, document_names={c.value: c.label for c in DOCUMENT_TYPES}), \
        400 if problems else 200


def _registration_or_404(user_id: int) -> User:
    """A citizen's registration; staff accounts are not the front desk's business."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.CITIZEN) or user.is_staff:
        abort(404)
    return user
