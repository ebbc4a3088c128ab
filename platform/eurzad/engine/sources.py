"""YAML sources that remember where each value came from, so every problem names file and line."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a definition file, reported as `file:line: message`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DefinitionError(Exception):
    """Definition files that cannot be used; carries every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(map(str, self.problems)))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that leaves dates as strings: JSON Schema knows no date objects. It is libyaml's C parser where
    PyYAML was built with it (its wheels are): about six times faster than the pure-Python one."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Source:
    """A parsed YAML file: its exact text, its data, and the line of every value in it.

    `checked` says the data came from the cache of texts already found to meet the meta-schemas
    (engine/parsed.py): those checks are not run again, and the lines are found only if a problem needs one;
    `sound_under`, that it passed every rule of publishing too, with these workflows files.
    """

    file: str
    text: str
    data: Any
    known_lines: Mapping[JsonPath, int] | None = field(default=None, repr=False, compare=False)
    checked: bool = False
    sound_under: frozenset[str] = frozenset()  # digests of the workflows.yaml texts it passed every rule with
    sha256: str = field(default="", repr=False)  # of the text; computed when not given

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", text_sha256(self.text))

    @cached_property
    def lines(self) -> Mapping[JsonPath, int]:
        return self.known_lines if self.known_lines is not None else parse_source(self.file, self.text).lines

    def line_of(self, path: Iterable[str | int]) -> int:
        """Line of the value at `path`, or of its nearest ancestor that exists."""
        parts = tuple(path)
        while parts not in self.lines:
            parts = parts[:-1]
        return self.lines[parts]

    def problem(self, path: Iterable[str | int], message: str) -> Problem:
        return Problem(self.file, self.line_of(path), message)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def display_name(path: Path) -> str:
    """Path as a person would type it: relative to the working directory when below it."""
    cwd = Path.cwd()
    for absolute in (path.absolute, path.resolve):  # resolving (a system call a part) only for a symbolic link
        try:
            return str(absolute().relative_to(cwd))
        except ValueError:
            continue
    return str(path)


def read_source(path: Path) -> Source:
    """Read and parse one YAML file; raise DefinitionError for I/O, encoding or syntax trouble."""
    name, text = read_text(path)
    return parse_source(name, text)


def read_text(path: Path) -> tuple[str, str]:
    """A file's name as a person would type it, and its text; DefinitionError if it cannot be read as UTF-8."""
    name = display_name(path)
    try:
        return name, path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DefinitionError([Problem(name, 1, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise DefinitionError([Problem(name, 1, f"cannot read the file ({exc.strerror})")]) from None


def parse_source(name: str, text: str) -> Source:
    """Parse YAML text; raise DefinitionError with the line of a syntax error or duplicate key."""
    loader = None
    try:
        loader = _Loader(text)  # the reader refuses characters YAML does not allow (control characters)
        node = loader.get_single_node()
        if node is None:
            raise DefinitionError([Problem(name, 1, "the file is empty")])
        if (too_big := _too_big(node, name)) is not None:
            raise DefinitionError([too_big])
        data = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise DefinitionError([Problem(name, line, f"YAML error: the character U+{exc.character:04X} (a control "
                                                   "character) is not allowed in a YAML file")]) from None
    except RecursionError:  # PyYAML composes nested blocks recursively: far deeper than MAX_DEPTH
        raise DefinitionError([Problem(name, 1, f"YAML error: the file nests deeper than {MAX_DEPTH} levels")]) \
            from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # libyaml puts an error at the end of the text one line below the last: the last line it is
        line = min(mark.line + 1, text.count("\n") + 1) if mark else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        if "maximum nesting depth" in what:  # libyaml's own bound (1,000 levels), far past ours
            raise DefinitionError([Problem(name, line, f"YAML error: the file nests deeper than {MAX_DEPTH} levels")]) \
                from None
        raise DefinitionError([Problem(name, line, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([Problem(name, 1, f"YAML error: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[JsonPath, int] = {}
    problems: list[Problem] = []
    _map_lines(node, (), lines, problems, name)
    if problems:
        raise DefinitionError(problems)
    return Source(name, text, data, lines)


MAX_DEPTH = 64
"""No definition nests nearly this deep; a deeper one is refused before anything walks it recursively."""

MAX_NODES = 200_000
"""Values in a file, aliases counted each time they are used: a few aliases of aliases ("billion laughs") would
otherwise make every later step walk billions of values."""


def _too_big(root: yaml.Node, name: str) -> Problem | None:
    """A problem when the file nests deeper than MAX_DEPTH or holds more than MAX_NODES values (a cycle of aliases
    is both); walked without recursion."""
    stack, count = [(root, 1)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            return Problem(name, node.start_mark.line + 1, f"YAML error: the file nests deeper than {MAX_DEPTH} levels")
        if count > MAX_NODES:
            return Problem(name, node.start_mark.line + 1, f"YAML error: the file holds more than {MAX_NODES} values "
                                                            "(aliases counted each time they are used)")
        if isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return None


def _map_lines(node: yaml.Node, path: JsonPath, lines: dict[JsonPath, int],
               problems: list[Problem], name: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(Problem(name, key_node.start_mark.line + 1,
                                        f"duplicate key '{key}'"))
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _map_lines(value_node, path + (key,), lines, problems, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, path + (index,), lines, problems, name)


def schema_problems(source: Source, validator: Any, instance: Any = None,
                    base: JsonPath = ()) -> list[Problem]:
    """Every way `instance` (by default the whole file) breaks a JSON Schema, each at its line."""
    instance = source.data if instance is None else instance
    problems = []
    for error in validator.iter_errors(instance):
        path = base + tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            hint = _TEXT_HINT if set(known) == {"pl", "en"} else ""
            for key in (k for k in error.instance if k not in known):
                problems.append(source.problem(path + (key,), f"{_dotted(path)}: unknown key"
                                               f" '{key}' (allowed: {', '.join(known) or 'none'}){hint}"))
            continue
        where = _dotted(path) or "the file"
        problems.append(source.problem(path, f"{where}: {_plain(error)}"))
    return problems


_TEXT_HINT = ("; a comma inside {pl: ..., en: ...} starts a new key: put a text with a comma"
              " in quotes or write pl: and en: on lines of their own")


def _dotted(path: JsonPath) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _plain(error: Any) -> str:
    """The validator's sentence, shortened where it would quote a whole subtree back."""
    if error.validator in ("oneOf", "anyOf"):
        where = _dotted(tuple(error.relative_schema_path)[:-1]) or "the format"
        return f"does not match any of the allowed forms ({error.validator} in {where})"
    if error.validator == "required":
        return error.message.replace(" is a required property", " is required")
    if error.validator == "pattern" and isinstance(error.instance, str) and "x-hint" in error.schema:
        return f"'{error.instance}' will not do: {error.schema['x-hint']}: {_slug(error.instance)}"
    return error.message


def _slug(text: str) -> str:
    """A text as an id could write it: "Parking_Permit" → "parking-permit"."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
                       .encode("ascii", "ignore").decode())
    slug = "-".join(words) or "my-form"
    return slug if slug[0].isalpha() else f"form-{slug}"
