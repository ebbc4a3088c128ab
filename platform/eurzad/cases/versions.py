"""The versions of each form that cases were filed under, with how many cases each: the administrator's list
of forms shows them beside the definitions loaded now."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from .models import Case, DefinitionSnapshot, Submission


@dataclass(frozen=True)
class FiledVersion:
    """One stored text of a form (a snapshot) and the cases filed under it."""

    form_id: str
    version: int
    sha256: str
    stored_at: datetime  # when the first case was filed under it
    cases: int


def filed_versions(form_id: str | None = None) -> dict[str, list[FiledVersion]]:
    """Every stored version by form id (one form's with `form_id`), newest first, with its count of cases: one
    grouped query, not one per form. Supplements are not cases and are not counted."""
    query = (select(DefinitionSnapshot.form_id, DefinitionSnapshot.version, DefinitionSnapshot.sha256,
                    DefinitionSnapshot.created_at, func.count(Case.id))
             .outerjoin(Submission, Submission.definition_sha256 == DefinitionSnapshot.sha256)
             .outerjoin(Case, Case.submission_id == Submission.id)
             .group_by(DefinitionSnapshot.form_id, DefinitionSnapshot.version, DefinitionSnapshot.sha256,
                       DefinitionSnapshot.created_at)
             .order_by(DefinitionSnapshot.form_id, DefinitionSnapshot.version.desc(),
                       DefinitionSnapshot.created_at.desc()))
    if form_id is not None:
        query = query.where(DefinitionSnapshot.form_id == form_id)
    versions: dict[str, list[FiledVersion]] = defaultdict(list)
    for row in db.session.execute(query):
        versions[row[0]].append(FiledVersion(*row))
    return dict(versions)
