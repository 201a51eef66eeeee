"""The review in the engine and in `bureau review`: calibration decides whether a model's verdict counts."""

import json

from agents.backends.base import ChatOptions
from agents.review.calibrate import PAIRS, calibrate, pieces_pass_checks
from app.cli.main import main
from app.llm.calibration import CALIBRATION_FILE, judge_for, stored
from app.tasks.service import NewTask
from teams import TEAMS
from tests.conftest import ScriptedBackend

BAD_MARKS = ("your own fault", "n % 2 == 1", "drains your battery", "rarely need")


def discerning(messages):
    """A scripted judge that can tell the calibration's good pieces from its bad ones."""
    text = messages[-1].content
    return json.dumps({"verdict": "rework" if any(m in text for m in BAD_MARKS) else "pass",
                       "notes": "The refund is refused, which the task does not allow."})


def test_the_calibration_pieces_pass_every_check():
    for name, checks in pieces_pass_checks():
        assert all(c.passed for c in checks), (name, [c.note for c in checks if not c.passed])


def test_a_model_that_passes_everything_is_not_trusted_and_is_found_out_quickly():
    yes_man = ScriptedBackend(reviews=['{"verdict": "pass", "notes": "Meets the rubric."}'], name="yes")
    result = calibrate(yes_man, TEAMS, ChatOptions())
    assert not result.trusted and result.false_passes == result.asked
    assert len(yes_man.calls) == 3 < 2 * len(PAIRS)  # stopped once it could no longer beat the checks
    grump = ScriptedBackend(reviews=['{"verdict": "rework", "notes": "No."}'], name="grump")
    assert not calibrate(grump, TEAMS, ChatOptions()).trusted


def test_a_discerning_model_is_trusted_and_the_result_is_stored_by_name(home):
    judge = ScriptedBackend(reviews=[discerning], name="judge")
    home.mkdir(parents=True, exist_ok=True)
    backend, result = judge_for(home, judge, TEAMS, ChatOptions())
    assert backend is judge and result.trusted and result.model_right == 2 * len(PAIRS)
    calls = len(judge.calls)
    assert judge_for(home, judge, TEAMS, ChatOptions())[0] is judge and len(judge.calls) == calls  # stored
    saved = json.loads((home / CALIBRATION_FILE).read_text())
    assert saved["models"]["judge"]["trusted"] is True
    assert stored(home, "judge").trusted


def test_an_untrusted_ceo_model_leaves_the_review_to_the_checks(company, monkeypatch):
    yes_man = ScriptedBackend(reviews=['{"verdict": "pass", "notes": "Meets the rubric."}'], name="yes")
    monkeypatch.setattr(company.models, "backend_for", lambda role: yes_man)
    long_tweet = "Big launch today! " + "Faster sync, dark mode and CSV export for every single plan. " * 6
    yes_man.replies[:] = [long_tweet, "v2 is out: faster sync, dark mode and CSV export. Update today!"]
    task = company.tasks.submit(NewTask(text="Write a tweet announcing v2", team="marketing"))
    company.engine().run_until_idle(max_wait=30)
    detail = company.tasks.detail(task.id)
    assert detail.task.status == "delivered", detail.task.waiting_reason
    reviews = [json.loads(d.payload) for d in detail.decisions if d.kind == "review"]
    first, second = (r["verdicts"][0] for r in reviews)
    assert first["verdict"] == "rework" and f"It has {len(long_tweet.strip())} characters" in first["notes"]
    assert second["verdict"] == "pass" and "reviewed by checks only" in second["notes"]
    assert second.get("model_used") is None and second["reviewed_by"] == "reviewed by checks only"
    # The note reached the team's rework prompt, with the previous attempt.
    rework_prompt = yes_man.work_calls[1][0][-1].content
    assert "a tweet has at most 280" in rework_prompt and "Big launch today!" in rework_prompt
    assert not stored(company.home, "yes").trusted


def test_a_founder_note_that_is_pasted_instead_of_followed_is_sent_back(scripted_company, scripted):
    tasks = scripted_company.tasks
    task = tasks.submit(NewTask(text="Write a blog post about keeping a tidy desk", team="content"))
    scripted_company.engine().run_until_idle(max_wait=30)
    good = scripted.replies[0]
    scripted.replies[:] = [lambda msgs: "Make it about standing desks.\n\n" + good(msgs), good]
    tasks.rework(task.id, note="Make it about standing desks.")
    scripted_company.engine().run_until_idle(max_wait=30)
    reviews = [json.loads(d.payload) for d in tasks.detail(task.id).decisions if d.kind == "review"]
    assert "pastes the founder's note" in reviews[1]["verdicts"][0]["notes"]
    assert reviews[-1]["verdicts"][0]["verdict"] == "pass"


def test_bureau_review_prints_the_verdict_checks_and_model(home, tmp_path, capsys):
    out = tmp_path / "tweet.txt"
    out.write_text("Big news! " * 40, encoding="utf-8")
    assert main(["--home", str(home), "review", "--team", "marketing", "--task", "Write a tweet announcing v2",
                 "--output-file", str(out), "--checks-only", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "rework" and data["model_used"] is None
    assert "It has 399 characters; a tweet has at most 280." in data["notes"]
    length = next(c for c in data["checks"] if c["name"] == "length")
    assert length == {"name": "length", "passed": False, "detail": "80 words, 399 characters"}
    assert main(["--home", str(home), "review", "--team", "nobody", "--task", "x", "--output-file", str(out)]) == 2
    assert "no team 'nobody'" in capsys.readouterr().err
    assert main(["--home", str(home), "review", "--team", "content", "--task", "x",
                 "--output-file", str(tmp_path / "missing.txt")]) == 2


def test_a_ceo_model_that_is_down_is_not_judged_untrusted_but_retried(company, monkeypatch):
    from agents.backends.base import BackendUnavailable

    monkeypatch.setattr("app.engine.phases.random.uniform", lambda a, b: 0.01)
    down = ScriptedBackend(reviews=[BackendUnavailable("The model server at 127.0.0.1:9 is not answering.")],
                           name="remote")
    monkeypatch.setattr(company.models, "backend_for", lambda role: down)
    task = company.tasks.submit(NewTask(text="Write a tweet announcing v2", team="marketing"))
    company.engine().tick()
    detail = company.tasks.detail(task.id).task
    assert detail.status == "queued" and "Retrying" in detail.waiting_reason
    assert stored(company.home, "remote") is None  # no verdict about a model that never answered
