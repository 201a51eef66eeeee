"""The task flow on a scripted model: triage, gate, work, review, rework, founder actions."""

import json

import pytest

from agents.backends.base import BackendUnavailable
from app.core.errors import InvalidInput, InvalidTransition
from app.tasks.service import NewTask
from app.core.settings import AutopilotPolicy
from tests.support.answers import plausible_answer

BLOG = "Write a blog post about keeping a tidy desk"
GOOD = ("# A tidy desk\n\n"
        "A tidy desk saves time every single day. Clear the desk every evening and keep one tray for papers, so "
        "that tomorrow starts with a clean surface. Put pens in a single cup and throw away the ones that no longer "
        "write. Cables go under the desk in a cheap tray; a tangle you cannot see is a tangle you stop noticing. "
        "Once a week, file or shred everything in the tray. Keep only what you use daily within arm's reach and "
        "store the rest in a drawer. A plant and a lamp are welcome; a pile of old mugs is not. When the desk is "
        "tidy, your head follows: fewer distractions, quicker starts and less hunting for the charger. Try it for "
        "two weeks and notice how much calmer your mornings feel.")
SHORT = "Too short."


def run(company):
    return company.engine().run_until_idle(max_wait=30)


def statuses(company, task_id):
    return [e.status for e in company.tasks.detail(task_id).events if e.kind == "status"]


def test_task_goes_from_inbox_to_delivered(scripted_company, scripted):
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "delivered"
    assert statuses(scripted_company, task.id) == ["queued", "running", "in_review", "delivered"]
    kinds = [d.kind for d in detail.decisions]
    assert kinds == ["route", "plan", "review"]
    route = detail.decisions[0]
    assert route.team == "content" and route.rationale
    assert json.loads(route.payload)["alternatives"]
    work = [s for s in detail.steps if s.kind == "work"]
    assert [(s.key, s.team, s.status, s.attempts) for s in work] == [("s1.r0", "content", "done", 1)]
    assert work[0].tokens_out > 0 and work[0].model == "scripted"
    artifact = detail.artifacts[0]
    assert (scripted_company.home / artifact.path).read_text() == work[0].output


def test_low_confidence_waits_for_the_founder(scripted_company):
    scripted_company.update_settings(autopilot=AutopilotPolicy(mode="manual"))
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    waiting = scripted_company.tasks.detail(task.id).task
    assert waiting.status == "needs_decision"
    assert "autopilot is off" in waiting.waiting_reason and "reassign" in waiting.waiting_reason
    scripted_company.tasks.approve(task.id)
    run(scripted_company)
    assert scripted_company.tasks.detail(task.id).task.status == "delivered"


def test_requested_team_skips_the_gate(scripted_company):
    scripted_company.update_settings(autopilot=AutopilotPolicy(mode="manual"))
    task = scripted_company.tasks.submit(NewTask(text=BLOG, team="marketing"))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "delivered"
    assert detail.decisions[0].team == "marketing" and detail.decisions[0].confidence == 1.0


def test_weak_work_is_reworked_with_notes_then_passes(scripted_company, scripted):
    scripted.replies[:] = [SHORT, GOOD]
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "delivered" and detail.task.round == 1
    assert [s.key for s in detail.steps if s.kind == "work"] == ["s1.r0", "s1.r1"]
    second_prompt = scripted.work_calls[1][0][-1].content
    assert "Too short" in second_prompt and SHORT in second_prompt
    reviews = [d for d in detail.decisions if d.kind == "review"]
    assert [json.loads(r.payload)["verdicts"][0]["verdict"] for r in reviews] == ["rework", "pass"]


def test_rework_rounds_are_bounded_then_the_founder_decides(scripted_company, scripted):
    scripted.replies[:] = [SHORT]
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    max_rounds = scripted_company.settings.budgets.max_rework_rounds
    assert detail.task.status == "needs_decision"
    assert detail.task.round == max_rounds
    assert len(scripted.work_calls) == max_rounds + 1
    assert "still not satisfied" in detail.task.waiting_reason
    scripted_company.tasks.accept(task.id)  # the founder takes it anyway
    assert scripted_company.tasks.detail(task.id).task.status == "done"


def test_invalid_review_json_is_asked_again_then_goes_to_the_founder(scripted_company, scripted):
    scripted.reviews[:] = ["not json at all"]
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "needs_decision"
    assert "could not review" in detail.task.waiting_reason
    review_calls = [c for c in scripted.calls if c[1].json_schema is not None]
    assert len(review_calls) == 3  # the first ask and two re-asks
    assert "not valid" in review_calls[1][0][-1].content
    scripted_company.tasks.approve(task.id)
    assert scripted_company.tasks.detail(task.id).task.status == "delivered"


def test_invalid_then_valid_review_passes(scripted_company, scripted):
    scripted.reviews[:] = ['{"verdict": "maybe"}', '{"verdict": "pass", "notes": "Clear and on topic."}']
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    assert scripted_company.tasks.detail(task.id).task.status == "delivered"


def test_truncated_reply_is_a_failure_retried_then_failed(scripted_company, scripted, monkeypatch):
    monkeypatch.setattr("app.engine.phases.random.uniform", lambda a, b: 0.01)
    scripted_company.update_settings(model={"step_max_tokens": 16})
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "failed"
    assert "cut off at the 48-token limit" in detail.task.waiting_reason  # 16, then 32, then 48
    step = [s for s in detail.steps if s.kind == "work"][0]
    assert step.attempts == scripted_company.settings.budgets.max_step_attempts
    assert not detail.artifacts


def test_dead_server_retries_then_recovers(scripted_company, scripted, monkeypatch):
    monkeypatch.setattr("app.engine.phases.random.uniform", lambda a, b: 0.01)
    scripted.replies[:] = [BackendUnavailable("The model server at 127.0.0.1:9 is not answering."), GOOD]
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "delivered"
    assert [s.attempts for s in detail.steps if s.kind == "work"] == [2]
    assert any("Retrying" in (e.payload or "") for e in detail.events)


def test_finished_steps_are_not_run_again(scripted_company, scripted):
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    before = scripted_company.tasks.detail(task.id).steps
    # Simulate a crash after the work step: the task is back in `running` with an expired claim.
    with scripted_company.db.raw_write() as conn:
        conn.execute(f"UPDATE task SET status='running', claimed_by='dead' WHERE id={task.id}")
    calls = len(scripted.work_calls)
    run(scripted_company)
    after = scripted_company.tasks.detail(task.id)
    assert len(scripted.work_calls) == calls
    work_before = [(s.key, s.output, s.finished_at) for s in before if s.kind == "work"]
    assert [(s.key, s.output, s.finished_at) for s in after.steps if s.kind == "work"] == work_before
    assert after.task.recoveries == 1


def test_founder_actions(scripted_company, scripted):
    tasks = scripted_company.tasks
    task = tasks.submit(NewTask(text=BLOG))
    run(scripted_company)
    tasks.rework(task.id, note="Make it about standing desks.")
    run(scripted_company)
    last_prompt = scripted.work_calls[-1][0][-1].content
    assert "standing desks" in last_prompt
    assert tasks.detail(task.id).task.status == "delivered"
    tasks.reassign(task.id, "marketing", note="This is a campaign piece")
    run(scripted_company)
    detail = tasks.detail(task.id)
    assert detail.task.team == "marketing" and detail.task.status == "delivered"
    assert [c.team for c in tasks.corrections()] == ["marketing"]
    tasks.accept(task.id)
    with pytest.raises(InvalidTransition, match="is done"):
        tasks.cancel(task.id)


def test_cancel_and_retry(scripted_company, scripted):
    tasks = scripted_company.tasks
    task = tasks.submit(NewTask(text=BLOG))
    tasks.cancel(task.id)
    assert run(scripted_company) == 0
    assert tasks.detail(task.id).task.status == "cancelled"
    tasks.retry(task.id)
    run(scripted_company)
    assert tasks.detail(task.id).task.status == "delivered"


def test_multi_team_plan_runs_steps_in_dependency_order(scripted_company, scripted):
    scripted.replies[:] = [lambda msgs: "```python\nprint('ok')\n```\n" + plausible_answer(msgs)]
    scripted_company.update_settings(autopilot=AutopilotPolicy(threshold=0.0))  # this test is about the plan
    task = scripted_company.tasks.submit(NewTask(
        text="Launch v2: write the release notes, deploy it to production with the CI pipeline, "
             "and announce it on social media"))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id)
    plan = json.loads([d for d in detail.decisions if d.kind == "plan"][0].payload)
    teams = [s["team"] for s in plan["steps"]]
    assert teams == ["content", "devops", "marketing"]
    marketing = plan["steps"][2]
    assert set(marketing["depends_on"]) == {"s1", "s2"}
    assert detail.task.status == "delivered", detail.task.waiting_reason
    work = [s for s in detail.steps if s.kind == "work"]
    # content and devops run side by side (two at a time); marketing waits for both.
    assert {s.team for s in work[:2]} == {"content", "devops"} and work[2].team == "marketing"
    assert work[2].started_at >= max(work[0].finished_at, work[1].finished_at)
    # The marketing step saw the work it depends on.
    marketing_prompt = scripted.work_calls[2][0][-1].content
    assert "Work already done by the content team" in marketing_prompt
    assert any(a.name.endswith(".py") for a in detail.artifacts)  # code blocks saved as files


def test_urgent_tasks_go_first(scripted_company, scripted):
    tasks = scripted_company.tasks
    low = tasks.submit(NewTask(text=BLOG, priority="low"))
    urgent = tasks.submit(NewTask(text=BLOG + " today", priority="urgent"))
    engine = scripted_company.engine()
    engine.tick()  # one claim: the urgent task, all the way through
    assert tasks.detail(urgent.id).task.status == "delivered"
    assert tasks.detail(low.id).task.status == "inbox"


def test_poison_pill_is_set_aside(scripted_company):
    task = scripted_company.tasks.submit(NewTask(text=BLOG))
    with scripted_company.db.raw_write() as conn:
        conn.execute(
            f"UPDATE task SET status='running', claimed_by='dead', recoveries=5 WHERE id={task.id}")
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id).task
    assert detail.status == "failed" and "set aside" in detail.waiting_reason


@pytest.mark.parametrize("budget, limit", [({"tokens": 150}, "tokens"), ({"steps": 1}, "steps")])
def test_budgets_stop_the_task_and_the_founder_can_extend_them(scripted_company, scripted, budget, limit):
    scripted.replies[:] = [SHORT, SHORT, GOOD]
    task = scripted_company.tasks.submit(NewTask(text=BLOG, budget=budget))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id).task
    assert detail.status == "needs_decision"
    assert f"{limit}; its budget is" in detail.waiting_reason
    attempts = sum(s.attempts for s in scripted_company.tasks.detail(task.id).steps)
    scripted_company.tasks.approve(task.id)
    assert json.loads(scripted_company.tasks.detail(task.id).task.budget)[limit] == budget[limit] * 2
    run(scripted_company)
    assert sum(s.attempts for s in scripted_company.tasks.detail(task.id).steps) > attempts  # it went on


def test_rework_round_budget_per_task(scripted_company, scripted):
    scripted.replies[:] = [SHORT]
    task = scripted_company.tasks.submit(NewTask(text=BLOG, budget={"rounds": 0}))
    run(scripted_company)
    assert len(scripted.work_calls) == 1
    assert "still not satisfied" in scripted_company.tasks.detail(task.id).task.waiting_reason


def test_wall_time_budget(scripted_company, scripted):
    import time

    scripted.replies[:] = [lambda msgs: time.sleep(0.05) or GOOD]
    task = scripted_company.tasks.submit(NewTask(text=BLOG, budget={"minutes": 0.0001}))
    run(scripted_company)
    detail = scripted_company.tasks.detail(task.id).task
    assert detail.status == "needs_decision" and "minutes" in detail.waiting_reason


def test_bad_budget_is_refused(company):
    with pytest.raises(InvalidInput):
        company.tasks.submit(NewTask(text=BLOG, budget={"coffee": 3}))
