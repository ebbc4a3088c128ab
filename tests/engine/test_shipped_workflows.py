"""The shipped workflows follow their procedures: public information (UDIP), tree removal (art. 83f of the
nature protection act), fault reports; each shipped form names the one that fits it."""
from __future__ import annotations

import pytest

from eurzad.engine.workflows import load_workflows

from .test_definition_check import ROOT

WORKFLOWS = load_workflows(ROOT / "workflows.yaml").workflows
STAFF = {"clerk"}


def walk(name: str, *actions: str) -> str:
    """The state a new case of the workflow reaches by these steps, each of them offered to a clerk on the way."""
    workflow = WORKFLOWS[name]
    state = workflow.initial.name
    for action in actions:
        offered = [step.action for step in workflow.available(state, STAFF, {})]
        assert action in offered, f"{name}: '{action}' is not offered in '{state}' (only {offered})"
        state = workflow.transition(action).target
    return state


def kind(name: str, state: str) -> str:
    return WORKFLOWS[name].states[state].kind


@pytest.mark.parametrize(("form", "workflow"), [("public-information", "public_information"),
                                                ("tree-removal", "tree_removal"), ("fault-report", "fault")])
def test_each_form_names_the_workflow_of_its_procedure(registry, form, workflow):
    assert registry.forms[form].workflow == workflow


def test_public_information_is_given_or_refused_by_a_decision_with_its_reasons():
    assert walk("public_information", "take", "reply") == "provided"
    assert walk("public_information", "take", "refuse") == "refused"
    assert kind("public_information", "provided") == kind("public_information", "refused") == "terminal"
    refuse = WORKFLOWS["public_information"].transition("refuse")
    assert refuse.comment_required and refuse.notify and refuse.citizen_visible
    # Clarifying the request stops the 14 days, as a supplement does.
    assert kind("public_information", walk("public_information", "take", "request_supplement")) == "waiting"
    assert walk("public_information", "take", "request_supplement", "resume") == "in_progress"


def test_a_tree_is_inspected_and_then_objected_to_by_decision_or_not_or_the_14_days_lapse():
    inspected = ("schedule_inspection", "record_inspection")
    assert walk("tree_removal", *inspected) == "inspected" and kind("tree_removal", "inspected") == "active"
    assert walk("tree_removal", *inspected, "no_objection") == "no_objection"
    assert walk("tree_removal", *inspected, "object") == "objection"
    assert walk("tree_removal", *inspected, "lapse") == "tacit_consent"
    workflow = WORKFLOWS["tree_removal"]
    assert {kind("tree_removal", s) for s in ("no_objection", "objection", "tacit_consent")} == {"terminal"}
    assert workflow.transition("object").comment_required and workflow.transition("record_inspection").comment_required
    assert all(workflow.transition(a).notify for a in ("no_objection", "object", "lapse"))
    # No objection before the inspection: the law counts the 14 days from it.
    assert not {"no_objection", "object", "lapse"} & {t.action for t in workflow.available("inspection", STAFF, {})}
    # An incomplete notification waits for the applicant, then starts again.
    assert kind("tree_removal", walk("tree_removal", "request_supplement")) == "waiting"
    assert walk("tree_removal", "request_supplement", "resume") == "received"


def test_the_office_asks_a_fault_reporter_for_details_and_waits_as_in_the_standard_workflow():
    ask = WORKFLOWS["fault"].transition("request_supplement")
    assert kind("fault", ask.target) == "waiting" and ask.comment_required and ask.notify
    assert walk("fault", "request_supplement", "resume") == "reported"
    assert walk("fault", "request_supplement", "reject") == "rejected"  # the reporter never answered
    assert walk("fault", "schedule", "mark_fixed") == "fixed"


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_state_of_every_workflow_can_be_reached_and_every_open_state_left(name):
    workflow = WORKFLOWS[name]
    reached, frontier = {workflow.initial.name}, [workflow.initial.name]
    while frontier:
        state = frontier.pop()
        for step in workflow.transitions:
            if state in step.sources and step.target not in reached:
                reached.add(step.target)
                frontier.append(step.target)
    assert reached == set(workflow.states)
    stuck = [s.name for s in workflow.states.values()
             if s.kind != "terminal" and not any(s.name in t.sources for t in workflow.transitions)]
    assert stuck == []
