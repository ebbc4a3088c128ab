"""The citizen's account page: the identity as the front desk confirmed it, contact details to change, and a new
e-mail address confirmed through a link sent to it."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import role_required
from ..auth.models import Role, User
from ..auth.operations import identity_check
from ..auth.views import home_url
from ..extensions import limiter
from ..frontdesk.forms import DOCUMENT_TYPES
from ..pages import site_url
from ..timeutil import utcnow
from ..widgets import form_problems
from . import bp
from .forms import ContactForm, EmailChangeForm
from .operations import (
    AccountRefusedError,
    change_contact,
    confirm_email_change,
    email_change_of,
    request_email_change,
)


@bp.get("/")
@role_required(Role.CITIZEN)
def show_account():
    """Who the account is, how the office confirmed it, and how the office can reach the citizen."""
    return render_template("account/show.html", user=current_user, check=identity_check(current_user),
                           document_names={choice.value: choice.label for choice in DOCUMENT_TYPES})


@bp.route("/contact", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def change_contact_details():
    user = current_user._get_current_object()
    address = user.address or {}
    form = ContactForm(data={"phone": user.phone, "street": address.get("street"),
                             "postcode": address.get("postcode"), "city": address.get("city")})
    if form.validate_on_submit():
        change_contact(user, (form.phone.data or "").strip() or None,
                       {"street": form.street.data.strip(), "postcode": form.postcode.data.strip(),
                        "city": form.city.data.strip()}, utcnow())
        flash(_("Your contact details are saved"), "info")
        return redirect(url_for("account.show_account"), code=303)
    problems = form_problems(form)
    return render_template("account/contact.html", form=form, problems=problems), 400 if problems else 200


@bp.route("/email", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@role_required(Role.CITIZEN)
def change_email():
    """Ask for a new e-mail address: a link goes to it, and nothing changes until it is opened."""
    user = current_user._get_current_object()
    form = EmailChangeForm()
    problems = {}
    if form.validate_on_submit():
        try:
            new = request_email_change(user, form.email.data, form.password.data, utcnow(),
                                       current_app.config["SECRET_KEY"], lambda new, token: _confirm_message(
                                           user, new, token))
        except AccountRefusedError as refused:
            problems[refused.field] = _(refused.message)
        else:
            flash(_("We have sent a link to %(email)s. Open it within %(hours)d hours to make it your e-mail address; "
                    "until then your current address stays as it is.", email=new,
                    hours=current_app.config["EMAIL_CHANGE_HOURS"]), "info")
            return redirect(url_for("account.show_account"), code=303)
    problems.update(form_problems(form))
    return render_template("account/email.html", form=form, problems=problems), 400 if problems else 200


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@role_required(*Role)
def confirm_email(token: str):
    """The link from the new mailbox: the page asks to confirm (a mail program that opens links by itself
    changes nothing), the button makes the change. Only the account it was made for may use it: a citizen who
    asked, or a member of staff whose address an administrator changed (who cannot confirm it for them)."""
    found = email_change_of(token, current_app.config["SECRET_KEY"], current_app.config["EMAIL_CHANGE_HOURS"] * 3600)
    if found is None:
        return render_template("account/email_invalid.html"), 410
    user, new = found
    if user.id != current_user.id:
        abort(404)
    if request.method == "POST":
        try:
            confirm_email_change(user, new, utcnow(), lambda new: _changed_notice(user, new))
        except AccountRefusedError as refused:
            return render_template("account/email_invalid.html", message=_(refused.message)), refused.status
        flash(_("Your e-mail address is now %(email)s. Log in with it from now on.", email=new), "info")
        return redirect(url_for("account.show_account") if user.has_role(Role.CITIZEN) else home_url(user), code=303)
    return render_template("account/email_confirm.html", email=new)


def _confirm_message(user: User, new: str, token: str) -> tuple[str, str]:
    link = site_url("account.confirm_email", token=token)
    return _("Confirm your new e-mail address"), render_template(
        "account/confirm_email.txt", user=user, link=link, hours=current_app.config["EMAIL_CHANGE_HOURS"])


def _changed_notice(user: User, new: str) -> tuple[str, str]:
    return _("Your e-mail address has been changed"), render_template("account/changed_email.txt", user=user,
                                                                      new=new)
