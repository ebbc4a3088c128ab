"""Every access decision of the app, in one place to audit.

Views declare who may use them with the decorators here; objects are checked with the
`can_*` functions. A case someone may not see answers 404, so its existence does not leak.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from .auth.models import Role, User
from .cases.models import Case, Draft
from .extensions import db, login_manager

PUBLIC = frozenset({"anyone"})


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Anonymous visitors are sent to log in; users without one of these roles get 403.

    The roles are kept on the view (`view.access`), where the access-matrix test reads them.
    """
    allowed = frozenset(role.value for role in roles)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*allowed):
                abort(403)
            return view(*args, **kwargs)
        wrapped.access = allowed  # type: ignore[attr-defined]
        return wrapped
    return decorate


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone may use this page, logged in or not (it shows nothing that belongs to someone)."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def can_view_case(user: User, case: Case) -> bool:
    """The citizen who filed it, or a clerk or the head of the department it was routed to."""
    if user.has_role(Role.CITIZEN) and case.submission.submitter_id == user.id:
        return True
    return user.has_role(Role.CLERK, Role.HEAD) and user.department == case.department


def can_edit_draft(user: User, draft: Draft) -> bool:
    """Only the citizen who started a draft sees or changes it."""
    return user.has_role(Role.CITIZEN) and draft.user_id == user.id


def draft_or_404(draft_id: str) -> Draft:
    draft = db.session.get(Draft, draft_id)
    if draft is None or not can_edit_draft(current_user, draft):
        abort(404)
    return draft


def case_or_404(case_id: int) -> Case:
    """The case, if the current user may see it; otherwise 404, as if it did not exist."""
    case = db.session.get(Case, case_id)
    if case is None or not can_view_case(current_user, case):
        abort(404)
    return case
