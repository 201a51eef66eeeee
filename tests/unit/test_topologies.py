"""Plan shapes on a scripted model: fan-out, map-reduce, pipeline, verify, loop; each resumes after a crash."""

import json
import threading
import time

import pytest

from agents.ceo import triage
from app.tasks.service import NewTask
from app.core.settings import AutopilotPolicy
from tests.support.answers import plausible_answer

GOOD = ("# Our pricing, explained\n\n"
        "Our pricing has three plans. Starter costs 9 euros a month for one user and covers invoices and "
        "reminders. Team costs 29 euros a month for up to ten users and adds shared inboxes and reports. "
        "Business costs 79 euros a month, with unlimited users, single sign-on and priority support. Every plan "
        "includes a 30-day free trial, and you can switch or cancel at any time from the billing page. Paying "
        "yearly saves two months. Prices exclude VAT, which we add at checkout according to your country. We "
        "chose flat prices per plan rather than per seat so that a growing team never gets a surprise invoice. "
        "If you run a non-profit or a school, write to us for a 50 percent discount on any plan.")


@pytest.fixture
def company(scripted_company):
    scripted_company.update_settings(autopilot=AutopilotPolicy(threshold=0.0))  # these tests are about plans
    return scripted_company


def run(company):
    company.engine().run_until_idle(max_wait=30)


def plan_of(company, task_id):
    return json.loads([d for d in company.tasks.detail(task_id).decisions if d.kind == "plan"][-1].payload)


def work_steps(company, task_id):
    return [s for s in company.tasks.detail(task_id).steps if s.kind == "work"]


class Tracker:
    """A reply that takes a while and records how many run at once."""

    def __init__(self, seconds=0.15, slow_words=(), slow_seconds=0.0):
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.seconds = seconds
        self.slow_words = slow_words
        self.slow_seconds = slow_seconds

    def __call__(self, messages):
        prompt = messages[-1].content.splitlines()[0]
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(self.slow_seconds if any(w in prompt for w in self.slow_words) else self.seconds)
        with self.lock:
            self.active -= 1
        return plausible_answer(messages)


def test_fanout_runs_items_in_parallel_within_the_limit(company, scripted):
    tracker = Tracker()
    scripted.replies[:] = [tracker]
    task = company.tasks.submit(NewTask(text="For each of Acme, Globex and Initech, draft a cold email to their head of ops"))
    run(company)
    plan = plan_of(company, task.id)
    assert plan["shape"] == "fanout" and plan["concurrency"] == 2
    assert [s["text"] for s in plan["steps"]] == [
        f"draft a cold email to their head of ops ({name})" for name in ("Acme", "Globex", "Initech")]
    assert tracker.peak == 2
    assert company.tasks.detail(task.id).task.status == "delivered"
    assert len(work_steps(company, task.id)) == 3


def test_mapreduce_maps_each_item_then_combines(company, scripted):
    scripted.replies[:] = [Tracker(seconds=0.0)]
    task = company.tasks.submit(NewTask(text="Summarise these support tickets into one report:\n"
                                        "- login fails on Safari\n- refund not received\n- export is slow"))
    run(company)
    plan = plan_of(company, task.id)
    assert plan["shape"] == "mapreduce"
    assert [s["key"] for s in plan["steps"]] == ["m1", "m2", "m3", "reduce"]
    assert plan["steps"][-1]["depends_on"] == ["m1", "m2", "m3"]
    reduce_prompt = [c for c in scripted.work_calls if "Combine" in c[0][-1].content][0][0][-1].content
    for item in ("login fails on Safari", "refund not received", "export is slow"):
        assert item in reduce_prompt  # the reduce step saw every map's output
    reviews = [s for s in company.tasks.detail(task.id).steps if s.kind == "review"]
    assert [r.key for r in reviews] == ["review.reduce.r0"]  # only the combined result is reviewed
    assert company.tasks.detail(task.id).task.status == "delivered"


def test_a_counted_stage_runs_per_piece_and_the_next_stage_once_with_every_piece(company, scripted):
    scripted.replies[:] = [Tracker(seconds=0.0)]
    task = company.tasks.submit(NewTask(text="Write 3 versions of the homepage hero for the spring sale, "
                                        "then wire them into the A/B test"))
    run(company)
    plan = plan_of(company, task.id)
    assert [s["key"] for s in plan["steps"]] == ["i1", "i2", "i3", "s2"]
    wire = [c for c in scripted.work_calls if c[0][-1].content.startswith("Task: wire them")]
    assert len(wire) == 1  # once, not once per version
    for n in (1, 2, 3):
        assert f"variant {n} of 3" in wire[0][0][-1].content  # it received every version
    assert company.tasks.detail(task.id).task.status == "delivered"


def test_pipeline_items_do_not_wait_for_each_other(company, scripted):
    tracker = Tracker(seconds=0.05, slow_words=("(dark mode)",), slow_seconds=0.8)
    scripted.replies[:] = [tracker]
    task = company.tasks.submit(NewTask(text="For each of these features: write the code, then document it\n"
                                        "- CSV export\n- dark mode"))
    run(company)
    plan = plan_of(company, task.id)
    assert plan["shape"] == "pipeline"
    steps = {s["key"]: s for s in plan["steps"]}
    assert steps["i1s2"]["depends_on"] == ["i1s1"] and steps["i2s2"]["depends_on"] == ["i2s1"]
    assert [steps[k]["review"] for k in ("i1s1", "i1s2")] == [False, True]
    rows = {s.key: s for s in work_steps(company, task.id)}
    # Item 1 went through both stages while item 2's first stage was still running.
    assert rows["i1s2.r0"].finished_at < rows["i2s1.r0"].finished_at
    assert rows["i1s2.r0"].started_at >= rows["i1s1.r0"].finished_at
    assert company.tasks.detail(task.id).task.status == "delivered"


@pytest.mark.parametrize("verdicts, expected", [
    (["pass", "rework", "pass"], "pass"),
    (["rework", "pass", "rework"], "rework"),
])
def test_verify_uses_several_critics_and_a_threshold(company, scripted, verdicts, expected):
    scripted.replies[:] = [GOOD]
    scripted.reviews[:] = [json.dumps({"verdict": v, "notes": f"critic says {v} for good reasons"}) for v in verdicts]
    task = company.tasks.submit(NewTask(text="Write a blog post about our pricing and have it fact-checked"))
    engine = company.engine()
    engine.tick()
    detail = company.tasks.detail(task.id)
    review = [d for d in detail.decisions if d.kind == "review"][0]
    verdict = json.loads(review.payload)["verdicts"][0]
    assert len(verdict["critics"]) == 3 and verdict["passes"].endswith("(needs 2)")
    assert verdict["verdict"] == expected
    assert [s.key for s in detail.steps if s.kind == "review"][:3] == [
        "review.s1.r0", "review.s1.r0.c2", "review.s1.r0.c3"]


def test_loop_reworks_until_the_check_passes(company, scripted):
    long_tweet = "Big news! " * 40
    scripted.replies[:] = [long_tweet, long_tweet, "v2 is out: faster sync, dark mode, and a new CSV export. Try it today!"]
    task = company.tasks.submit(NewTask(text="Write a tweet announcing v2 and shorten it until it is under 120 characters",
                                        team="marketing"))
    scripted.reviews[:] = ['{"verdict": "pass", "notes": "Short and clear, with a call to action."}']
    company.update_settings(budgets={"max_rework_rounds": 0})  # the loop's own bound applies, not the CEO's rework budget
    run(company)
    detail = company.tasks.detail(task.id)
    assert plan_of(company, task.id)["shape"] == "loop"
    assert [s.key for s in work_steps(company, task.id)] == ["s1.r0", "s1.r1", "s1.r2"]
    assert "at most 120" in scripted.work_calls[1][0][-1].content
    assert detail.task.status == "delivered", detail.task.waiting_reason


def test_loop_is_bounded(company, scripted):
    scripted.replies[:] = ["Big news! " * 40]
    task = company.tasks.submit(NewTask(text="Shorten our tagline until it is under 5 words", team="marketing"))
    run(company)
    detail = company.tasks.detail(task.id)
    assert detail.task.status == "needs_decision" and "still fails after 4 iterations" in detail.task.waiting_reason
    assert len(work_steps(company, task.id)) == 5


def test_a_topology_resumes_after_a_crash_without_redoing_steps(company, scripted):
    scripted.replies[:] = [Tracker(seconds=0.0)]
    task = company.tasks.submit(NewTask(text="For each of Acme, Globex and Initech, draft a cold email to their head of ops"))
    run(company)
    done = {s.key: (s.output, s.finished_at) for s in work_steps(company, task.id)}
    # The engine died during the review: its claim is stale and one review step was in flight.
    with company.db.raw_write() as conn:
        conn.execute(
            f"UPDATE task SET status='in_review', claimed_by='dead', lease_until=NULL WHERE id={task.id}")
        conn.execute(
            f"UPDATE step SET status='running' WHERE task_id={task.id} AND key='review.i2.r0'")
    calls = len(scripted.work_calls)
    run(company)
    assert len(scripted.work_calls) == calls
    assert {s.key: (s.output, s.finished_at) for s in work_steps(company, task.id)} == done
    assert company.tasks.detail(task.id).task.status == "delivered"


@pytest.mark.parametrize("text, shape", [
    ("Write a short blog post about keeping a tidy desk", "single"),
    ("Launch v2: write the release notes, deploy it to production and announce it on social media", "graph"),
    ("Write three variants of the landing page headline", "fanout"),
])
def test_the_ceo_picks_the_shape(company, text, shape):
    assert triage(company.router(), text).plan.shape == shape


def test_a_transient_failure_waits_for_the_sibling_step_in_flight(company, scripted):
    """A step that fails transiently must not release the task while its sibling is still working:
    the sibling's result is recorded, not discarded (ClaimLost) and redone."""
    from agents.backends.base import BackendUnavailable

    def reply(messages):
        prompt = messages[-1].content.splitlines()[0]
        if "Acme" in prompt:
            raise BackendUnavailable("The server went away.", fix="Bureau retries on its own.")
        time.sleep(0.4)  # Globex is still being written when Acme fails
        return plausible_answer(messages)

    scripted.replies[:] = [reply]
    task = company.tasks.submit(NewTask(text="For each of Acme and Globex, draft a cold email to their head of ops"))
    engine = company.engine()
    while engine.tick():  # triage, then the work phase with both steps in flight
        if company.tasks.detail(task.id).task.status == "queued" and any(
                s.status == "failed" for s in work_steps(company, task.id)):
            break
    steps = {s.key: s for s in work_steps(company, task.id)}
    detail = company.tasks.detail(task.id).task
    assert steps["i1.r0"].status == "failed"
    assert steps["i2.r0"].status == "done" and steps["i2.r0"].output  # recorded under the claim
    assert detail.status == "queued" and "Retrying in" in (detail.waiting_reason or "")
    assert detail.claimed_by is None  # released once both steps had finished
