"""A form answered page by page, whatever keeps the answers (a citizen's draft, an administrator's preview).

The two steps both take the same way, so that a preview behaves exactly as the citizen's form does: a page's
answers merged with those kept, walked and validated (`answer_page`), and every answer checked again before
sending (`sending_problems`). Keeping the answers and files is the caller's.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .attachments import Chosen, Upload, UploadRefusedError
from .definitions import FormDefinition
from .journey import Journey, Page, walk
from .messages import Translator
from .prefill import with_answers
from .types import Field
from .validation import message, validate


@dataclass(frozen=True)
class Answered:
    """A page answered: the journey as these answers make it, the errors by field key, and the answers to
    keep (None while there is an error: nothing of the page is kept)."""

    journey: Journey
    errors: dict[str, str]
    kept: dict[str, Any] | None


def answer_page(definition: FormDefinition, page: Page, kept: Mapping[str, Any], answers: Mapping[str, Any],
                tr: Translator, *, identity: Mapping[tuple[str, ...], Any] | None = None,
                refused: Mapping[str, str] | None = None, today: date | None = None) -> Answered:
    """Validate a page's `answers` on the journey they make with the answers `kept` so far.

    The file questions of the page keep the file already taken (a file arrives by upload, never as text);
    `identity`: a confirmed account's identity answers, which stand whatever the page posted (decision 0028);
    `refused`: problems the caller found first (a file refused), reported with the page's own; `today`: the
    office's date, for date rules that count from it. Answers to questions the journey does not ask are not
    kept; what was left empty is removed.
    """
    on_page = {field.name for field in page.fields}
    files = {f.name: kept[f.name] for f in page.fields if f.type.uploads and f.name in kept}
    others = {k: v for k, v in kept.items() if k not in on_page}
    journey = walk(definition.pages, with_answers(others | dict(answers) | files, identity or {}))
    errors = dict(refused or {})
    only = [f.key for f in page.fields if f.key in journey.visible and f.key not in errors]
    errors |= validate(definition, journey.data, tr, only=only, required=journey.required, today=today)
    if errors:
        return Answered(journey, errors, None)
    return Answered(journey, {}, others | {name: journey.data[name] for name in on_page if name in journey.data})


def sending_problems(definition: FormDefinition, journey: Journey, tr: Translator, files: Collection[str],
                     today: date | None = None) -> dict[str, str]:
    """Every problem that stops sending: the whole journey validated again, and each file answer whose file
    is not among those kept (`files`, by digest)."""
    errors = validate(definition, journey.data, tr, required=journey.required, today=today)
    for field in definition.fields:
        if field.type.uploads and field.name in journey.data and journey.data[field.name] not in files:
            errors[field.key] = message(field, "required", None, tr)
    return errors


def checked_uploads(page: Page, chosen: Mapping[str, Chosen], tr: Translator
                    ) -> tuple[list[tuple[Field, Upload, bytes]], dict[str, str]]:
    """The files chosen on a page, each checked by its question's rules: those that pass (question, upload,
    content) for the caller to keep as it keeps files, and the messages for those refused, by question."""
    passed, errors = [], {}
    for field in page.fields:
        file = chosen.get(field.html_id) if field.type.uploads else None
        if file is None:
            continue
        try:
            passed.append((field, field.type.take_upload(field, file.content, file.name), file.content))
        except UploadRefusedError as refused:
            errors[field.key] = message(field, refused.keyword, refused.limit, tr)
    return passed, errors
