"""End to end on the real embedded model through llama.cpp: no scripted replies."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model


def bureau(home, *args, timeout=600):
    return subprocess.run([sys.executable, "-m", "app.cli.main", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=timeout)


def test_blog_post_is_routed_written_reviewed_and_stored(home):
    submitted = bureau(home, "submit", "Write a short blog post about keeping a tidy desk", "--json")
    task_id = json.loads(submitted.stdout)["id"]
    run = bureau(home, "run", "--until-idle", "--json")
    assert run.returncode == 0, run.stderr
    shown = json.loads(bureau(home, "show", str(task_id), "--json").stdout)
    assert shown["status"] in {"delivered", "needs_decision"}, shown["waiting_reason"]
    kinds = [d["kind"] for d in shown["decisions"]]
    assert kinds[:2] == ["route", "plan"] and "review" in kinds
    route = shown["decisions"][0]
    assert route["team"] == "content" and route["rationale"]
    work = [s for s in shown["steps"] if s["kind"] == "work"]
    assert work and all(s["status"] == "done" and s["team"] == "content" for s in work)
    assert all(s["model"] == "smollm2-135m" and s["tokens_in"] > 0 and s["tokens_out"] > 20 for s in work)
    assert len(work[-1]["output"].split()) >= 40
    review_steps = [s for s in shown["steps"] if s["kind"] == "review"]
    assert review_steps and json.loads(review_steps[0]["output"])["verdict"] in {"pass", "rework"}
    artifact = shown["artifacts"][-1]
    assert (home / artifact["path"]).read_text() == work[-1]["output"]
    if shown["status"] == "delivered":
        assert bureau(home, "accept", str(task_id)).returncode == 0


def test_code_task_produces_a_code_artifact(home):
    from app.company import Company
    from app.tasks.service import NewTask

    company = Company.open(home)
    try:
        task = company.tasks.submit(NewTask(text="Write a Python function that checks whether a string is a palindrome"))
        company.engine().run_until_idle()
        detail = company.tasks.detail(task.id)
        assert detail.task.team == "code"
        assert detail.task.status in {"delivered", "needs_decision"}
        names = [a.name for a in detail.artifacts]
        assert any(n.endswith(".py") for n in names), names
        assert "def " in (home / [a for a in detail.artifacts if a.name.endswith(".py")][0].path).read_text()
    finally:
        company.close()
