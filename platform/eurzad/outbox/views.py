"""The outbox page: where a missing message can be looked for."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from ..access import role_required
from ..auth.models import Role
from ..pages import paginate
from . import bp
from .models import OutboxMessage


@bp.get("/")
@role_required(Role.ADMIN)
def list_messages():
    """E-mail waiting, sent and failed, newest first."""
    page = paginate(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    return render_template("outbox/list.html", page=page)
