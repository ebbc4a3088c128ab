"""The citizen's way through a form: pages in order, conditions, skip routes, and what is kept.

Decided once, here: a field (or page) whose condition does not hold is not asked, its answer is
neither validated nor stored, and conditions are evaluated on the answers kept so far.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import Predicate, compile_at, value_at
from .sources import Problem, Source
from .texts import Text
from .types import MISSING, Field


@dataclass(frozen=True)
class Route:
    when: Predicate
    goto: str


@dataclass(frozen=True)
class Page:
    id: str
    number: int  # 1-based place in the definition
    title: Text | None
    fields: tuple[Field, ...]
    visible_if: Predicate | None = None
    routes: tuple[Route, ...] = ()

    @property
    def uploads(self) -> bool:
        """Whether a question of the page takes a file (the form is then sent as multipart)."""
        return any(field.type.uploads for top in self.fields for field in top.walk())

    @property
    def heading(self) -> Text:
        """A page of one question takes the question as its heading, as GOV.UK pages do."""
        return self.title or self.fields[0].label


@dataclass(frozen=True)
class Journey:
    """The pages a citizen's answers lead through, and the answers that are kept."""

    pages: tuple[Page, ...]
    data: dict[str, Any]
    visible: frozenset[str]  # keys of the fields asked
    required: frozenset[str] = field(default=frozenset())  # keys whose required_if holds

    def page(self, page_id: str) -> Page | None:
        return next((page for page in self.pages if page.id == page_id), None)

    def after(self, page: Page) -> Page | None:
        """The page that follows `page` on this journey; None after the last one."""
        ids = [p.id for p in self.pages]
        index = ids.index(page.id) + 1 if page.id in ids else len(ids)
        return self.pages[index] if index < len(ids) else None

    def shown(self, page: Page) -> tuple[Field, ...]:
        """The page's questions to show: a hidden one is left out, unless its condition reads an answer
        on this same page, which only the posted page can tell (the page works without JavaScript)."""
        on_page = {f.key for top in page.fields for f in top.walk()}
        return tuple(field for field in page.fields if field.key in self.visible or (
            field.visible_if is not None and any(".".join(p) in on_page for p in field.visible_if.fields())))

    def before(self, page: Page) -> Page | None:
        ids = [p.id for p in self.pages]
        index = ids.index(page.id) - 1 if page.id in ids else -1
        return self.pages[index] if index >= 0 else None


def walk(pages: tuple[Page, ...], answers: Mapping[str, Any]) -> Journey:
    """Follow the pages with these answers: skip pages and fields whose condition fails, take routes."""
    index = {page.id: i for i, page in enumerate(pages)}
    keeper = _Keeper(answers)
    reached: list[Page] = []
    i = 0
    while i < len(pages):
        page = pages[i]
        if page.visible_if is not None and not page.visible_if.matches(keeper.kept):
            i += 1
            continue
        reached.append(page)
        for top in page.fields:
            keeper.keep(top)
        target = next((route.goto for route in page.routes if route.when.matches(keeper.kept)), None)
        i = index[target] if target is not None else i + 1
    return Journey(tuple(reached), keeper.kept, frozenset(keeper.visible), frozenset(keeper.required))


class _Keeper:
    """The answers kept so far on a walk, and which questions were asked and required."""

    def __init__(self, answers: Mapping[str, Any]):
        self.answers = answers
        self.kept: dict[str, Any] = {}
        self.visible: set[str] = set()
        self.required: set[str] = set()

    def keep(self, field: Field) -> None:
        """Ask `field` if its condition holds on the answers kept so far; its type keeps what it answers."""
        if field.visible_if is not None and not field.visible_if.matches(self.kept):
            return
        self.show(field)
        if field.required_if is not None and field.required_if.matches(self.kept):
            self.required.add(field.key)
        value = value_at(self.answers, field.path)
        if value is not MISSING:
            field.type.keep(field, value, self)

    def show(self, field: Field) -> None:
        self.visible.add(field.key)

    def get(self, path: tuple[str, ...]) -> Any:
        return value_at(self.kept, path)

    def set(self, path: tuple[str, ...], value: Any) -> None:
        data = self.kept
        for part in path[:-1]:
            data = data.setdefault(part, {})
        if value is MISSING:
            data.pop(path[-1], None)
        else:
            data[path[-1]] = value


def build_pages(source: Source, fields: tuple[Field, ...], problems: list[Problem]) -> tuple[Page, ...]:
    """The pages of `ui.pages`, or one page per top-level field; every field on exactly one page.

    A field that could not be built (its problem is already reported) is passed over here.
    """
    ui = source.data["ui"]
    by_name = {f.path[0]: f for f in fields}
    in_schema = set(source.data["schema"].get("properties", {}))
    if "pages" not in ui:
        own = tuple(Page(f.path[0].replace("_", "-").lower(), n, None, (f,)) for n, f in enumerate(fields, 1))
        ids = [page.id for page in own]
        problems += [source.problem(("schema", "properties", page.fields[0].path[0]),
                                    f"field '{page.fields[0].key}' would have the same page address as another "
                                    f"('{page.id}'): list the pages in ui.pages")
                     for n, page in enumerate(own) if page.id in ids[:n]]
        return own
    pages = []
    placed: dict[str, str] = {}
    ids = [spec["id"] for spec in ui["pages"]]
    for n, spec in enumerate(ui["pages"], 1):
        at = ("ui", "pages", n - 1)
        if spec["id"] in ids[: n - 1]:
            problems.append(source.problem(at + ("id",), f"page id '{spec['id']}' is used twice"))
        page_fields = []
        for k, name in enumerate(spec["fields"]):
            if name in in_schema and name not in by_name:
                continue
            if name not in by_name:
                problems.append(source.problem(at + ("fields", k), f"page '{spec['id']}' lists '{name}', "
                                                                   "which is not a top-level field of the schema"))
            elif name in placed:
                problems.append(source.problem(at + ("fields", k), f"field '{name}' is already on page "
                                                                   f"'{placed[name]}': a field sits on one page"))
            else:
                placed[name] = spec["id"]
                page_fields.append(by_name[name])
        if len(spec["fields"]) > 1 and "title" not in spec:
            problems.append(source.problem(at, f"page '{spec['id']}' asks several fields: give it a title"))
        routes = []
        for r, route in enumerate(spec.get("next", ())):
            goto = route["goto"]
            if goto not in ids:
                problems.append(source.problem(at + ("next", r, "goto"), f"skip route to '{goto}': no such page"))
            elif ids.index(goto) <= n - 1:
                problems.append(source.problem(at + ("next", r, "goto"), f"skip route to '{goto}' goes back: "
                                                                         "routes only go forward"))
            when = compile_at(source, at + ("next", r, "when"), route["when"], problems,
                              f"page '{spec['id']}' skip route")
            if when is not None:
                routes.append(Route(when, goto))
        visible_if = (compile_at(source, at + ("visible_if",), spec["visible_if"], problems,
                                 f"page '{spec['id']}' visible_if") if "visible_if" in spec else None)
        pages.append(Page(spec["id"], n, Text.maybe(spec.get("title")), tuple(page_fields), visible_if,
                          tuple(routes)))
    for name in by_name:
        if name not in placed:
            problems.append(source.problem(("ui", "pages"), f"field '{name}' is on no page"))
    return tuple(pages)
