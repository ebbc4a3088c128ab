"""Sample answers of a form (samples/<id>.yaml beside its definition): the golden sample, more valid samples
with the department each must go to, invalid ones with the questions that must fail; read with the line of
every entry, and turned into answers the way a citizen's journey turns a post into them."""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from werkzeug.datastructures import MultiDict

from .definitions import FormDefinition
from .forms import form_class, read_answers, unasked
from .journey import walk
from .sources import DefinitionError, JsonPath, Problem, Source, read_source, schema_problems

SAMPLES_SCHEMA = json.loads(resources.files(__package__).joinpath("schemas/samples.schema.json").read_text())
_META = Draft202012Validator(SAMPLES_SCHEMA)
_KEYWORD = re.compile(r"[a-z][A-Za-z_]*")
"""What a sample names as the keyword that must fail (`minLength`, `file_type`): one word in lower camel case
or with underscores; anything else is the message that must be shown."""


@dataclass(frozen=True)
class Sample:
    """One set of answers in a sample file, where it stands there, and what the engine must make of it."""

    at: JsonPath  # () the golden sample, ("valid", n), ("invalid",) or ("invalid", n)
    post: Mapping[str, Any] | None  # what a browser posts: input name → value (a list for tick boxes)
    data: Mapping[str, Any] | None  # with a post, the JSON that must be stored; without one, the answers
    department: str | None = None  # a valid sample: the department routing must send it to
    row: int | None = None  # and, if given, the row of the routing table that must win
    errors: Mapping[str, str] = dataclasses.field(default_factory=dict)  # an invalid one: key → keyword or message
    plain: bool = False  # a file that is just the answers (`data` is the whole file), to ask where they go

    @property
    def data_at(self) -> JsonPath:
        """Where the sample's `data` stands in its file."""
        return () if self.plain else self.at + ("data",)

    @property
    def valid(self) -> bool:
        return self.department is not None

    @property
    def what(self) -> str:
        """How reports name it: `golden sample`, `valid sample 2`, `invalid sample 1`."""
        if not self.at:
            return "golden sample"
        return f"{self.at[0]} sample" + (f" {int(self.at[1]) + 1}" if len(self.at) > 1 else "")


def is_keyword(expected: str) -> bool:
    """Whether an invalid sample names the keyword that must fail (else the message that must be shown)."""
    return bool(_KEYWORD.fullmatch(expected))


def read_samples(path: Path) -> tuple[Source, list[Sample]]:
    """The samples of a file in file order; DefinitionError with file:line when it breaks the samples format."""
    source = read_source(path)
    problems = schema_problems(source, _META)
    if problems:
        raise DefinitionError(problems)
    samples = list(_samples(source.data))
    problems = [source.problem(sample.at or ("department",), f"{sample.what}: give its answers, as post: (what a "
                                                             "browser posts) or data: (the answers as stored)")
                for sample in samples if sample.post is None and sample.data is None]
    if problems:
        raise DefinitionError(problems)
    return source, samples


def _samples(data: Mapping[str, Any]) -> Iterator[Sample]:
    if "department" in data:
        yield _sample((), data)
    for number, item in enumerate(data.get("valid", ())):
        yield _sample(("valid", number), item)
    invalid = data.get("invalid", ())
    for at, item in ([(("invalid",), invalid)] if isinstance(invalid, Mapping) else
                     [(("invalid", number), item) for number, item in enumerate(invalid)]):
        yield _sample(at, item)


def _sample(at: JsonPath, entry: Mapping[str, Any]) -> Sample:
    return Sample(at, entry.get("post"), entry.get("data"), entry.get("department"), entry.get("row"),
                  entry.get("errors", {}))


def read_answers_file(path: Path, form: FormDefinition) -> tuple[Source, Sample]:
    """The answers of a file to ask where they would go: a sample file's golden sample, or a plain mapping of
    answers (as stored); DefinitionError with file:line when neither, or when it names a question the form
    does not have."""
    source = read_source(path)
    data = source.data
    if not isinstance(data, Mapping):
        raise DefinitionError([source.problem((), "the file must be a mapping of answers (question: answer), "
                                                  "or a sample file with post: or data:")])
    sampled = (set(data) & {"post", "data"} and set(data) <= set(SAMPLES_SCHEMA["properties"])
               and not set(data) & {field.name for field in form.fields})
    if not sampled:
        sample = Sample((), None, data, plain=True)
    else:
        _, samples = read_samples(path)
        golden = [sample for sample in samples if not sample.at]
        if not golden:
            raise DefinitionError([source.problem((), "this sample file has no golden sample (post: or data: "
                                                      "with department: at the top) to ask about")])
        sample = golden[0]
    problems = unknown_fields(form, source, sample)
    if problems:
        raise DefinitionError(problems)
    return source, sample


def post_data(post: Mapping[str, Any]) -> MultiDict:
    """A sample's post as a browser sends it: a list is one input name posted once per value."""
    return MultiDict([(key, item) for key, value in post.items()
                      for item in (value if isinstance(value, list) else [value])])


def read_post(form: FormDefinition, post: Mapping[str, Any]) -> dict[str, Any]:
    """What the engine keeps of a whole post: every page read, then the answers of hidden questions dropped."""
    data = read_answers(form.fields, form_class(form, "pl")(post_data(post)))
    return walk(form.pages, data).data


def answers(form: FormDefinition, sample: Sample) -> dict[str, Any]:
    """The answers a sample gives, as a journey keeps them (hidden ones dropped), without computed values."""
    return read_post(form, sample.post) if sample.post is not None else walk(form.pages, sample.data or {}).data


def unknown_fields(form: FormDefinition, source: Source, sample: Sample) -> list[Problem]:
    """Every input name, answer or error key of a sample that names no question of the form, at its line."""
    problems = []
    if sample.post is not None:
        bound = form_class(form, "pl")(post_data(sample.post))
        problems += [source.problem(sample.at + ("post", name), f"unknown field '{name}'")
                     for name in unasked(bound, sample.post)]
    if sample.data is not None:
        problems += [source.problem(sample.data_at + path, f"unknown field '{key}'")
                     for path, key in _unknown(form, sample.data, (), ())]
    problems += [source.problem(sample.at + ("errors", key), f"unknown field '{key}'")
                 for key in sample.errors if form.field(key) is None]
    return problems


def _unknown(form: FormDefinition, data: Mapping[str, Any], prefix: tuple[str, ...],
             at: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    """(where, dotted key) of every key of `data` that is no question (nor, at the top, a computed value)."""
    computed = {value.name for value in form.computed} if not prefix else set()
    for name, answer in data.items():
        key = ".".join(prefix + (str(name),))
        field = form.field(key)
        if field is None and name not in computed:
            yield at + (name,), key
        elif field is not None and field.children:
            items = enumerate(answer) if isinstance(answer, list) else [(None, answer)]
            for index, item in items:
                if isinstance(item, Mapping):
                    yield from _unknown(form, item, field.path, at + (name,) + (() if index is None else (index,)))
