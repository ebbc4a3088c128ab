"""What the stored cases hold, read for the checks that compare the files with them: the workflows and states
cases are in, the definition versions they were filed under, and whether any answered a question."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from ..engine.definitions import FormDefinition
from ..engine.sources import Problem
from ..engine.versions import StoredVersion, version_problems
from ..engine.workflows import StoredCases
from .models import Case, DefinitionSnapshot, Submission

log = logging.getLogger(__name__)


def stored_cases(connection: Connection) -> list[StoredCases]:
    """Every stored case counted by the workflow and state it is in, with the least number of each group: one
    query, not one per case. A case's workflow is the one its form named when it was filed (kept on the case)."""
    query = (select(Case.workflow, Case.state, func.count(), func.min(Case.number))
             .group_by(Case.workflow, Case.state).order_by(Case.workflow, Case.state))
    return [StoredCases(workflow, state, count, example)
            for workflow, state, count, example in connection.execute(query)]


def stored_versions(connection: Connection) -> list[StoredVersion]:
    """Every definition version cases were filed under; the text only of each form's last one (two queries)."""
    rows = connection.execute(select(DefinitionSnapshot.form_id, DefinitionSnapshot.version,
                                     DefinitionSnapshot.sha256, DefinitionSnapshot.created_at)).all()
    last: dict[str, Any] = {}
    for row in rows:
        if row.form_id not in last or (row.version, row.created_at) > (last[row.form_id].version,
                                                                       last[row.form_id].created_at):
            last[row.form_id] = row
    wanted = [row.sha256 for row in last.values()]
    query = select(DefinitionSnapshot.sha256, DefinitionSnapshot.text).where(DefinitionSnapshot.sha256.in_(wanted))
    texts = {sha256: text for sha256, text in connection.execute(query)} if wanted else {}
    return [StoredVersion(row.form_id, row.version, row.sha256, texts.get(row.sha256)) for row in rows]


def has_answer(connection: Connection, form_id: str, path: tuple[str, ...]) -> bool:
    """Whether any filing of the form holds an answer at `path` (`address.postcode`; in a repeating group, any
    item's). The database finds the filings whose JSON names the key; only those are read, up to the first."""
    query = (select(Submission.data_json)
             .where(Submission.form_id == form_id, Submission.supplements_id.is_(None),
                    Submission.data_json.contains(f'"{path[-1]}":', autoescape=True))
             .execution_options(yield_per=200))
    return any(_answered(json.loads(data), path) for (data,) in connection.execute(query))


def _answered(value: Any, path: tuple[str, ...]) -> bool:
    if isinstance(value, list):
        return any(_answered(item, path) for item in value)
    if not path:
        return value is not None
    return isinstance(value, dict) and path[0] in value and _answered(value[path[0]], path[1:])


def filed_version_problems(engine: Engine, forms: Iterable[FormDefinition]) -> list[Problem]:
    """The versioning rules against the app's database at start: nothing to compare with while there is no
    database file or no snapshots table yet; a database that cannot be read is left to the first request."""
    if engine.dialect.name == "sqlite" and not Path(engine.url.database or "").is_file():
        return []  # an SQLite file is never created here
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(DefinitionSnapshot.__tablename__):
                return []
            return version_problems(forms, stored_versions(connection))
    except SQLAlchemyError as exc:
        log.warning("The versions cases were filed under were not checked: %s", exc)
        return []
