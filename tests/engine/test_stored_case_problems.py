"""A changed workflows.yaml must not strand the cases already stored: `eurzad forms check` names the line."""
from __future__ import annotations

from eurzad.engine.workflows import StoredCases, load_workflows, stored_case_problems

from .test_definition_check import ROOT, WORKFLOWS, line_of

FAULT = WORKFLOWS.index("  fault:\n")  # where the fault report's workflow starts


def in_fault(*changes: tuple[str, str]) -> str:
    """The shipped file with text of the `fault` workflow changed (its part of the file only)."""
    end = WORKFLOWS.index("\nrouting:")
    fault = WORKFLOWS[FAULT:end]
    for old, new in changes:
        assert old in fault, old
        fault = fault.replace(old, new)
    return WORKFLOWS[:FAULT] + fault + WORKFLOWS[end:]


def fault_line(text: str, needle: str) -> int:
    """The line of `needle` in the `fault` workflow of `text`."""
    return line_of(text, "  fault:\n") + line_of(text[FAULT:], needle) - 1


def problems(tmp_path, text: str, *stored: StoredCases) -> list[str]:
    """The stored-case problems of `text` as a workflows file, each as `line: message`."""
    (tmp_path / "workflows.yaml").write_text(text, encoding="utf-8")
    found = stored_case_problems(load_workflows(tmp_path / "workflows.yaml"), stored)
    assert all(p.file.endswith("workflows.yaml") for p in found)
    return [f"{p.line}: {p.message}" for p in found]


def test_every_shipped_state_with_cases_in_it_is_fine():
    workflows = load_workflows(ROOT / "workflows.yaml")
    stored = [StoredCases(name, state, 3, "BOI.0150.1.2026")
              for name, workflow in workflows.workflows.items() for state in workflow.states]
    assert stored_case_problems(workflows, stored) == []


def test_no_stored_cases_no_problems():
    assert stored_case_problems(load_workflows(ROOT / "workflows.yaml"), []) == []


def test_a_renamed_state_with_cases_in_it_is_an_error_at_the_workflows_states_line(tmp_path):
    text = in_fault(("scheduled", "repair_planned"))
    [problem] = problems(tmp_path, text, StoredCases("fault", "scheduled", 12, "DR.7230.4.2026"),
                         StoredCases("fault", "reported", 2, "DR.7230.9.2026"))
    assert problem == (f"{fault_line(text, '    states:')}: 12 stored cases "
                       "(e.g. DR.7230.4.2026) are in state 'scheduled' of workflow 'fault', which workflows.yaml no "
                       "longer declares: keep the state (renaming it removes it), or first move the cases in it on "
                       "to another state")


def test_one_case_in_a_removed_state_is_named_without_e_g(tmp_path):
    [problem] = problems(tmp_path, WORKFLOWS, StoredCases("standard", "archived", 1, "OR.1431.7.2026"))
    assert problem.startswith(f"{line_of(WORKFLOWS, '    states:')}: 1 stored case (OR.1431.7.2026) is in state "
                              "'archived' of workflow 'standard'")


def test_a_removed_workflow_with_cases_is_an_error_at_the_workflows_line_naming_its_states(tmp_path):
    [problem] = problems(tmp_path, WORKFLOWS, StoredCases("permits", "received", 2, "GK.7011.1.2026"),
                         StoredCases("permits", "closed", 5, "GK.7011.3.2026"),
                         StoredCases("standard", "received", 9, "OR.1431.1.2026"))
    assert problem == (f"{line_of(WORKFLOWS, 'workflows:')}: 7 stored cases (e.g. GK.7011.1.2026) follow workflow "
                       "'permits', which workflows.yaml no longer declares: keep the workflow, with the states in use "
                       "('received', 'closed')")


def test_removing_the_last_step_out_of_a_state_with_open_cases_is_an_error_at_the_states_line(tmp_path):
    text = in_fault(("from: [scheduled]\n", "from: [reported]\n"),
                    ("from: [reported, scheduled, awaiting_citizen]", "from: [reported, awaiting_citizen]"))
    [problem] = problems(tmp_path, text, StoredCases("fault", "scheduled", 3, "DR.7230.2.2026"))
    assert problem == (f"{fault_line(text, '      scheduled:')}: 3 stored "
                       "cases (e.g. DR.7230.2.2026) are in state 'scheduled' of workflow 'fault', and no step leads "
                       "out of it: no case in it can ever be closed; add a step from it towards a terminal state")


def test_a_step_that_stays_in_the_state_is_no_way_out(tmp_path):
    text = in_fault(("from: [scheduled]\n        to: fixed", "from: [scheduled]\n        to: scheduled"),
                    ("from: [reported, scheduled, awaiting_citizen]", "from: [reported, awaiting_citizen]"))
    [problem] = problems(tmp_path, text, StoredCases("fault", "scheduled", 1, "DR.7230.2.2026"))
    assert problem.startswith(f"{fault_line(text, '      scheduled:')}: 1 stored case (DR.7230.2.2026) is in state "
                              "'scheduled' of workflow 'fault', and no step leads out of it: ")


def test_a_state_without_a_way_out_and_no_cases_in_it_is_not_this_checks_business(tmp_path):
    text = in_fault(("from: [scheduled]\n", "from: [reported]\n"),
                    ("from: [reported, scheduled, awaiting_citizen]", "from: [reported, awaiting_citizen]"))
    assert problems(tmp_path, text, StoredCases("fault", "reported", 3, "DR.7230.2.2026")) == []


def test_a_removed_step_is_fine_while_another_way_out_is_left(tmp_path):
    text = in_fault(("from: [reported, scheduled, awaiting_citizen]", "from: [reported, awaiting_citizen]"))
    assert problems(tmp_path, text, StoredCases("fault", "scheduled", 4, "DR.7230.2.2026")) == []  # mark_fixed


def test_steps_that_only_go_round_without_closing_are_an_error(tmp_path):
    text = in_fault(("to: fixed\n", "to: reported\n"),
                    ("from: [reported, scheduled, awaiting_citizen]", "from: [awaiting_citizen]"),
                    ("from: [awaiting_citizen]\n        to: rejected", "from: [fixed]\n        to: rejected"))
    found = problems(tmp_path, text, StoredCases("fault", "scheduled", 2, "DR.7230.5.2026"),
                     StoredCases("fault", "fixed", 40, "DR.7230.1.2026"))
    assert found == [f"{fault_line(text, '      scheduled:')}: 2 stored cases "
                     "(e.g. DR.7230.5.2026) are in state 'scheduled' of workflow 'fault', and its steps never lead to "
                     "a terminal state: no case in it can ever be closed; add a step from it towards a terminal state"]


def test_closed_cases_need_no_way_out(tmp_path):
    assert problems(tmp_path, WORKFLOWS, StoredCases("fault", "fixed", 100, "DR.7230.1.2026"),
                    StoredCases("fault", "rejected", 1, "DR.7230.9.2026")) == []
