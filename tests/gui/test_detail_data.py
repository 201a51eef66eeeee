"""What the detail panel says about a plan's shape and a review's critics (plain data, no Qt)."""

from __future__ import annotations

from agents.ceo import Plan, PlannedStep, triage
from agents.planner import LengthCheck
from app.gui.detail.data import detail_data, plan_view
from app.company import Company
from app.tasks.service import NewTask
from app.core.settings import AutopilotPolicy
from tests.conftest import ScriptedBackend


def _steps(n: int, *, review: bool = True) -> tuple[PlannedStep, ...]:
    return tuple(PlannedStep(key=f"i{k}", team="content", text=f"item {k}", review=review) for k in range(1, n + 1))


def test_each_shape_reads_as_one_line() -> None:
    def summary(plan: Plan) -> str:
        return plan_view(plan.to_json()).summary

    assert summary(Plan(shape="single", steps=_steps(1))) == "one step for content"
    assert summary(Plan(shape="fanout", steps=_steps(3), concurrency=2)) == "fan-out, 3 steps, 2 at a time"
    assert summary(Plan(shape="verify", steps=_steps(1), critics=3, threshold=2)) == "verify: 3 critics, 2 must pass"
    assert summary(Plan(shape="loop", steps=_steps(1), check=LengthCheck(max_chars=280), max_iterations=4)) == \
        "loop until at most 280 characters, up to 4 iterations"
    assert summary(Plan(shape="loop", steps=_steps(1), check=LengthCheck(max_words=50), max_iterations=1)) == \
        "loop until at most 50 words, up to 1 iteration"
    maps = _steps(3, review=False)
    reduce = PlannedStep(key="reduce", team="content", text="combine", depends_on=tuple(m.key for m in maps))
    assert summary(Plan(shape="mapreduce", steps=(*maps, reduce), concurrency=2)) == \
        "map-reduce, 3 parts then one step combines them, 2 at a time; the CEO reviews 1 of 4"


def test_graph_and_pipeline_plans_from_the_real_planner(company: Company) -> None:
    router = company.router()
    graph = plan_view(triage(router, "Launch v2: write the release notes, deploy it to production and announce it "
                                     "on social media").plan.to_json())
    assert graph.shape == "graph" and graph.summary.startswith("3 steps for ")
    assert "2 at a time" in graph.summary and any("(after " in s for s in graph.steps)

    pipeline = plan_view(triage(router, "For each of these features: write the code, then document it\n"
                                        "- CSV export\n- dark mode\n- undo").plan.to_json())
    assert pipeline.shape == "pipeline"
    assert pipeline.summary.startswith("pipeline, 3 items through 2 stages (")
    assert pipeline.summary.endswith("2 at a time; the CEO reviews 3 of 6")
    assert len(pipeline.steps) == 6
    assert pipeline.steps[0] == "i1s1 code: write the code (CSV export) (not reviewed)"
    assert pipeline.steps[1] == "i1s2 content: document it (CSV export) (after i1s1)"


def test_an_old_plan_without_a_shape_keeps_its_rationale() -> None:
    view = plan_view({"team": "content"}, "single: 1 step(s) for content")
    assert (view.shape, view.summary, view.steps) == ("single", "single: 1 step(s) for content", ())


def test_a_verify_task_shows_its_plan_and_each_critic(scripted_company: Company, scripted: ScriptedBackend) -> None:
    scripted_company.update_settings(autopilot=AutopilotPolicy(threshold=0.0))
    scripted.reviews[:] = ['{"verdict": "pass", "notes": "Clear and correct."}',
                           '{"verdict": "rework", "notes": "The second point is vague."}',
                           '{"verdict": "pass", "notes": "Does what was asked."}']
    task = scripted_company.tasks.submit(NewTask(
        text="Write a blog post about keeping a tidy desk and have it fact-checked by several reviewers"))
    scripted_company.engine().run_until_idle(max_wait=30)

    data = detail_data(scripted_company.tasks.detail(task.id), scripted_company.home)
    assert data.route is not None and data.route.plan is not None
    assert data.route.plan.shape == "verify"
    assert data.route.plan.summary == "verify: 3 critics, 2 must pass"
    assert data.status == "delivered"
    rows = [(r.by, r.verdict, r.notes) for r in data.reviews]
    assert rows[0][:2] == ("CEO", "pass") and rows[0][2].startswith("2 of 3 critics passed it (2 needed). ")
    assert rows[1:] == [("critic 1", "pass", "Clear and correct."),
                        ("critic 2", "rework", "The second point is vague."),
                        ("critic 3", "pass", "Does what was asked.")]
