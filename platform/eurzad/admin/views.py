"""Staff accounts and the outbox, for administrators."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from wtforms import SelectChoice

from ..access import role_required
from ..auth.models import AuditEvent, Role, User, UserRole
from ..auth.operations import audit, find_by_email, reset_token
from ..extensions import db, registry
from ..i18n import current_locale
from ..outbox.models import OutboxMessage
from ..outbox.operations import queue, site_url
from ..timeutil import utcnow
from . import bp
from .forms import StaffForm
from .operations import change_staff, create_staff, set_active


@bp.get("/users/")
@role_required(Role.ADMIN)
def list_users():
    staff = select(User).where(User.id.in_(select(UserRole.user_id).where(UserRole.role != Role.CITIZEN)))
    page = db.paginate(staff.order_by(User.full_name), per_page=current_app.config["PER_PAGE"])
    return render_template("admin/users.html", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_user():
    form = _staff_form()
    problems = {}
    if form.validate_on_submit() and not (problems := _problems(form)):
        user = create_staff(current_user, form.full_name.data.strip(), form.email.data,
                            {Role(r) for r in form.roles.data}, form.department.data or None, utcnow())
        db.session.flush()
        _send_password_link(user)
        db.session.commit()
        flash(_("The account is created; %(email)s has been sent a link to set a password", email=user.email), "info")
        return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    problems = problems or {name: messages[0] for name, messages in form.errors.items()}
    return render_template("admin/user.html", form=form, user=None, problems=problems, events=[]), \
        400 if problems else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not user.is_staff:
        abort(404)
    form = _staff_form(user)
    problems: dict[str, str] = {}
    action = request.form.get("action")
    if action == "send-link":
        _send_password_link(user)
        audit("password.link_sent", current_user, user, utcnow())
        db.session.commit()
        flash(_("%(email)s has been sent a link to set a password", email=user.email), "info")
        return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    if action in ("deactivate", "activate"):
        if user.id == current_user.id:
            abort(403)  # an administrator cannot lock themselves out
        set_active(current_user, user, action == "activate", utcnow())
        db.session.commit()
        return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    if action == "save" and form.validate_on_submit() and not (problems := _problems(form, user)):
        roles = {Role(r) for r in form.roles.data}
        if user.id == current_user.id and Role.ADMIN not in roles:
            problems = {"roles": _("You cannot take the administrator role from yourself")}
        else:
            change_staff(current_user, user, form.full_name.data.strip(), form.email.data, roles,
                         form.department.data or None, utcnow())
            db.session.commit()
            flash(_("The changes are saved"), "info")
            return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    problems = problems or {name: messages[0] for name, messages in form.errors.items()}
    events = db.session.scalars(select(AuditEvent).where(or_(AuditEvent.subject_id == user.id))
                                .order_by(AuditEvent.id.desc()).limit(50)).all()
    return render_template("admin/user.html", form=form, user=user, problems=problems, events=events), \
        400 if problems else 200


@bp.get("/outbox/")
@role_required(Role.ADMIN)
def list_outbox():
    """E-mail waiting, sent and failed: where a missing message can be looked for."""
    page = db.paginate(select(OutboxMessage).order_by(OutboxMessage.id.desc()),
                       per_page=current_app.config["PER_PAGE"])
    return render_template("admin/outbox.html", page=page)


def _staff_form(user: User | None = None) -> StaffForm:
    form = StaffForm(data={"full_name": user.full_name, "email": user.email, "roles": sorted(user.roles),
                           "department": user.department or ""} if user and request.method == "GET" else None)
    form.department.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(symbol, f"{symbol} – {department.name.get(current_locale())}") for symbol, department in
        registry().workflows.departments.items()]
    return form


def _problems(form: StaffForm, user: User | None = None) -> dict[str, str]:
    roles = set(form.roles.data)
    if roles & {Role.CLERK, Role.HEAD} and not form.department.data:
        return {"department": _("A clerk or head of department belongs to a department: select it")}
    other = find_by_email(form.email.data)
    if other is not None and (user is None or other.id != user.id):
        return {"email": _("An account with this e-mail address exists")}
    return {}


def _send_password_link(user: User) -> None:
    link = site_url("auth.reset_password", token=reset_token(user, current_app.config["SECRET_KEY"]))
    queue(user.email, _("Your e-office staff account"), render_template(
        "admin/welcome_email.txt", user=user, link=link, minutes=current_app.config["PASSWORD_RESET_MINUTES"]),
        utcnow())
