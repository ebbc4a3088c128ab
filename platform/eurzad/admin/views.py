"""Staff accounts, for administrators: the list, a new account, one account and its actions."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..access import role_required
from ..audit.models import AuditEvent
from ..auth.models import Role, User, UserRole
from ..auth.operations import reset_token
from ..extensions import db, registry
from ..i18n import current_locale
from ..pages import site_url
from ..timeutil import utcnow
from ..widgets import form_problems
from . import bp
from .forms import StaffForm
from .operations import Staff, StaffRefusedError, change_staff, create_staff, send_password_link, set_active


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
        change_staff(current_user, user, _staff(form), registry().workflows.departments, utcnow())
    except StaffRefusedError as refused:
        return _account_page(form, user, {refused.field: _(refused.message)})
    flash(_("The changes are saved"), "info")
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


def _welcome_message(user: User) -> tuple[str, str]:
    link = site_url("auth.reset_password", token=reset_token(user, current_app.config["SECRET_KEY"]))
    return _("Your e-office staff account"), render_template(
        "admin/welcome_email.txt", user=user, link=link, minutes=current_app.config["PASSWORD_RESET_MINUTES"])
