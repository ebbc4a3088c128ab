"""The department's inbox and one case."""
from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import case_or_404, role_required
from ..auth.models import Role
from ..cases.models import Case, Submission
from ..cases.operations import filed_answers
from ..extensions import db, registry
from ..i18n import translator
from . import bp


@bp.get("/")
@role_required(Role.CLERK, Role.HEAD)
def inbox():
    stmt = (select(Case).where(Case.department == current_user.department)
            .options(selectinload(Case.submission).joinedload(Submission.submitter))  # one query, not two a row
            .order_by(Case.created_at.desc(), Case.id.desc()))
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"])
    return render_template("clerk/inbox.html", page=page)


@bp.get("/cases/<int:case_id>")
@role_required(Role.CLERK, Role.HEAD)
def show_case(case_id: int):
    case = case_or_404(case_id)
    definition, rows = filed_answers(case, registry(), translator())
    return render_template("clerk/case.html", case=case, definition=definition, rows=rows)
