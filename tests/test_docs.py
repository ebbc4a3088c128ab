"""The docs say what the code does, where a statement can drift: settings, definition keys, commands,
links, the examples that claim to pass `eurzad forms check`, and what `eurzad users create` answers.

Each test reads the docs as text and compares them with one source of truth: config.defaults, the
meta-schemas (JSON files), and the click group of the `eurzad` command. When one fails, fix the doc
(or the code) so that both say the same thing again.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

from eurzad.cli import main
from eurzad.config import defaults

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCHEMAS = ROOT / "platform" / "eurzad" / "engine" / "schemas"
CONFIG_SOURCE = ROOT / "platform" / "eurzad" / "config.py"


# --- reading Markdown -----------------------------------------------------------------------------

def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def without_code(text: str) -> str:
    """The text without fenced code blocks (their lines are kept empty, so line numbers stay)."""
    return re.sub(r"^```.*?^```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S | re.M)


def section(text: str, heading: str) -> str:
    """The text under a heading line (e.g. "## Settings") up to the next heading, code blocks left out."""
    lines = without_code(text).splitlines()
    start = lines.index(heading)
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"#{1,6} ", lines[i])), len(lines))
    return "\n".join(lines[start + 1:end])


def tables(text: str) -> list[list[list[str]]]:
    """Every table in the text: its body rows (no header, no |---| line), each a list of cells."""
    found: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if current is None:  # the header row
            current = []
            found.append(current)
        elif not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            current.append(cells)
    return found


def table_after(text: str, marker: str) -> list[list[str]]:
    """The first table after `marker`, which must be unique in the text."""
    assert text.count(marker) == 1, f"{marker!r} should occur once"
    return tables(text[text.index(marker):])[0]


def code_names(cell: str) -> list[str]:
    """The names in backticks in a table cell: `fields`, `MAIL_USERNAME`, `MAIL_PASSWORD`."""
    return re.findall(r"`([^`]+)`", cell)


def by_first_cell(rows: list[list[str]]) -> dict[str, list[str]]:
    """Rows keyed by every name in backticks in their first cell."""
    return {name: row for row in rows for name in code_names(row[0])}


# --- settings -------------------------------------------------------------------------------------

def settings_table() -> dict[str, list[str]]:
    return by_first_cell(table_after(section(doc("operations.md"), "## Settings"), "| setting |"))


def test_every_default_setting_is_in_the_settings_table_with_its_default():
    instance = Path("/INSTANCE")
    documented = settings_table()
    missing = sorted(set(defaults(instance)) - set(documented))
    assert not missing, f"docs/operations.md#settings lacks a row for {missing}"
    for name, value in defaults(instance).items():
        cell = documented[name][1]  # the default column: `25`, `<instance>/attachments`, none
        if value is None:
            assert cell.startswith("none") or "None" in code_names(cell), f"{name}: no default, the table says {cell!r}"
        else:
            shown = str(value).replace(str(ROOT), "<checkout>").replace(str(instance), "<instance>")
            assert shown in code_names(cell), f"{name}: the code's default is {shown!r}, the table says {cell!r}"


def test_every_setting_in_the_table_is_one_eurzad_reads():
    """A row names a default of config.py, or a setting config.py handles itself (SECRET_KEY, say)."""
    config_source = CONFIG_SOURCE.read_text(encoding="utf-8")
    extra = set(settings_table()) - set(defaults(Path("/INSTANCE")))
    stale = sorted(name for name in extra if f'"{name}"' not in config_source)
    assert not stale, f"docs/operations.md#settings documents settings eurzad does not read: {stale}"


# --- the definition format ------------------------------------------------------------------------

FORMS_DOC = "form-definitions.md"
WORKFLOWS_DOC = "workflows.md"


def meta_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    return node


FORM = meta_schema("form-definition.schema.json")
WORKFLOWS = meta_schema("workflows.schema.json")

# (doc, the object in the meta-schema, the heading of the doc's section, the header of its table)
KEY_TABLES = [
    (FORMS_DOC, FORM, "## Top-level keys", "| key | required | type | meaning |"),
    (FORMS_DOC, FORM["properties"]["service"], "### `service`", "| key | type | meaning |"),
    (FORMS_DOC, FORM["properties"]["ui"], "### `ui`", "| key | required | type | meaning |"),
    (FORMS_DOC, FORM["$defs"]["uiField"], "### `ui.fields`", "| key | required | type | meaning |"),
    (FORMS_DOC, FORM["$defs"]["page"], "### One question per page, or `ui.pages`", "| key | required | type |"),
    (FORMS_DOC, FORM["properties"]["computed"]["additionalProperties"], "## Computed values",
     "| key | required | meaning |"),
    (FORMS_DOC, FORM["properties"]["changes"]["items"], "### Declaring a breaking change",
     "| key of an entry | required | meaning |"),
    (FORMS_DOC, FORM["properties"]["withdrawn"], "### Withdrawing a form",
     "| key of `withdrawn` | required | meaning |"),
    (WORKFLOWS_DOC, WORKFLOWS["properties"]["office"], "## `office`", "| key | required | type | meaning |"),
    (WORKFLOWS_DOC, WORKFLOWS["properties"]["departments"]["additionalProperties"], "## `departments`",
     "| key | required | meaning |"),
    (WORKFLOWS_DOC, WORKFLOWS["$defs"]["workflow"], "## `workflows`", "| key | required | meaning |"),
    (WORKFLOWS_DOC, WORKFLOWS["$defs"]["workflow"]["properties"]["states"]["additionalProperties"],
     "### States", "| key | meaning |"),
    (WORKFLOWS_DOC, WORKFLOWS["$defs"]["workflow"]["properties"]["transitions"]["items"], "### Transitions",
     "| key | required | meaning |"),
    (WORKFLOWS_DOC, WORKFLOWS["$defs"]["routingRow"], "## Routing tables", "| key of a row | required | meaning |"),
]


@pytest.mark.parametrize(("name", "node", "heading", "header"), KEY_TABLES,
                         ids=[f"{name}:{heading}" for name, _, heading, _ in KEY_TABLES])
def test_the_key_tables_list_exactly_the_keys_of_the_meta_schema(name, node, heading, header):
    rows = by_first_cell(table_after(section(doc(name), heading), header))
    keys = set(node["properties"])
    assert set(rows) == keys, (f"docs/{name}, {heading}: keys in the meta-schema but not in the table: "
                               f"{sorted(keys - set(rows))}; in the table but not in the meta-schema: "
                               f"{sorted(set(rows) - keys)}")
    if "required" in header:
        column = header.strip("|").split("|").index(" required ")
        for key, row in rows.items():
            says = row[column] == "yes"
            assert says == (key in node.get("required", ())), (
                f"docs/{name}, {heading}: `{key}` is {'' if says else 'not '}marked required, "
                "but the meta-schema says otherwise")


def enum(node: dict[str, Any]) -> list[str]:
    return resolve(FORM, node)["enum"]


@pytest.mark.parametrize(("what", "values", "heading", "row"), [
    ("widgets", enum(FORM["$defs"]["uiField"]["properties"]["widget"]), "### `ui.fields`", "`widget`"),
    ("widths", enum(FORM["$defs"]["uiField"]["properties"]["width"]), "### `ui.fields`", "`width`"),
    ("file kinds", enum(FORM["$defs"]["uiField"]["properties"]["file_types"]["items"]), "### `ui.fields`",
     "`file_types`"),
    ("assurance", enum(FORM["properties"]["assurance"]), "## Top-level keys", "`assurance`"),
])
def test_the_allowed_values_of_a_key_are_all_in_its_row(what, values, heading, row):
    line = next(line for line in section(doc(FORMS_DOC), heading).splitlines() if line.startswith(f"| {row} "))
    listed = set(code_names(line)) | set(re.findall(r'`"([^"`]+)"`', line))
    assert not set(values) - listed, f"docs/{FORMS_DOC}, {row}: {what} {sorted(set(values) - listed)} not listed"


def test_every_errors_key_is_listed_under_errors():
    keywords = FORM["$defs"]["uiField"]["properties"]["errors"]["propertyNames"]["enum"]
    listed = set(code_names(section(doc(FORMS_DOC), "### `errors`")))
    assert set(keywords) == listed, (f"docs/{FORMS_DOC}#errors: missing {sorted(set(keywords) - listed)}, "
                                     f"not allowed {sorted(listed - set(keywords))}")


def test_the_deadline_keys_are_in_the_service_table():
    deadline = FORM["properties"]["service"]["properties"]["deadline"]["properties"]
    rows = by_first_cell(table_after(section(doc(FORMS_DOC), "### `service`"), "| key | type | meaning |"))
    assert set(deadline) <= set(code_names(rows["deadline"][2]))


# --- the command ----------------------------------------------------------------------------------

def commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every runnable command under `group`, with its path. A stand-in app (not eurzad's) lets Flask
    list its own and its plugins' commands without an instance."""
    ctx = click.Context(group, obj=ScriptInfo(create_app=lambda: Flask("stand-in")))
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from commands(command, path + (name,))
        else:
            yield path + (name,), command


def is_eurzad_own(command: click.Command) -> bool:
    return bool(command.callback) and command.callback.__module__.startswith("eurzad")


def command_table() -> dict[tuple[str, ...], str]:
    """The command reference: each command path written in the first column → that first cell."""
    rows = table_after(section(doc("operations.md"), "## Command reference"), "| command |")
    found = {}
    for row in rows:
        for span in code_names(row[0]):
            words = span.split()
            assert words[0] == "eurzad", f"command table: {span!r} does not start with eurzad"
            path: list[str] = []
            for word in words[1:]:
                if not re.fullmatch(r"[a-z][a-z-]*", word):
                    break  # the command's name ends where its options and arguments begin
                path.append(word)
            found[tuple(path)] = row[0]
    return found


def test_every_command_is_in_the_command_table_and_every_row_is_a_command():
    documented = set(command_table())
    real = {path for path, _ in commands(main)}
    assert not real - documented, f"docs/operations.md#command-reference lacks {sorted(real - documented)}"
    assert not documented - real, f"docs/operations.md#command-reference: no command {sorted(documented - real)}"


def test_every_option_of_eurzads_own_commands_is_in_its_row():
    """eurzad's own commands show every option, argument and choice; Flask's and Flask-Limiter's
    (run, shell, routes, limiter) are documented by those projects and change with their versions."""
    documented = command_table()
    for path, command in commands(main):
        if not is_eurzad_own(command):
            continue
        cell = documented[path]
        for param in command.params:
            if isinstance(param, click.Argument):
                names = [param.human_readable_name]
            else:
                names = [max(param.opts, key=len)]
            if isinstance(param.type, click.Choice):
                names += [str(choice) for choice in param.type.choices]
            for name in names:
                assert name in cell, f"command table, eurzad {' '.join(path)}: {name} is not in its row"
        written = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", cell))
        real = {opt for param in command.params for opt in getattr(param, "opts", ())}
        assert written <= real, f"command table, eurzad {' '.join(path)}: no option {sorted(written - real)}"


def test_the_options_before_the_command_are_explained():
    text = section(doc("operations.md"), "## Command reference")
    for param in main.params:
        assert max(param.opts, key=len) in text, f"docs/operations.md#command-reference: {param.opts} not explained"


# --- links ----------------------------------------------------------------------------------------

MARKDOWN = sorted([ROOT / "README.md", *DOCS.glob("*.md"), *DOCS.glob("decisions/*.md")])


def anchors(path: Path) -> set[str]:
    """The anchors GitHub makes for the headings of a Markdown file."""
    seen: dict[str, int] = {}
    found = set()
    for line in without_code(path.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path) -> Iterator[tuple[int, str]]:
    """(line, target) of every relative link, outside code."""
    text = without_code(path.read_text(encoding="utf-8"))
    for number, line in enumerate(text.splitlines(), 1):
        line = re.sub(r"`[^`]*`", "", line)
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            if not re.match(r"[a-z]+:", target):
                yield number, target


@pytest.mark.parametrize("path", MARKDOWN, ids=[str(p.relative_to(ROOT)) for p in MARKDOWN])
def test_every_relative_link_points_at_a_file_and_heading_that_exist(path):
    broken = []
    for line, target in links(path):
        file_part, _, anchor = target.partition("#")
        goal = (path.parent / file_part).resolve() if file_part else path
        if not goal.exists():
            broken.append(f"{path.relative_to(ROOT)}:{line}: {target}: no such file")
        elif anchor and goal.suffix == ".md" and anchor not in anchors(goal):
            broken.append(f"{path.relative_to(ROOT)}:{line}: {target}: no such heading")
    assert not broken, "\n".join(broken)


REPOSITORY_PATH = re.compile(r"(?:\.ci|bench|docs|form_definitions|platform|templates|tests)/[\w./-]*")


@pytest.mark.parametrize("path", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_every_file_of_the_repository_the_docs_name_exists(path):
    """`platform/eurzad/outbox/operations.py`, `tests/web/test_access_matrix.py`… (decisions are records
    of their time and may name files since gone, so they are left out)."""
    text = without_code(path.read_text(encoding="utf-8"))
    named = {span for span in code_names(text) if REPOSITORY_PATH.fullmatch(span)}
    missing = sorted(span for span in named if not (ROOT / span).exists())
    assert not missing, f"{path.relative_to(ROOT)} names files that do not exist: {missing}"


# --- the examples in form-definitions.md ----------------------------------------------------------

SCHEMA_LINE = "# yaml-language-server: $schema="


def examples() -> list[str]:
    """The YAML blocks that are whole definitions (they start with the schema line and have an id)."""
    blocks = re.findall(r"^```yaml\n(.*?)^```", doc(FORMS_DOC), flags=re.S | re.M)
    return [block for block in blocks if block.startswith(SCHEMA_LINE) and re.search(r"^id: ", block, re.M)]


@pytest.fixture()
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The `eurzad` command in this process, with no EURZAD_* settings but an instance in tmp_path."""
    for name in list(os.environ):
        if name.startswith("EURZAD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EURZAD_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # Flask's CLI sets it; restored after the test
    return CliRunner()


def test_the_examples_pass_eurzad_forms_check(cli, tmp_path):
    """The doc says of each whole example that it passes the check against the shipped workflows.yaml."""
    found = examples()
    assert len(found) >= 6, "the whole examples of form-definitions.md were not found"
    files = []
    for number, block in enumerate(found, 1):
        files.append(tmp_path / f"example-{number}.yaml")
        files[-1].write_text(block, encoding="utf-8")
    result = cli.invoke(main, ["forms", "check", *map(str, files), "--workflows", str(ROOT / "workflows.yaml")])
    assert result.exit_code == 0, result.output


def test_the_complete_example_is_the_shipped_public_information_form():
    shipped = (ROOT / "form_definitions" / "public-information.yaml").read_text(encoding="utf-8")
    complete = next(block for block in examples() if re.search(r"^id: public-information\b", block, re.M))
    assert yaml.safe_load(complete) == yaml.safe_load(shipped), (
        "docs/form-definitions.md#a-complete-annotated-example differs from form_definitions/public-information.yaml")


# --- what the check does not see --------------------------------------------------------------------

BASE = """\
id: probe
version: 1
title: {pl: Próba, en: Probe}
service:
  department: BOI
  jrwa: "0150"
  legal_basis: {pl: Kpa, en: Kpa}
  fee: {pl: Bezpłatnie, en: Free}
  deadline: {months: 1}
workflow: standard
schema:
  type: object
  required: [name]
  properties:
    name: {type: string, maxLength: 100}
    members:
      type: array
      maxItems: 10
      items:
        type: object
        properties:
          income: {type: number, minimum: 0, maximum: 100000}
ui:
  fields:
    name: {label: {pl: Imię, en: Name}}
    members: {label: {pl: Osoby, en: People}}
    members.income: {label: {pl: Dochód, en: Income}}
"""
NOT_SEEN = {
    "A `required` that names no property": ("required: [name]", "required: [name, ghost]"),
    "Answers no one can give": ("maxLength: 100}", "minLength: 200, maxLength: 100}"),
    "The values in conditions": ("members: {label:",
                                 "members: {visible_if: {field: name, schema: {minLength: 9999}}, label:"),
    "Routing rows and `rate` rows that read a question inside a repeating group": (
        "ui:\n", "computed:\n  fee:\n    label: {pl: Opłata, en: Fee}\n    value: {rate: "
                 "[{when: {field: members.income, gt: 0}, value: 1}, {value: 0}]}\nui:\n"),
    "A repeating group's `maxItems` above 50": ("maxItems: 10", "maxItems: 100"),
}


@pytest.mark.parametrize("item", sorted(NOT_SEEN))
def test_what_the_check_does_not_see_passes_the_check(cli, tmp_path, item):
    """If one of these starts failing, the check has learnt to see it: take it off the list in the doc."""
    listed = section(doc(FORMS_DOC), "### What the check does not see")
    assert f"- **{item}" in listed, f"docs/{FORMS_DOC}#what-the-check-does-not-see no longer lists {item!r}"
    old, new = NOT_SEEN[item]
    assert old in BASE
    (tmp_path / "probe.yaml").write_text(BASE.replace(old, new, 1), encoding="utf-8")
    result = cli.invoke(main, ["forms", "check", str(tmp_path / "probe.yaml"), "--workflows",
                               str(ROOT / "workflows.yaml")])
    assert result.exit_code == 0, f"the check now sees {item!r}:\n{result.output}"


# --- eurzad users create ----------------------------------------------------------------------------

GOOD_PASSWORD = "a long enough passphrase"


def reasons() -> list[str]:
    """The reasons docs/operations.md#accounts lists for refusing `users create`, in its order."""
    text = section(doc("operations.md"), "## Accounts")
    listed = text[text.index("The reasons, in the order they are checked:"):].split("\n\n")[1]
    return [span for span in code_names(listed) if " " in span]  # messages, not names like `workflows.yaml`


def pattern(reason: str) -> str:
    """A documented message as a regular expression: '…' stands for anything."""
    return ".*".join(map(re.escape, reason.split("…")))


def test_users_create_answers_what_the_accounts_section_says(cli):
    assert cli.invoke(main, ["init"]).exit_code == 0

    def create(*args: str) -> Any:
        return cli.invoke(main, ["users", "create", "--name", "Anna Nowak", *args])

    # What is allowed: a head in a department, a front desk with and without one.
    for args, printed in [
        (["--email", "head@um.krosno.pl", "--role", "head", "--department", "OR"], "Created head head@um.krosno.pl in"),
        (["--email", "boi@um.krosno.pl", "--role", "front_desk", "--department", "BOI"], "in BOI"),
        (["--email", "Desk@UM.krosno.pl", "--role", "front_desk"], "Created front_desk desk@um.krosno.pl\n"),
    ]:
        result = create(*args, "--password", GOOD_PASSWORD)
        assert result.exit_code == 0 and printed in result.output, result.output

    # What is refused, each with the reason the doc quotes (the order of `refused` is the doc's).
    refused = [
        ["--email", "a@um.krosno.pl", "--role", "head"],
        ["--email", "a@um.krosno.pl", "--role", "admin", "--department", "OR"],
        ["--email", "a@um.krosno.pl", "--role", "front_desk", "--department", "XYZ"],
        ["--email", "not-an-address", "--role", "admin"],
        ["--email", "a@um.krosno.pl", "--role", "admin", "--name", "   "],
        ["--email", "a@um.krosno.pl", "--role", "admin", "--password", "too short"],
        ["--email", "a@um.krosno.pl", "--role", "admin", "--password", "abababababab"],
        ["--email", "annanowak@um.krosno.pl", "--role", "admin", "--password", "annanowak and the sea"],
        ["--email", "HEAD@um.krosno.pl", "--role", "admin"],
    ]
    documented = reasons()
    assert len(documented) == len(refused), f"the doc lists {documented}"
    for args, reason in zip(refused, documented, strict=True):
        if "--password" not in args:
            args = [*args, "--password", GOOD_PASSWORD]
        result = create(*args)
        assert result.exit_code == 2 and re.search(pattern(reason), result.output), (reason, result.output)
    # The order: a missing department is reported before a wrong e-mail address.
    first = create("--email", "nope", "--role", "clerk", "--password", "short")
    assert re.search(pattern(documented[0]), first.output)
