"""Every access decision of the app, in one place to audit.

Views declare who may use them with the decorators here; objects are checked with the
`can_*` functions. A case someone may not see answers 404, so its existence does not leak.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, session
from flask_login import current_user
from sqlalchemy.orm import joinedload

from .auth.models import IDENTITY_CONFIRMED, Role, User
from .cases.models import Attachment, Case, Submission
from .cases.operations import tracking_digest
from .drafts.models import Draft
from .drafts.operations import sent_case
from .extensions import db, login_manager
from .previews.models import Preview
from .receipts.models import Receipt

PUBLIC = frozenset({"anyone"})
DRAFT_HOLDER = frozenset({"the draft's holder"})
"""Drafts belong to the citizen who started them, or, for a form that needs no account, to the browser
session that started them: anyone else gets 404."""


STARTER = frozenset({Role.CITIZEN.value, "anyone, for a form that needs no account"})


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
    """Only the citizen who started a draft, or the session holding an anonymous draft, sees or changes it."""
    if draft.user_id is not None:
        return user.is_authenticated and user.has_role(Role.CITIZEN) and draft.user_id == user.id
    return draft.id in session.get("drafts", ())


def hold_draft(draft: Draft) -> None:
    """Let this browser session hold an anonymous draft."""
    session["drafts"] = [*session.get("drafts", ())[-9:], draft.id]
    session.permanent = True  # renewed by every request, so working on the draft keeps it


def sent_case_of_holder(draft_id: str) -> Case | None:
    """The case a sent draft was filed as, for whoever held the draft; None for anyone else or an unsent draft."""
    case = sent_case(draft_id)
    if case is None:
        return None
    if case.submission.submitter_id is not None:
        held = current_user.is_authenticated and case.submission.submitter_id == current_user.id
    else:
        held = draft_id in session.get("drafts", ())
    return case if held else None


def draft_holder(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page of one draft: its holder may use it (the view checks with draft_or_404)."""
    view.access = DRAFT_HOLDER  # type: ignore[attr-defined]
    return view


WITH_HOLDER = (joinedload(Draft.user).with_expression(User.identity_confirmed, IDENTITY_CONFIRMED),)
"""A draft's holder's account (roles, confirmed identity) loaded in the draft's statement; made once (an option
built per call costs as much as a query)."""


def draft_or_404(draft_id: str) -> Draft:
    """The draft, for its holder; 404 for anyone else. Its holder's account comes in the same statement, so that
    the log-in loader, asking for that very account, finds it loaded and the account's prefill needs no query."""
    draft = db.session.get(Draft, draft_id, options=WITH_HOLDER)
    if draft is not None and draft.user_id is not None and not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if draft is None or not can_edit_draft(current_user, draft):
        abort(404)
    return draft


def starter(view: Callable[..., Any]) -> Callable[..., Any]:
    """Starting a form: a citizen, or anyone for a form that needs no account (the view calls may_start)."""
    view.access = STARTER  # type: ignore[attr-defined]
    return view


def may_start(definition: Any) -> None:
    """Who may start a form: anyone for one that needs no account, else a logged-in citizen."""
    if definition.assurance == "anonymous":
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not current_user.has_role(Role.CITIZEN):
        abort(403)


def attachment_or_404(attachment_id: int, *, case: Case | None = None, draft: Draft | None = None) -> Attachment:
    """A file of a case (sent with it, with a supplement, or by the office with a step) or of a draft the caller
    has already been allowed to see; 404 for any other."""
    attachment = db.session.get(Attachment, attachment_id)
    belongs = attachment is not None and (
        case is not None and (attachment.submission_id in {case.submission_id, *(s.id for s in case.supplements)}
                              or attachment.event is not None and attachment.event.case_id == case.id)
        or draft is not None and attachment.draft_id == draft.id)
    if not belongs:
        abort(404)
    return attachment  # type: ignore[return-value]


WITH_FILING = (joinedload(Case.submission),)
"""A case with the filing that says whose it is (every case page reads it), in one statement."""


def case_or_404(case_id: int) -> Case:
    """The case, if the current user may see it; otherwise 404, as if it did not exist."""
    case = db.session.get(Case, case_id, options=WITH_FILING)
    if case is None or not can_view_case(current_user, case):
        abort(404)
    return case


def tracked_case_or_404(token: str) -> Case:
    """The case of an anonymous sender, for whoever holds its secret tracking link; 404 for any other token."""
    case = db.session.scalar(db.select(Case).where(Case.tracking_digest == tracking_digest(token)))
    if case is None:
        abort(404)
    return case


def supplement_or_404(case: Case, supplement_id: int) -> Submission:
    """A supplement of a case the caller has already been allowed to see; 404 for any other filing."""
    supplement = db.session.get(Submission, supplement_id)
    if supplement is None or supplement.supplements_id != case.submission_id:
        abort(404)
    return supplement


def receipt_or_404(case: Case, receipt_id: str) -> Receipt:
    """A signed receipt of a case the caller has already been allowed to see; 404 for any other."""
    receipt = db.session.get(Receipt, receipt_id[:36])
    if receipt is None or receipt.case_id != case.id:
        abort(404)
    return receipt


def preview_or_404(preview_id: str) -> Preview:
    """A preview, for the administrator who opened it; 404 for anyone else (the views are for administrators)."""
    preview = db.session.get(Preview, preview_id[:32])
    if preview is None or preview.user_id != current_user.id:
        abort(404)
    return preview
