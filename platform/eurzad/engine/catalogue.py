"""The forms catalogue: what a search finds and the groups forms are listed in."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .definitions import FormDefinition
from .texts import LOCALES, Text


def folded(text: str) -> str:
    """Text as a search compares it: case and Polish diacritics do not matter ("Ławka" finds "lawka")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matches(form: FormDefinition, query: str) -> bool:
    """Every word searched for is in the form's title, description or keywords, in either language."""
    texts = [text for text in (form.title, form.description, form.keywords) if text is not None]
    haystack = folded(" ".join(text.get(locale) for text in texts for locale in LOCALES))
    return all(word in haystack for word in folded(query).split())


@dataclass(frozen=True)
class Group:
    label: Text | None  # None: the forms of no group the office declared
    forms: tuple[FormDefinition, ...]


def catalogue_groups(forms: Iterable[FormDefinition], categories: Mapping[str, Text], locale: str) -> list[Group]:
    """The forms in the office's groups, in the order workflows.yaml declares them, each sorted by title;
    forms of no declared group last. Empty groups are left out."""
    by_title = sorted(forms, key=lambda form: folded(form.title.get(locale)))
    groups = [Group(label, tuple(f for f in by_title if f.service.category == key))
              for key, label in categories.items()]
    groups.append(Group(None, tuple(f for f in by_title if f.service.category not in categories)))
    return [group for group in groups if group.forms]
