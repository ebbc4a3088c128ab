"""Catalogue, form pages and the citizen's own cases."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import case_or_404, role_required
from ..auth.models import Role
from ..cases.models import Case, Submission
from ..cases.operations import file_submission, filed_answers
from ..engine.forms import form_class, read_answers
from ..engine.validation import validate
from ..extensions import db, registry
from ..i18n import current_locale, translator
from ..timeutil import utcnow
from . import bp


@bp.get("/")
def list_forms():
    forms = sorted(registry(), key=lambda form: form.title.get(current_locale()))
    return render_template("citizen/catalogue.html", forms=forms)


@bp.route("/forms/<form_id>", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def fill_form(form_id: str):
    definition = registry().forms.get(form_id)
    if definition is None:
        abort(404)
    locale = current_locale()
    form = form_class(definition, locale)(request.form if request.method == "POST" else None)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = read_answers(definition.fields, form)
        errors = validate(definition, data, translator())
        if not errors:
            case = file_submission(definition, registry().workflows, data, current_user.id, locale,
                                   utcnow(), current_app.config["OFFICE_TIMEZONE"])
            db.session.commit()
            return redirect(url_for("receipts.show_receipt", case_id=case.id), code=303)
    return render_template("citizen/form.html", definition=definition, form=form,
                           errors=errors), 400 if errors else 200


@bp.get("/cases/")
@role_required(Role.CITIZEN)
def list_cases():
    stmt = (select(Case).join(Case.submission).where(Submission.submitter_id == current_user.id)
            .order_by(Case.created_at.desc(), Case.id.desc()))
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"])
    return render_template("citizen/cases.html", page=page)


@bp.get("/cases/<int:case_id>")
@role_required(Role.CITIZEN)
def show_case(case_id: int):
    case = case_or_404(case_id)
    definition, rows = filed_answers(case, registry(), translator())
    return render_template("citizen/case.html", case=case, definition=definition, rows=rows)

