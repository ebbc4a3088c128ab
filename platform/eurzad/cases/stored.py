"""What the stored cases hold, read for the checks that compare the files with them: the workflows and states
cases are in, and whether any answered a question."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from ..engine.workflows import StoredCases
from .models import Case, Submission


def stored_cases(connection: Connection) -> list[StoredCases]:
    """Every stored case counted by the workflow and state it is in, with the least number of each group: one
    query, not one per case. A case's workflow is the one its form named when it was filed (kept on the case)."""
    query = (select(Case.workflow, Case.state, func.count(), func.min(Case.number))
             .group_by(Case.workflow, Case.state).order_by(Case.workflow, Case.state))
    return [StoredCases(workflow, state, count, example)
            for workflow, state, count, example in connection.execute(query)]


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
