"""workflows.yaml: the office, its departments, case workflows and first-match routing tables."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .conditions import Predicate, compile_at
from .sources import DefinitionError, Problem, Source, read_source, schema_problems
from .texts import Text

META_SCHEMA = json.loads(resources.files(__package__).joinpath("schemas/workflows.schema.json").read_text())
_META = Draft202012Validator(META_SCHEMA)


@dataclass(frozen=True)
class Department:
    symbol: str
    name: Text
    email: str


@dataclass(frozen=True)
class State:
    name: str
    kind: str  # initial, active, waiting, terminal
    label: Text
    citizen_label: Text


@dataclass(frozen=True)
class Transition:
    """A step a case may take from one of its `sources` states to its `target`."""

    action: str
    label: Text
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    comment_required: bool
    condition: Predicate | None = None  # over the filed answers: offered only when it holds
    citizen_visible: bool = True  # shown on the citizen's case page, with its comment
    notify: bool = False  # the citizen is e-mailed when it is taken
    documents: str | None = None  # "optional" or "required": the step carries the office's documents
    after_due: bool = False  # offered only once the date the applicant was given to answer has passed

    def allows(self, state: str, roles: Collection[str], data: Mapping[str, Any],
               request_overdue: bool = False) -> bool:
        """Whether someone with `roles` may take this step from `state`, for a case with these answers
        (`request_overdue`: the date the office gave the applicant to answer its request has passed)."""
        return (state in self.sources and not set(roles).isdisjoint(self.roles)
                and (self.condition is None or self.condition.matches(data))
                and (request_overdue or not self.after_due))


@dataclass(frozen=True)
class Workflow:
    name: str
    title: Text
    states: Mapping[str, State]
    transitions: tuple[Transition, ...]

    @property
    def initial(self) -> State:
        return next(state for state in self.states.values() if state.kind == "initial")

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def available(self, state: str, roles: Collection[str], data: Mapping[str, Any],
                  request_overdue: bool = False) -> tuple[Transition, ...]:
        """The steps someone with `roles` may take now, in the order workflows.yaml lists them."""
        return tuple(t for t in self.transitions if t.allows(state, roles, data, request_overdue))

    def asks_applicant(self, step: Transition) -> bool:
        """Whether the step is a request to the applicant (it leads to a `waiting` state): it names what is
        missing and by when, and the applicant answers it online."""
        return self.states[step.target].kind == "waiting"


@dataclass(frozen=True)
class RoutingRow:
    number: int  # 1-based, as an administrator counts the rows
    when: Predicate | None
    department: str
    jrwa: str | None
    note: Text | None


@dataclass(frozen=True)
class Route:
    """Where a case goes and why: the table and the row that matched."""

    department: str
    jrwa: str
    table: str | None
    row: int | None
    note: Text | None


@dataclass(frozen=True)
class Office:
    name: Text
    identifier: str
    address: Text
    privacy_notice: Text
    visit: Text


@dataclass(frozen=True)
class WorkflowConfig:
    office: Office
    departments: Mapping[str, Department]
    workflows: Mapping[str, Workflow]
    routing: Mapping[str, tuple[RoutingRow, ...]]
    source: Source
    categories: Mapping[str, Text] = field(default_factory=dict)  # the catalogue's groups, in their order

    def departments_of(self, table: str | None, department: str) -> tuple[str, ...]:
        """The departments a form's cases may go to: its routing table's, in row order, else its own."""
        if table is None or table not in self.routing:
            return (department,)
        return tuple(dict.fromkeys(row.department for row in self.routing[table]))

    def route(self, table: str | None, data: Mapping[str, Any], department: str, jrwa: str) -> Route:
        """First row of `table` whose condition the data meets; without a table, the owning department."""
        if table is None:
            return Route(department, jrwa, None, None, None)
        for row in self.routing[table]:
            if row.when is None or row.when.matches(data):
                return Route(row.department, row.jrwa or jrwa, table, row.number, row.note)
        raise AssertionError(f"routing table {table} has no catch-all row")  # the checker forbids this


def load_workflows(path: Path) -> WorkflowConfig:
    """Read and check workflows.yaml; raise DefinitionError listing every problem with its line."""
    source = read_source(path)
    problems = schema_problems(source, _META)
    if problems:
        raise DefinitionError(problems)
    data = source.data
    problems += _reference_problems(source)
    workflows = {name: _workflow(source, name, w, problems) for name, w in data["workflows"].items()}
    routing = {}
    for name, rows in data["routing"].items():
        routing[name] = tuple(_routing_row(source, name, index, row, problems)
                              for index, row in enumerate(rows))
    if problems:
        raise DefinitionError(problems)
    return WorkflowConfig(
        office=Office(Text.of(data["office"]["name"]), data["office"]["identifier"],
                      Text.of(data["office"]["address"]), Text.of(data["office"]["privacy_notice"]),
                      Text.of(data["office"]["visit"])),
        departments={symbol: Department(symbol, Text.of(d["name"]), d["email"])
                     for symbol, d in data["departments"].items()},
        workflows=workflows,
        routing=routing,
        source=source,
        categories={key: Text.of(label) for key, label in data.get("categories", {}).items()},
    )


def _reference_problems(source: Source) -> list[Problem]:
    data = source.data
    problems = []
    front_desk = data["office"].get("front_desk")
    if front_desk is not None and front_desk not in data["departments"]:
        problems.append(source.problem(("office", "front_desk"), f"unknown department '{front_desk}'"))
    for name, workflow in data["workflows"].items():
        states = workflow["states"]
        initial = [s for s, spec in states.items() if spec["class"] == "initial"]
        if len(initial) != 1:
            problems.append(source.problem(("workflows", name, "states"),
                                           f"workflow '{name}' needs exactly one initial state, has {len(initial)}"))
        actions = [transition["action"] for transition in workflow["transitions"]]
        for index, transition in enumerate(workflow["transitions"]):
            if transition["action"] in actions[:index]:
                problems.append(source.problem(("workflows", name, "transitions", index, "action"),
                                               f"workflow '{name}': action '{transition['action']}' is used twice "
                                               "(an action names one step)"))
            if transition.get("after_due") and any(states.get(state, {}).get("class") != "waiting"
                                                  for state in transition["from"]):
                problems.append(source.problem(("workflows", name, "transitions", index, "after_due"),
                                               f"transition '{transition['action']}': after_due needs every 'from' "
                                               "state to be a waiting state (the date is the applicant's)"))
            for key in ("from", "to"):
                names = transition[key] if key == "from" else [transition[key]]
                for state in names:
                    if state not in states:
                        problems.append(source.problem(("workflows", name, "transitions", index, key),
                                                       f"transition '{transition['action']}': unknown state '{state}'"))
    return problems


def _routing_row(source: Source, table: str, index: int, row: Mapping[str, Any],
                 problems: list[Problem]) -> RoutingRow:
    path = ("routing", table, index)
    rows = source.data["routing"][table]
    if row["department"] not in source.data["departments"]:
        problems.append(source.problem(path + ("department",), f"unknown department '{row['department']}'"))
    if "when" not in row and index != len(rows) - 1:
        problems.append(source.problem(path, f"routing table '{table}': row {index + 1} catches all, "
                                             "so the rows below it can never match; make it the last row"))
    if index == len(rows) - 1 and "when" in row:
        problems.append(source.problem(path, f"routing table '{table}' has no catch-all row: "
                                             "its last row must have no 'when'"))
    when = compile_at(source, path + ("when",), row["when"], problems,
                      f"routing table '{table}' row {index + 1}") if "when" in row else None
    return RoutingRow(index + 1, when, row["department"], row.get("jrwa"), Text.maybe(row.get("note")))


def _workflow(source: Source, name: str, spec: Mapping[str, Any], problems: list[Problem]) -> Workflow:
    transitions = []
    for index, t in enumerate(spec["transitions"]):
        at = ("workflows", name, "transitions", index)
        condition = (compile_at(source, at + ("condition",), t["condition"], problems,
                                f"workflow '{name}' transition '{t['action']}' condition")
                     if "condition" in t else None)
        visible = t.get("citizen_visible", True)
        transitions.append(Transition(t["action"], Text.of(t["label"]), tuple(t["from"]), t["to"], tuple(t["roles"]),
                                      t.get("comment_required", False), condition, visible,
                                      t.get("notify", visible), t.get("documents"), t.get("after_due", False)))
    return Workflow(
        name=name,
        title=Text.of(spec["title"]),
        states={s: State(s, v["class"], Text.of(v["label"]), Text.of(v["citizen_label"]))
                for s, v in spec["states"].items()},
        transitions=tuple(transitions),
    )


@dataclass(frozen=True)
class StoredCases:
    """The stored cases that follow `workflow` and are in `state`: how many, and the number of one of them."""

    workflow: str
    state: str
    count: int
    example: str


def stored_case_problems(config: WorkflowConfig, stored: Iterable[StoredCases]) -> list[Problem]:
    """What in workflows.yaml breaks the cases already stored: a workflow or a state they are in that the file
    no longer has (their pages show a bare name and offer no step), and a state they are in, not terminal,
    from which no step leads to a terminal one (they can never be closed)."""
    source, file = config.source, Path(config.source.file).name
    problems: list[Problem] = []
    gone: dict[str, list[StoredCases]] = defaultdict(list)
    for group in stored:
        workflow = config.workflows.get(group.workflow)
        state = workflow.states.get(group.state) if workflow else None
        if workflow is None:
            gone[group.workflow].append(group)
        elif state is None:
            problems.append(source.problem(
                ("workflows", workflow.name, "states"),
                f"{_cases(group.count, group.example)} in state '{group.state}' of workflow '{workflow.name}', "
                f"which {file} no longer declares: keep the state (renaming it removes it), or first move the "
                "cases in it on to another state"))
        elif not _closes(workflow, state.name):  # a terminal state closes at once
            way = ("its steps never lead to a terminal state" if any(
                state.name in t.sources and t.target != state.name for t in workflow.transitions)
                else "no step leads out of it")
            problems.append(source.problem(
                ("workflows", workflow.name, "states", state.name),
                f"{_cases(group.count, group.example)} in state '{state.name}' of workflow '{workflow.name}', "
                f"and {way}: no case in it can ever be closed; add a step from it towards a terminal state"))
    for name, groups in gone.items():
        count, states = sum(g.count for g in groups), ", ".join(f"'{g.state}'" for g in groups)
        problems.append(source.problem(
            ("workflows",), f"{_cases(count, groups[0].example, ('follows', 'follow'))} workflow '{name}', which "
                            f"{file} no longer declares: keep the workflow, with the states in use ({states})"))
    return problems


def _cases(count: int, example: str, verb: tuple[str, str] = ("is", "are")) -> str:
    """`12 stored cases (e.g. GK.7011.3.2026) are`: how many, and one number to look up."""
    return (f"1 stored case ({example}) {verb[0]}" if count == 1
            else f"{count} stored cases (e.g. {example}) {verb[1]}")


def _closes(workflow: Workflow, start: str) -> bool:
    """Whether some sequence of steps leads from `start` to a terminal state."""
    reached, todo = {start}, [start]
    while todo:
        state = todo.pop()
        if workflow.states[state].kind == "terminal":
            return True
        for step in workflow.transitions:
            if state in step.sources and step.target not in reached:
                reached.add(step.target)
                todo.append(step.target)
    return False
