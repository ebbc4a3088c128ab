"""Log in and out, register, activate an account with the front desk's code, change or reset a password."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from ..access import public, role_required
from ..extensions import db, limiter, login_manager
from ..pages import site_url
from ..timeutil import days_later, utcnow
from ..widgets import form_problems
from . import bp
from .forms import ActivationForm, ForgotForm, LoginForm, PasswordChangeForm, RegistrationForm, ResetForm
from .identity import PROVIDERS
from .models import Role, Status, User
from .operations import (
    RegistrationRefusedError,
    activate,
    find_by_login,
    log_out,
    register,
    replace_password,
    request_password_reset,
    reset_token,
    set_new_password,
    user_for_reset,
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The account of a session whose generation is still the account's: one ended by logout, a new password
    or a block (an older generation, or a cookie from before generations) is no session."""
    user_id, _, generation = session_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_generation == int(generation) else None


def _login_key() -> str:
    """Attempts are counted per account named, too: many addresses cannot try one account's passwords."""
    return "login:" + (request.form.get("login", "").strip().lower() or get_remote_address())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@limiter.limit("5 per minute", methods=["POST"], key_func=_login_key)
@public
def login():
    form = LoginForm()
    problems = {}
    if form.validate_on_submit():
        identity = PROVIDERS["account"].check(form.login.data, form.password.data)
        if identity is not None:
            _start_session(identity.user)
            return redirect(_safe_next(request.args.get("next")) or home_url(identity.user), code=303)
        problems["login"] = _("The e-mail address, PESEL number or password is wrong")
    problems.update(form_problems(form))
    return render_template("auth/login.html", form=form, problems=problems), 400 if problems else 200


@bp.post("/logout")
@public
def logout():
    if current_user.is_authenticated:
        log_out(current_user._get_current_object())
    logout_user()
    _keep_only_language()
    flash(_("You have logged out"), "info")
    return redirect(url_for("citizen.list_forms"), code=303)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def register_account():
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            now = utcnow()
            user = register(form.full_name.data.strip(), form.pesel.data.strip(), form.email.data,
                            form.phone.data or None, {"street": form.street.data.strip(),
                                                      "postcode": form.postcode.data, "city": form.city.data.strip()},
                            now, days_later(now, current_app.config["REGISTRATION_EXPIRY_DAYS"],
                                            current_app.config["OFFICE_TIMEZONE"]), _registration_message)
        except RegistrationRefusedError as refused:
            for name, message in refused.taken.items():
                form[name].errors = [_(message)]
        else:
            session["registered"] = user.id  # the next page, and any reload of it, shows the code again
            return redirect(url_for("auth.registered"), code=303)
    problems = form_problems(form)
    return render_template("auth/register.html", form=form, problems=problems), 400 if problems else 200


@bp.get("/register/done")
@public
def registered():
    """Where and by when to come with an ID document, and the code to quote there: shown again on every reload in
    the browser that registered, while the registration waits for the ID check."""
    user_id = session.get("registered")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.status != Status.PENDING or user.registration_expired(utcnow()):
        return redirect(url_for("auth.register_account"), code=303)
    return render_template("auth/registered.html", user=user)


@bp.route("/activate", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def activate_account():
    form = ActivationForm()
    owner = find_by_login(form.login.data or "") if request.method == "POST" else None
    if owner is not None:  # so that the password rule can refuse the account's own e-mail or PESEL
        form.owner_email, form.owner_pesel = owner.email, owner.pesel
    problems = {}
    if form.validate_on_submit():
        if activate(form.login.data, form.code.data, form.password.data, utcnow()) is not None:
            flash(_("Your account is active: log in with your new password"), "info")
            return redirect(url_for("auth.login"), code=303)
        problems["code"] = _("This activation code is wrong, used or expired: check it, or ask the front desk "
                             "for a new one")
    problems.update(form_problems(form))
    return render_template("auth/activate.html", form=form, problems=problems), 400 if problems else 200


@bp.route("/password", methods=["GET", "POST"])
@role_required(*Role)
def change_password():
    form = PasswordChangeForm()
    form.owner_email, form.owner_pesel = current_user.email, current_user.pesel
    problems = {}
    if form.validate_on_submit():
        user = current_user._get_current_object()  # the account itself: the session is about to be replaced
        if replace_password(user, form.current.data, form.password.data, utcnow()):
            _start_session(user)  # a new session cookie for this browser (copies of the old one expire idle)
            flash(_("Your password has been changed"), "info")
            return redirect(home_url(user), code=303)
        problems["current"] = _("The current password is wrong")
    problems.update(form_problems(form))
    return render_template("auth/password.html", form=form, problems=problems), 400 if problems else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@public
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        request_password_reset(form.login.data, utcnow(), _reset_message)
        # The same answer whether or not the account exists: the page tells nobody who has one.
        return render_template("auth/forgot_sent.html")
    problems = form_problems(form)
    return render_template("auth/forgot.html", form=form, problems=problems), 400 if problems else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = user_for_reset(token, current_app.config["SECRET_KEY"], current_app.config["PASSWORD_RESET_MINUTES"] * 60)
    if user is None:
        return render_template("auth/reset_invalid.html"), 410
    form = ResetForm()
    form.owner_email, form.owner_pesel = user.email, user.pesel
    if form.validate_on_submit():
        set_new_password(user, form.password.data, utcnow())
        logout_user()
        _keep_only_language()
        flash(_("Your new password is set: log in with it"), "info")
        return redirect(url_for("auth.login"), code=303)
    problems = form_problems(form)
    return render_template("auth/reset.html", form=form, problems=problems), 400 if problems else 200


def _registration_message(user: User) -> tuple[str, str]:
    """The registration code, where and by when to come, and where to activate the account afterwards."""
    return _("Your registration in the e-office"), render_template(
        "auth/registered_email.txt", user=user, activate=site_url("auth.activate_account"))


def _reset_message(user: User) -> tuple[str, str]:
    link = site_url("auth.reset_password", token=reset_token(user, current_app.config["SECRET_KEY"]))
    return _("Setting a new password"), render_template(
        "auth/reset_email.txt", user=user, link=link, minutes=current_app.config["PASSWORD_RESET_MINUTES"])


def _start_session(user: User) -> None:
    """A fresh session at log-in: nothing from before it carries over but the language."""
    _keep_only_language()
    session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME without a request
    login_user(user)


def _keep_only_language() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def home_url(user: User) -> str:
    """Where an account lands after logging in."""
    for role, endpoint in ((Role.CLERK, "clerk.inbox"), (Role.HEAD, "clerk.inbox"),
                           (Role.FRONT_DESK, "frontdesk.list_registrations"), (Role.ADMIN, "admin.list_users")):
        if user.has_role(role):
            return url_for(endpoint)
    return url_for("citizen.list_cases")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: an address elsewhere would make the log-in page an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    # Browsers drop tabs and line breaks from an address ("/\t/evil" is "//evil") and a header cannot hold them.
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
