"""Definition texts found sound are remembered by digest (engine/parsed.py): a start that reads them from the
cache loads exactly the forms a full check loads, and anything that could change the verdict is checked again."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eurzad.engine.definitions import check, load_registry
from eurzad.engine.parsed import FINGERPRINT, NO_CACHE, ParsedCache
from eurzad.engine.sources import DefinitionError

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "workflows.yaml"


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path, ParsedCache]:
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    for path in (ROOT / "form_definitions").glob("*.yaml"):
        shutil.copy(path, definitions)
    shutil.copy(WORKFLOWS, tmp_path / "workflows.yaml")
    (tmp_path / "instance").mkdir()
    return definitions, tmp_path / "workflows.yaml", ParsedCache(tmp_path / "instance" / "cache" / "definitions")


def entries(cache: ParsedCache) -> list[Path]:
    assert cache.folder is not None
    return sorted(cache.folder.glob("*.json"))


def test_forms_read_from_the_cache_are_the_forms_a_full_check_builds(folders):
    definitions, workflows, cache = folders
    full = load_registry(definitions, workflows)
    first = load_registry(definitions, workflows, cache)
    assert len(entries(cache)) == len(full.forms) == 6
    second = load_registry(definitions, workflows, cache)
    for form_id, form in full.forms.items():
        for loaded in (first.forms[form_id], second.forms[form_id]):
            assert loaded == form
            assert (loaded.sha256, loaded.text, loaded.schema, loaded.pages) == (form.sha256, form.text, form.schema,
                                                                               form.pages)
            assert list(loaded.validator.iter_errors({})) and not loaded.validator.is_valid({})


def test_the_second_start_reads_the_cache_and_does_not_parse(folders, monkeypatch):
    definitions, workflows, cache = folders
    load_registry(definitions, workflows, cache)

    def no_parsing(*_args):
        raise AssertionError("parsed although the cache knows the text")
    monkeypatch.setattr("eurzad.engine.parsed.parse_source", no_parsing)
    assert len(load_registry(definitions, workflows, cache).forms) == 6


def test_a_changed_file_is_checked_again_and_its_problem_named_at_its_line(folders):
    definitions, workflows, cache = folders
    load_registry(definitions, workflows, cache)
    path = definitions / "fault-report.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version: ", "version: -", 1), encoding="utf-8")
    line = text[:text.index("version: ")].count("\n") + 1
    with pytest.raises(DefinitionError) as raised:
        load_registry(definitions, workflows, cache)
    assert [(Path(p.file).name, p.line) for p in raised.value.problems] == [("fault-report.yaml", line)]


def test_a_text_sound_under_one_workflows_file_is_checked_again_under_another(folders):
    definitions, workflows, cache = folders
    load_registry(definitions, workflows, cache)
    text = workflows.read_text(encoding="utf-8")
    assert "\n  public-information:\n" in text
    workflows.write_text(text.replace("\n  public-information:\n", "\n  public-information-old:\n"), encoding="utf-8")
    files = sorted(definitions.glob("*.yaml"))
    cached, _, _ = check(files, workflows, cache)
    assert cached == check(files, workflows, NO_CACHE)[0]
    assert [(Path(p.file).name, p.message) for p in cached if "routing" in p.message] == [
        ("public-information.yaml", f"routing table 'public-information' is not in {workflows}")]


def test_an_unreadable_or_forged_entry_is_ignored(folders):
    definitions, workflows, cache = folders
    load_registry(definitions, workflows, cache)
    for path in entries(cache):
        path.write_bytes(b"{not json")
    assert len(load_registry(definitions, workflows, cache).forms) == 6
    for path in entries(cache):
        path.write_bytes(b'{"data": 1}')  # no verdict in it
    assert len(load_registry(definitions, workflows, cache).forms) == 6


def test_what_another_engine_wrote_is_removed_and_a_missing_instance_folder_is_never_made(folders, tmp_path):
    definitions, workflows, cache = folders
    assert cache.folder is not None
    cache.folder.mkdir(parents=True)
    stale = cache.folder / "0000000000000000-abc.json"
    stale.write_bytes(b"{}")
    load_registry(definitions, workflows, cache)
    assert not stale.exists() and all(p.name.startswith(FINGERPRINT) for p in entries(cache))
    nowhere = ParsedCache(tmp_path / "no-instance" / "cache" / "definitions")
    assert len(load_registry(definitions, workflows, nowhere).forms) == 6
    assert not (tmp_path / "no-instance").exists()


def test_yaml_that_json_cannot_carry_exactly_is_never_cached(folders):
    definitions, workflows, cache = folders
    path = definitions / "public-information.yaml"
    text = path.read_text(encoding="utf-8")
    question = "full_name: {type: string, minLength: 2, maxLength: 200"
    assert question in text
    # a number as a key (JSON cannot carry it), an infinite number (JSON would carry it as null)
    for example, value in (("{1: one}", {1: "one"}), (".inf", float("inf"))):
        path.write_text(text.replace(question, f"{question}, examples: [{example}]"), encoding="utf-8")
        for _ in range(2):
            problems, forms, _ = check([path], workflows, cache)
            assert problems == [] and forms[0].schema["properties"]["full_name"]["examples"] == [value]
            assert entries(cache) == []
