"""Form definitions: one YAML file per form, checked against the meta-schema and workflows.yaml."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator

from .computed import Computed, build_computed
from .conditions import Predicate, compile_at
from .dates import date_rule_problems
from .exact import schema_validator
from .journey import Page, build_pages
from .lifecycle import Declared, Withdrawal, declared_of, lifecycle_problems, withdrawal_of
from .parsed import NO_CACHE, ParsedCache
from .rules import (
    bound_problems,
    condition_problems,
    contact_problems,
    deadline_problems,
    format_problems,
    option_problems,
    page_problems,
    prefill_problems,
    workflow_problems,
)
from .service import Contact, Service
from .sources import DefinitionError, JsonPath, Problem, Source, parse_source, read_text, schema_problems
from .texts import Text
from .types import Field, field_type_for
from .workflows import WorkflowConfig, load_workflows

META_SCHEMA = json.loads(resources.files(__package__).joinpath("schemas/form-definition.schema.json").read_text())
_META = Draft202012Validator(META_SCHEMA)
_JSON_SCHEMA_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)


@dataclass(frozen=True)
class FormDefinition:
    """One version of one form, frozen: what it asks, how, and where the case goes."""

    id: str
    version: int
    title: Text
    description: Text | None
    lead: Text | None
    submit: Text | None
    service: Service
    workflow: str
    routing: str | None
    assurance: str  # account or anonymous
    schema: Mapping[str, Any]
    fields: tuple[Field, ...]
    pages: tuple[Page, ...]
    computed: tuple[Computed, ...]
    declaration: Text | None
    privacy_notice: Text | None
    text: str = field(repr=False)
    sha256: str = ""
    file: str = ""
    keywords: Text | None = None  # words a citizen may search the catalogue for, besides the title
    contact: Contact = Contact()
    withdrawn: Withdrawal | None = None  # no new drafts from its day on; drafts started and cases filed go on
    changes: tuple[Declared, ...] = ()  # the breaking changes each version declares (`eurzad forms diff`)

    @cached_property
    def validator(self) -> Any:
        """The validator of the answers, made when first used (a start loads every form; a page needs one)."""
        return schema_validator(self.schema)

    def computed_values(self, data: Mapping[str, Any]) -> dict[str, int | float]:
        """The computed values for these answers (those whose answers are all there)."""
        values = {c.name: c.value(data) for c in self.computed}
        return {name: value for name, value in values.items() if value is not None}

    @property
    def branches(self) -> bool:
        """Some pages are shown only for some answers: the form has *up to* its number of pages."""
        return any(page.visible_if is not None or page.routes for page in self.pages)

    def all_fields(self) -> Iterator[Field]:
        for top in self.fields:
            yield from top.walk()

    def field(self, key: str) -> Field | None:
        """The field of a key; the index of a repeated item in it is passed over (`household.1.income`)."""
        key = ".".join(part for part in key.split(".") if not part.isdigit())
        return next((f for f in self.all_fields() if f.key == key), None)


@dataclass(frozen=True)
class Registry:
    """Every published form by id, and the workflows they name; never changes while the app runs."""

    forms: Mapping[str, FormDefinition]
    workflows: WorkflowConfig

    def __iter__(self) -> Iterator[FormDefinition]:
        return iter(self.forms.values())


def definition_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, and those directly inside the folders named, sorted."""
    files: list[Path] = []
    for path in paths:
        files += sorted(p for p in path.glob("*.y*ml")) if path.is_dir() else [path]
    return files


def load_registry(definitions_dir: Path, workflows_file: Path, cache: ParsedCache = NO_CACHE) -> Registry:
    """Load every definition; raise DefinitionError listing all problems in all files."""
    problems, forms, workflows = check(definition_files([definitions_dir]), workflows_file, cache)
    if problems:
        raise DefinitionError(problems)
    assert workflows is not None
    return Registry(MappingProxyType({form.id: form for form in forms}), workflows)


def sample_path(form: FormDefinition) -> Path:
    """Where a form's golden sample lives: samples/<id>.yaml beside its definition file."""
    return Path(form.file).parent / "samples" / f"{form.id}.yaml"


def check(files: Iterable[Path], workflows_file: Path, cache: ParsedCache = NO_CACHE
          ) -> tuple[list[Problem], list[FormDefinition], WorkflowConfig | None]:
    """Check definition files against the format and workflows.yaml; return problems and what loaded.

    With a `cache`, texts found sound before skip the checks that depend on the text alone (engine/parsed.py).
    """
    problems: list[Problem] = []
    try:
        workflows: WorkflowConfig | None = load_workflows(workflows_file)
    except DefinitionError as exc:
        problems += exc.problems
        workflows = None
    forms: list[FormDefinition] = []
    first_file: dict[str, str] = {}
    for path in files:
        try:
            source = cache.source(*read_text(path))
            form = build_definition(source, workflows)
        except DefinitionError as exc:
            problems += exc.problems
            continue
        cache.keep(source, workflows.source.sha256 if workflows is not None else None)
        if form.id in first_file:
            problems.append(source.problem(("id",), f"form id '{form.id}' is already used by {first_file[form.id]}"))
            continue
        first_file[form.id] = source.file
        forms.append(form)
    return problems, forms, workflows


def check_text(text: str, name: str, workflows: WorkflowConfig | None) -> tuple[list[Problem], FormDefinition | None]:
    """One definition's text checked as `check` checks each file (a pasted one, for the preview): its problems,
    or the definition."""
    try:
        return [], build_definition(parse_source(name, text), workflows)
    except DefinitionError as exc:
        return list(exc.problems), None


def definition_from_text(text: str, name: str = "<snapshot>") -> FormDefinition:
    """A stored snapshot parsed again, to show old submissions with the labels they were filed under.

    Only what is needed to read it is checked: rules added to `eurzad forms check` later must not
    make an old case unreadable.
    """
    return build_definition(parse_source(name, text), None, strict=False)


def build_definition(source: Source, workflows: WorkflowConfig | None, strict: bool = True) -> FormDefinition:
    """Check one parsed file and build its definition; raise DefinitionError with every problem.

    `strict` adds the rules for publishing a form: known formats, bounded answers, and (with
    `workflows`) departments, workflows and routing tables that exist.
    """
    # This very text passed every rule of publishing with this very workflows file before (engine/parsed.py).
    sound = workflows is not None and workflows.source.sha256 in source.sound_under
    strict = strict and not sound
    problems = [] if source.checked else schema_problems(source, _META)
    if not problems and not source.checked:
        problems += schema_problems(source, _JSON_SCHEMA_META, source.data["schema"], ("schema",))
    if problems:
        raise DefinitionError(problems)
    data = source.data
    ui_fields = data["ui"]["fields"]
    known: set[str] = set()
    fields = _fields(source, data["schema"], (), ui_fields, problems, known, options=not sound)
    for key in ui_fields:
        if key not in known:
            problems.append(source.problem(("ui", "fields", key),
                                           f"ui.fields names '{key}', which the schema does not have"))
    pages = build_pages(source, tuple(fields), problems)
    computed = build_computed(source, tuple(fields), problems)
    if strict:
        problems += page_problems(source, pages)
        problems += condition_problems(source, pages, _routing_conditions(workflows, data.get("routing")))
        problems += deadline_problems(source, data["service"]["deadline"], fields)
        problems += date_rule_problems(source, tuple(fields), pages)
        problems += format_problems(source, data["schema"], ("schema",))
        problems += [problem for top in fields for field in top.walk() for problem in bound_problems(source, field)]
        problems += prefill_problems(source, fields)
        problems += contact_problems(source, tuple(fields))
        problems += lifecycle_problems(source)
    if strict and workflows is not None:
        problems += workflow_problems(source, workflows, known)
    if problems:
        raise DefinitionError(problems)
    service = data["service"]
    deadline = service["deadline"]
    ui = data["ui"]
    return FormDefinition(
        id=data["id"], version=data["version"], title=Text.of(data["title"]),
        description=Text.maybe(data.get("description")), lead=Text.maybe(ui.get("lead")),
        submit=Text.maybe(ui.get("submit")),
        service=Service(service["department"], service["jrwa"], Text.of(service["legal_basis"]),
                        Text.of(service["fee"]), deadline.get("days"), deadline.get("months"),
                        Text.maybe(deadline.get("note")), deadline.get("without_undue_delay", False),
                        service.get("category"), *_before(deadline.get("before"), ui["fields"])),
        workflow=data["workflow"], routing=data.get("routing"), assurance=data.get("assurance", "account"),
        schema=data["schema"],
        fields=tuple(fields), pages=pages, computed=computed, declaration=Text.maybe(ui.get("declaration")),
        privacy_notice=Text.maybe(ui.get("privacy_notice")), text=source.text, sha256=source.sha256,
        file=source.file,
        keywords=Text.maybe(data.get("keywords")),
        contact=Contact(data.get("contact", {}).get("field"), data.get("contact", {}).get("optional", False)),
        withdrawn=withdrawal_of(data), changes=declared_of(data),
    )


def _before(before: Mapping[str, Any] | None, ui_fields: Mapping[str, Any]) -> tuple[str | None, int, Text | None]:
    """deadline.before as the Service keeps it: the date question, the days, the question's label."""
    if before is None:
        return None, 0, None
    label = ui_fields.get(before["field"], {}).get("label")
    return before["field"], before["days"], Text.maybe(label) if isinstance(label, Mapping) else None


def _routing_conditions(workflows: WorkflowConfig | None, table: str | None
                        ) -> list[tuple[JsonPath, Predicate, str]]:
    """The conditions of the form's routing table (reported at the form's `routing` line)."""
    if workflows is None or table is None or table not in workflows.routing:
        return []
    return [(("routing",), row.when, f"routing table '{table}' row {row.number}")
            for row in workflows.routing[table] if row.when is not None]


def _fields(source: Source, schema: Mapping[str, Any], prefix: tuple[str, ...],
            ui_fields: Mapping[str, Any], problems: list[Problem], known: set[str], options: bool) -> list[Field]:
    """The fields of an object schema; every property's key goes into `known`, built or not; `options`: check
    each question's options too."""
    fields = []
    required = set(schema.get("required", ()))
    for name, sub in schema.get("properties", {}).items():
        path = prefix + (name,)
        key = ".".join(path)
        known.add(key)
        where = ("schema",) + tuple(p for part in path for p in ("properties", part))
        ui = ui_fields.get(key)
        if not isinstance(sub, dict):
            problems.append(source.problem(where, f"field '{key}': its schema must be an object"))
            continue
        if ui is None:
            problems.append(source.problem(where, f"field '{key}' has no entry in ui.fields "
                                                  "(it needs a label in Polish and English)"))
            continue
        kind = field_type_for(sub, ui.get("widget"))
        if kind is None:
            problems.append(source.problem(("ui", "fields", key) if "widget" in ui else where,
                                           f"field '{key}': no widget '{ui.get('widget', '(default)')}' "
                                           f"can ask a value of type {sub.get('type', '(none)')}"))
            continue
        members = kind.members(sub)
        children = _fields(source, members, path, ui_fields, problems, known, options) if members else []
        conditions = {word: compile_at(source, ("ui", "fields", key, word), ui[word], problems, f"field '{key}' {word}")
                      for word in ("visible_if", "required_if") if word in ui}
        fields.append(Field(path, sub, ui, name in required, kind, tuple(children), **conditions))
        if options:
            problems += option_problems(source, key, sub.get("items", sub), ui)
    return fields
