"""Previews: start one from a definition's text, answer its pages, "send" it (nothing is filed), and say what
sending would have done.

A preview walks the form by the citizen's own steps (engine/answering.py) and writes nothing but its own row:
no draft, case, case number, receipt, attachment or e-mail (decision 0037). Each operation that changes state
ends with the request's one commit.
"""
from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete

from ..canonical import canonical_json, sha256_hex
from ..engine import answering
from ..engine.attachments import Chosen
from ..engine.definitions import FormDefinition, check_text
from ..engine.journey import Journey, Page, walk
from ..engine.messages import Translator
from ..engine.sources import Problem, text_sha256
from ..engine.types import Field
from ..engine.workflows import Route, Workflow, WorkflowConfig
from ..extensions import db
from .models import Preview

KEPT_FOR = timedelta(hours=24)
"""A preview untouched this long is deleted when the next one starts."""

_BUILT: OrderedDict[tuple[str, str], FormDefinition] = OrderedDict()
_BUILT_MAX = 32


def definition_file(folder: Path, name: str) -> Path | None:
    """The YAML file `name` names inside the definitions folder; None for any other (outside it, through a
    link leading out, missing, or not a .yaml/.yml file)."""
    root = folder.resolve()
    path = (root / name.strip()).resolve()
    if root not in path.parents or path.suffix not in (".yaml", ".yml") or not path.is_file():
        return None
    return path


def definition_of(preview: Preview, workflows: WorkflowConfig) -> tuple[list[Problem], FormDefinition | None]:
    """The preview's definition, checked as `eurzad forms check` checks a file; built once per process and text
    (the text, not the process, is the truth: any host rebuilds it alike)."""
    key = (text_sha256(preview.text), text_sha256(workflows.source.text))
    if key in _BUILT:
        _BUILT.move_to_end(key)
        return [], _BUILT[key]
    problems, definition = check_text(preview.text, preview.origin, workflows)
    if definition is not None:
        _BUILT[key] = definition
        while len(_BUILT) > _BUILT_MAX:
            _BUILT.popitem(last=False)
    return problems, definition


def start_preview(user_id: int, text: str, origin: str, now: datetime) -> Preview:
    """A new preview of `text` (already checked) for the administrator; previews untouched for KEPT_FOR, anyone's,
    are deleted on the way."""
    db.session.execute(delete(Preview).where(Preview.updated_at < now - KEPT_FOR))
    preview = Preview(id=secrets.token_urlsafe(16), user_id=user_id, origin=origin[:300], text=text, data={},
                      visited=[], files={}, created_at=now, updated_at=now)
    db.session.add(preview)
    db.session.commit()
    return preview


def journey_of(preview: Preview, definition: FormDefinition) -> Journey:
    """The preview's way through the form (as a sender whose account fills nothing in)."""
    return walk(definition.pages, preview.data)


def answer_page(preview: Preview, definition: FormDefinition, page: Page, answers: dict[str, Any],
                chosen: Mapping[str, Chosen], tr: Translator, now: datetime, today: date
                ) -> tuple[Journey, dict[str, str]]:
    """Take a page's answers as a draft does: files checked as the citizen's are (only their name, size and type
    kept), the page validated on the journey it makes, its answers kept when valid."""
    refused = _take_files(preview, page, chosen, tr)
    answered = answering.answer_page(definition, page, preview.data, answers, tr, refused=refused, today=today)
    if answered.kept is not None:
        preview.data = answered.kept
        preview.visited = sorted(set(preview.visited) | {page.id})
    preview.updated_at = now
    db.session.commit()
    return answered.journey, answered.errors


def _take_files(preview: Preview, page: Page, chosen: Mapping[str, Chosen], tr: Translator) -> dict[str, str]:
    """Check the files chosen on the page with their questions' rules; a file that passes answers its question
    by digest, and its content is dropped (a preview keeps no file)."""
    passed, errors = answering.checked_uploads(page, chosen, tr)
    for field, upload, _content in passed:
        preview.files = {**preview.files, upload.sha256: [upload.name, upload.size, upload.content_type]}
        preview.data = {**preview.data, field.name: upload.sha256}
    return errors


def remove_file(preview: Preview, field: Field, now: datetime) -> None:
    preview.data = {k: v for k, v in preview.data.items() if k != field.name}
    preview.updated_at = now
    db.session.commit()


def send_preview(preview: Preview, definition: FormDefinition, tr: Translator, now: datetime, today: date,
                 contact_email: str | None, refused: Mapping[str, str]) -> dict[str, str]:
    """"Send": every answer checked as sending checks a draft's; with none wrong the preview is over (its
    outcome says what sending would have done). Nothing is filed, numbered or e-mailed."""
    errors = answering.sending_problems(definition, journey_of(preview, definition), tr, preview.files, today)
    errors |= dict(refused)
    if not errors:
        preview.contact_email = contact_email
        preview.sent_at = now
        preview.updated_at = now
        db.session.commit()
    return errors


def start_again(preview: Preview, now: datetime) -> Preview:
    """The same definition previewed anew, from its first page."""
    return start_preview(preview.user_id, preview.text, preview.origin, now)


@dataclass(frozen=True)
class Outcome:
    """What sending would have done: the data filed and its digest, where the case would go and by which row,
    the workflow it would start in, by when the office would have to deal with it, who would be e-mailed."""

    data: dict[str, Any]
    data_sha256: str
    route: Route
    workflow: Workflow
    due: date
    year: int
    anonymous: bool  # sent without an account (the form allows it): the e-mail goes to the address given
    email: str | None  # of an anonymous sender; None: no confirmation e-mail (no address given)
    files: list[dict[str, Any]]  # name, size, type, sha256 of each file answered


def outcome(preview: Preview, definition: FormDefinition, workflows: WorkflowConfig, today: date) -> Outcome:
    """Computed as filing computes it (the route, the deadline, the canonical data), but nothing is stored."""
    journey = journey_of(preview, definition)
    data = journey.data | definition.computed_values(journey.data)
    service = definition.service
    email = definition.contact.address(journey.data) or preview.contact_email
    files = [{"name": name, "size": size, "type": kind, "sha256": sha}
             for sha, (name, size, kind) in preview.files.items() if sha in journey.data.values()]
    return Outcome(data, sha256_hex(canonical_json(data)),
                   workflows.route(definition.routing, data, service.department, service.jrwa),
                   workflows.workflows[definition.workflow], service.due(today, data), today.year,
                   definition.assurance == "anonymous", email, files)


def sample_case(preview: Preview, definition: FormDefinition, result: Outcome, account_name: str) -> Any:
    """What the receipt page reads of a case and its filing, made up from the preview (nothing is stored): the
    number is the register's with N for the number filing would take; `account_name` stands for the sender's."""
    sender = None if result.anonymous else SimpleNamespace(full_name=account_name)
    submission = SimpleNamespace(submitter=sender, contact_email=result.email, form_id=definition.id,
                                 identified_by="anonymous" if result.anonymous else "account_unverified",
                                 form_version=definition.version, submitted_at=preview.sent_at,
                                 data_sha256=result.data_sha256, attachments=[])
    route = result.route
    return SimpleNamespace(number=f"{route.department}.{route.jrwa}.N.{result.year}", department=route.department,
                           submission=submission)
