"""Which workflow steps are offered: from the case's state, to the actor's roles, when their condition holds."""
from __future__ import annotations

from eurzad.engine.workflows import load_workflows

from .test_definition_check import EXAMPLE, ROOT, WORKFLOWS, office  # noqa: F401 - the fixture

CONDITIONAL = WORKFLOWS.replace(
    "      - action: reply\n",
    "      - action: refuse_by_decision\n"
    "        label: {pl: Odmów decyzją, en: Refuse by decision}\n"
    "        from: [in_progress]\n"
    "        to: closed\n"
    "        roles: [head]\n"
    "        condition: {field: delivery_method, equals: post}\n"
    "      - action: reply\n", 1)  # in `standard`, the first workflow


def steps(workflows, state: str, roles: set[str], data: dict | None = None) -> list[str]:
    return [t.action for t in workflows.workflows["standard"].available(state, roles, data or {})]


def test_a_step_is_offered_from_its_states_to_its_roles_in_the_workflows_order():
    workflows = load_workflows(ROOT / "workflows.yaml")
    assert steps(workflows, "received", {"clerk"}) == ["take", "forward_out"]
    assert steps(workflows, "in_progress", {"head"}) == ["request_supplement", "reply", "forward_out"]
    assert steps(workflows, "closed", {"clerk", "head"}) == []
    assert steps(workflows, "received", {"citizen", "admin", "front_desk"}) == []


def test_a_step_with_a_condition_is_offered_only_when_the_filed_answers_meet_it(tmp_path):
    path = tmp_path / "workflows.yaml"
    path.write_text(CONDITIONAL, encoding="utf-8")
    workflows = load_workflows(path)
    assert "refuse_by_decision" in steps(workflows, "in_progress", {"head"}, {"delivery_method": "post"})
    assert "refuse_by_decision" not in steps(workflows, "in_progress", {"head"}, {"delivery_method": "email"})
    assert "refuse_by_decision" not in steps(workflows, "in_progress", {"head"}, {})
    assert "refuse_by_decision" not in steps(workflows, "in_progress", {"clerk"}, {"delivery_method": "post"})
    step = workflows.workflows["standard"].transition("refuse_by_decision")
    assert step.citizen_visible and step.notify and not step.comment_required  # the citizen sees it: e-mailed
    assert step.documents is None and not step.after_due


def test_the_check_reports_a_step_condition_on_a_field_a_form_lacks_and_an_action_used_twice(office):  # noqa: F811
    on_standard = EXAMPLE.replace("workflow: public_information", "workflow: standard")
    problems = office(**{"workflows.yaml": CONDITIONAL.replace("field: delivery_method", "field: delivery"),
                         "public-information.yaml": on_standard})
    assert any("public-information.yaml:" in p and "transition 'refuse_by_decision' reads field 'delivery', "
               "which this form does not have" in p for p in problems), problems
    twice = WORKFLOWS.replace("      - action: resume\n", "      - action: take\n", 1)
    [problem] = office(**{"workflows.yaml": twice})
    assert "workflow 'standard': action 'take' is used twice" in problem


def test_forwarding_outside_the_office_is_a_closing_step_that_needs_the_reason():
    """Art. 65 KPA: another authority is competent; the case ends here, and the applicant is told where and why."""
    workflow = load_workflows(ROOT / "workflows.yaml").workflows["standard"]
    step = workflow.transition("forward_out")
    assert step.sources == ("received", "in_progress") and step.comment_required and step.notify
    assert workflow.states[step.target].kind == "terminal" and step.citizen_visible
