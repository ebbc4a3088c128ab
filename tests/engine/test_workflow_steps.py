"""Which workflow steps are offered: from the case's state, to the actor's roles, when their condition holds."""
from __future__ import annotations

from eurzad.engine.workflows import load_workflows

from .test_definition_check import ROOT, WORKFLOWS, office  # noqa: F401 - the fixture

CONDITIONAL = WORKFLOWS.replace(
    "      - action: reply\n",
    "      - action: refuse_by_decision\n"
    "        label: {pl: Odmów decyzją, en: Refuse by decision}\n"
    "        from: [in_progress]\n"
    "        to: closed\n"
    "        roles: [head]\n"
    "        condition: {field: delivery_method, equals: post}\n"
    "      - action: reply\n")


def steps(workflows, state: str, roles: set[str], data: dict | None = None) -> list[str]:
    return [t.action for t in workflows.workflows["standard"].available(state, roles, data or {})]


def test_a_step_is_offered_from_its_states_to_its_roles_in_the_workflows_order():
    workflows = load_workflows(ROOT / "workflows.yaml")
    assert steps(workflows, "received", {"clerk"}) == ["take"]
    assert steps(workflows, "in_progress", {"head"}) == ["request_supplement", "reply"]
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
    problems = office(**{"workflows.yaml": CONDITIONAL.replace("field: delivery_method", "field: delivery")})
    assert any("public-information.yaml:" in p and "transition 'refuse_by_decision' reads field 'delivery', "
               "which this form does not have" in p for p in problems), problems
    twice = WORKFLOWS.replace("      - action: resume\n", "      - action: take\n")
    [problem] = office(**{"workflows.yaml": twice})
    assert "workflow 'standard': action 'take' is used twice" in problem
