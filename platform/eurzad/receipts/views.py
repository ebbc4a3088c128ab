"""The receipt page shown right after sending, and any time later from the case."""
from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from ..access import case_or_404, public, role_required, supplement_or_404, tracked_case_or_404
from ..auth.models import Role
from ..cases.models import Case, Submission
from ..cases.operations import definition_of
from ..extensions import registry
from . import bp


@bp.get("/cases/<int:case_id>/receipt")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def show_receipt(case_id: int):
    case = case_or_404(case_id)
    return render_template("receipts/receipt.html", case=case,
                           definition=definition_of(case.submission, registry()))


@bp.get("/cases/<int:case_id>/supplements/<int:supplement_id>/receipt")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def show_supplement_receipt(case_id: int, supplement_id: int):
    """The receipt of an answer to the office's request: its own filing time and digest."""
    case = case_or_404(case_id)
    back = url_for("citizen.show_case", case_id=case.id) if current_user.has_role(Role.CITIZEN) else \
        url_for("clerk.show_case", case_id=case.id)
    return _supplement_receipt(case, supplement_or_404(case, supplement_id), back)


@bp.get("/track/<token>/supplements/<int:supplement_id>")
@public
def show_tracked_supplement_receipt(token: str, supplement_id: int):
    """The receipt of an anonymous sender's answer, for whoever holds the case's tracking link."""
    case = tracked_case_or_404(token)
    return _supplement_receipt(case, supplement_or_404(case, supplement_id), url_for("citizen.track_case", token=token),
                               token)


def _supplement_receipt(case: Case, supplement: Submission, back: str, token: str | None = None):
    return render_template("receipts/supplement.html", case=case, supplement=supplement, back=back, token=token,
                           definition=definition_of(case.submission, registry()))
