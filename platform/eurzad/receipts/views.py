"""The receipt page shown right after sending, and any time later from the case."""
from __future__ import annotations

from flask import render_template

from ..access import case_or_404, role_required
from ..auth.models import Role
from ..cases.operations import definition_of
from ..extensions import registry
from . import bp


@bp.get("/cases/<int:case_id>/receipt")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def show_receipt(case_id: int):
    case = case_or_404(case_id)
    return render_template("receipts/receipt.html", case=case,
                           definition=definition_of(case.submission, registry()))
