"""Log in and log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from ..extensions import db, login_manager
from . import bp
from .forms import LoginForm
from .models import Role, User
from .operations import authenticate


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    problems = {}
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            lang = session.get("lang")
            session.clear()  # a new session on log-in: nothing from before it carries over
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or _home(user), code=303)
        problems["email"] = _("The e-mail address or password is wrong")
    problems.update((name, messages[0]) for name, messages in form.errors.items())
    return render_template("auth/login.html", form=form, problems=problems), 400 if problems else 200


@bp.post("/logout")
def logout():
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have logged out"), "info")
    return redirect(url_for("citizen.list_forms"), code=303)


def _home(user: User) -> str:
    return url_for("clerk.inbox") if user.role == Role.CLERK else url_for("citizen.list_cases")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: an address elsewhere would make the log-in page an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
