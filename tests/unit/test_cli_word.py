"""Issue 19: the command line keeps its word. In-process (`main(argv)`), one test per promise."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agents.backends.base import ReplyTruncated
from agents.ceo import Plan, PlannedStep
from app.cli.main import main
from app.core.paths import embedded_model_path
from app.core.settings import Budgets
from app.store.payloads import load_payload
from app.store.snapshot import DecisionRecord, StepRecord, TaskSnapshot
from app.tasks.service import NewTask

GOOD = "# Done\n\n" + "Useful words here. " * 40


def bureau(home: Path, capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None,
           monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def fails(result: tuple[int, str, str], *words: str) -> str:
    code, out, err = result
    assert code == 2 and out == "", (code, out, err)
    assert err.startswith("bureau: error: ") or err.startswith("usage: "), err
    assert "Traceback" not in err and "Value error" not in err and "[Errno" not in err, err
    for word in words:
        assert word in err, (word, err)
    return err


# -- 3: long tasks, stdin, attachments ---------------------------------------------------------
def test_submit_dash_reads_standard_input(home, capsys, monkeypatch):
    text = "Write release notes.\nThey cover:\n- the new board\n- faster search\n"
    code, out, _ = bureau(home, capsys, "submit", "-", "--json", stdin=text, monkeypatch=monkeypatch)
    assert code == 0
    _, shown, _ = bureau(home, capsys, "show", str(json.loads(out)["id"]), "--json")
    assert json.loads(shown)["text"] == text.strip()


def test_submit_file_reaches_the_documented_limit(home, capsys, tmp_path):
    long = tmp_path / "long.md"
    long.write_text("Summarise this.\n" + "x" * 149_980, encoding="utf-8")
    code, out, err = bureau(home, capsys, "submit", "--file", str(long), "--json")
    assert code == 0, err
    too_long = tmp_path / "too-long.md"
    too_long.write_text("y" * 200_001, encoding="utf-8")
    fails(bureau(home, capsys, "submit", "--file", str(too_long)), "200,001", "200,000")
    fails(bureau(home, capsys, "submit", "text", "--file", str(long)), "either as TEXT or with --file")
    fails(bureau(home, capsys, "submit", "--file", str(tmp_path / "nope.md")), "There is no file")


def test_attachments_are_stored_shown_and_given_to_the_team(scripted_company, scripted, capsys, tmp_path):
    home = scripted_company.home
    notes = tmp_path / "notes.txt"
    notes.write_text("Friday is desk-clearing day.\n", encoding="utf-8")
    code, out, err = bureau(home, capsys, "submit", "Write a short blog post about keeping a tidy desk",
                            "--team", "content", "--attach", str(notes), "--json")
    assert code == 0, err
    task_id = json.loads(out)["id"]
    scripted_company.engine().run_until_idle(max_wait=30)
    prompt = scripted.work_calls[0][0][1].content
    assert "notes.txt" in prompt and "Friday is desk-clearing day." in prompt
    _, shown, _ = bureau(home, capsys, "show", str(task_id), "--json")
    assert json.loads(shown)["attachments"] == [{"name": "notes.txt", "chars": 29}]
    _, text, _ = bureau(home, capsys, "show", str(task_id))
    assert "notes.txt (29 characters)" in text


def test_attachment_limits_and_binary_files(home, capsys, tmp_path):
    binary = tmp_path / "logo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    fails(bureau(home, capsys, "submit", "Look at this", "--attach", str(binary)), "not a text file")
    big = tmp_path / "big.txt"
    big.write_text("z" * 200_001, encoding="utf-8")
    fails(bureau(home, capsys, "submit", "Look at this", "--attach", str(big)), "200,000")
    many = ["--attach", str(tmp_path / "a.txt")] * 11
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    fails(bureau(home, capsys, "submit", "Look at this", *many), "limit is 10")
    assert bureau(home, capsys, "tasks", "--json")[1].strip() == "[]"  # nothing was stored


def test_route_file_from_stdin_and_csv_like_import(home, capsys, monkeypatch, tmp_path):
    code, out, _ = bureau(home, capsys, "route", "--file", "-", "--json", stdin="Deploy the API to staging\n",
                          monkeypatch=monkeypatch)
    assert code == 0 and json.loads(out)["team"] == "devops"
    backlog = tmp_path / "b.csv"
    backlog.write_text("text,team\nFix the login bug,code\n", encoding="utf-8")
    code, out, _ = bureau(home, capsys, "route", "--file", str(backlog), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["text"] for r in rows] == ["Fix the login bug"]  # the header is not a task


# -- 4, 7: one place for errors ---------------------------------------------------------------------
def test_filesystem_errors_are_messages(home, capsys, tmp_path):
    fails(bureau(home, capsys, "routing", "export", str(tmp_path / "no-such-folder" / "x.jsonl")),
          "no-such-folder", "create its folder")
    fails(bureau(home, capsys, "routing", "export", str(tmp_path)), "is a folder")


def test_usage_errors_exit_2(home, capsys):
    code, _, err = bureau(home, capsys, "show", "abc")
    assert code == 2 and "invalid int value" in err
    assert bureau(home, capsys, "submit", "--help")[0] == 0


def test_team_description_and_model_chain_messages(home, capsys, tmp_path):
    err = fails(bureau(home, capsys, "teams", "add", "qa", "--description", ""), "description is empty")
    assert "task text" not in err
    gguf = tmp_path / "tiny.gguf"
    gguf.symlink_to(embedded_model_path())
    assert bureau(home, capsys, "models", "add", "tiny", "--gguf", str(gguf))[0] == 0
    fails(bureau(home, capsys, "models", "assign", "ceo", "tiny", "tiny"), "names a model twice")


def test_import_refuses_misspelled_fields_naming_the_nearest(home, capsys, tmp_path):
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text('{"text": "Write a post"}\n{"text": "Fix a bug", "prority": "high"}\n', encoding="utf-8")
    fails(bureau(home, capsys, "import", str(jsonl)), "line 2", "'prority'", "`priority`")
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("text,tema\nFix a bug,code\n", encoding="utf-8")
    fails(bureau(home, capsys, "import", str(csv_file)), "line 1", "'tema'", "`team`")
    assert bureau(home, capsys, "tasks", "--json")[1].strip() == "[]"


# -- 5: show gives the shape, the result as the founder sees it, the budgets ------------------------
def _snapshot(plan: Plan, outputs: dict[str, str], *, budget: dict | None = None) -> TaskSnapshot:
    steps = tuple(StepRecord(key=f"{k}.r0", kind="work", team="content", status="done", attempts=1, output=v,
                             tokens=10) for k, v in outputs.items())
    return TaskSnapshot(id=1, status="delivered", text="t", team="content", requested_team=None, round=0,
                        recoveries=0, claimed_by=None, budget=budget or {}, steps=steps,
                        decisions=(DecisionRecord(1, "plan", load_payload("plan", plan.to_json())),))


def test_show_result_follows_the_shape():
    from app.tasks.overview import overview

    fan = Plan(shape="fanout", steps=tuple(PlannedStep(key=f"i{n}", team="marketing", text=f"tagline ({n})")
                                          for n in (1, 2, 3)))
    view = overview(_snapshot(fan, {"i1": "A", "i2": "B", "i3": "C"}), Budgets())
    assert [p.output for p in view.parts] == ["A", "B", "C"] and "Variant 3" in (view.result or "")
    mr = Plan(shape="mapreduce", steps=(PlannedStep("m1", "content", "a", review=False),
                                        PlannedStep("m2", "content", "b", review=False),
                                        PlannedStep("reduce", "content", "combine", ("m1", "m2"))))
    assert overview(_snapshot(mr, {"m1": "x", "m2": "y", "reduce": "ALL"}), Budgets()).result == "ALL"
    graph = Plan(shape="graph", steps=(PlannedStep("s1", "code", "fix"), PlannedStep("s2", "devops", "deploy", ("s1",))))
    view = overview(_snapshot(graph, {"s1": "patch", "s2": "deployed"}), Budgets())
    assert [(p.team, p.output) for p in view.parts] == [("code", "patch"), ("devops", "deployed")]
    assert view.to_json()["shape"] == "graph"


def test_show_prints_budgets_requested_team_and_sensitive(home, capsys):
    assert bureau(home, capsys, "submit", "Fix the login bug", "--team", "code", "--sensitive",
                  "--max-steps", "12")[0] == 0
    _, text, _ = bureau(home, capsys, "show", "1")
    assert "requested team: code" in text and "sensitive: yes" in text
    assert "0 of 12 model calls (this task's own)" in text and "of 40,000 tokens" in text
    shown = json.loads(bureau(home, capsys, "show", "1", "--json")[1])
    assert shown["budgets"]["steps"] == {"allowed": 12, "used": 0, "own": True}
    assert {"shape", "result", "result_parts"} <= shown.keys()


# -- 6: budgets ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("flag, value, words", [
    ("--max-steps", "-3", ["--max-steps must be at least 1", "-3"]),
    ("--max-steps", "0", ["at least 1"]),
    ("--max-rounds", "11", ["at most 10"]),
    ("--max-tokens", "5", ["at least 100"]),
    ("--max-minutes", "0", ["more than 0"]),
])
def test_budget_flags_follow_the_settings_rules(home, capsys, flag, value, words):
    err = fails(bureau(home, capsys, "submit", "Write a post", flag, value), *words)
    assert "Budgets are numbers" not in err


def test_import_budgets_use_the_same_rules(home, capsys, tmp_path):
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text('{"text": "Write a post", "max_steps": 0}\n', encoding="utf-8")
    fails(bureau(home, capsys, "import", str(jsonl)), "line 1", "max_steps must be at least 1")
    jsonl.write_text('{"text": "Write a post", "max_steps": 5, "sensitive": true}\n', encoding="utf-8")
    assert bureau(home, capsys, "import", str(jsonl))[0] == 0
    shown = json.loads(bureau(home, capsys, "show", "1", "--json")[1])
    assert shown["budgets"]["steps"]["allowed"] == 5 and shown["sensitive"] is True


def test_a_budget_of_n_allows_n(scripted_company, scripted):
    task = scripted_company.tasks.submit(NewTask(text="Write a short blog post about keeping a tidy desk",
                                                 team="content", budget={"steps": 1}))
    scripted_company.engine().run_until_idle(max_wait=30)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "delivered", detail.task.waiting_reason  # one step used: not over budget


# -- 8: smaller promises ------------------------------------------------------------------------------
def test_global_options_after_the_subcommand(home, capsys):
    code = main(["submit", "Write a post", "--home", str(home), "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["id"] == 1
    code = main(["tasks", "--json", f"--home={home}"])
    assert code == 0 and len(json.loads(capsys.readouterr().out)) == 1


def test_models_n_ctx_is_listed_and_checked(home, capsys, tmp_path):
    gguf = tmp_path / "tiny.gguf"
    gguf.symlink_to(embedded_model_path())
    assert bureau(home, capsys, "models", "add", "tiny", "--gguf", str(gguf), "--n-ctx", "2048")[0] == 0
    listed = json.loads(bureau(home, capsys, "models", "list", "--json")[1])
    assert "ctx 2048" in next(m["summary"] for m in listed if m["name"] == "tiny")
    fails(bureau(home, capsys, "models", "add", "big", "--gguf", str(gguf), "--n-ctx", "131072"),
          "8192", "--n-ctx 8192 or less")


def test_roles_keep_default_after_an_assignment(home, capsys, tmp_path):
    gguf = tmp_path / "tiny.gguf"
    gguf.symlink_to(embedded_model_path())
    bureau(home, capsys, "models", "add", "tiny", "--gguf", str(gguf))
    assert bureau(home, capsys, "models", "assign", "ceo", "tiny")[0] == 0
    _, listing, _ = bureau(home, capsys, "models", "list")
    builtin = next(line for line in listing.splitlines() if line.startswith("smollm2-135m"))
    assert "default" in builtin
    assert "roles: default" in bureau(home, capsys, "models", "show", "smollm2-135m")[1]


def test_teams_remove_says_what_happens(home, capsys):
    bureau(home, capsys, "teams", "add", "qa", "--description", "testing and quality assurance")
    bureau(home, capsys, "routing", "add", "qa", "Test the login page")
    bureau(home, capsys, "submit", "Test the signup page", "--team", "qa")
    fails(bureau(home, capsys, "teams", "remove", "qa"), "1 open task", "nothing was removed")
    bureau(home, capsys, "cancel", "1")
    code, out, _ = bureau(home, capsys, "teams", "remove", "qa")
    assert code == 0 and "1 routing example" in out and "finished task" in out
    assert bureau(home, capsys, "routing", "list", "--json")[1].strip() == "[]"


def test_tasks_team_finds_a_task_before_it_is_routed(home, capsys):
    bureau(home, capsys, "submit", "Fix the login bug", "--team", "code")
    listed = json.loads(bureau(home, capsys, "tasks", "--team", "code", "--json")[1])
    assert [t["id"] for t in listed] == [1]


def test_failed_attempts_record_their_tokens(scripted_company, scripted):
    scripted.replies[:] = [ReplyTruncated(max_tokens=50, partial="cut"), GOOD]
    task = scripted_company.tasks.submit(NewTask(text="Write a short blog post about keeping a tidy desk",
                                                 team="content"))
    scripted_company.engine().run_until_idle(max_wait=30)
    step = next(s for s in scripted_company.tasks.detail(task.id).steps if s.kind == "work")
    assert step.attempts == 2 and step.tokens_out >= 50 + len(GOOD.split())


def test_run_json_ended_by_sigterm_prints_its_summary(home):
    proc = subprocess.Popen([sys.executable, "-m", "app.cli.main", "--home", str(home), "run", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while (home / "bureau.db").exists() is False and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out) == {"phases": 0, "counts": {}, "stopped": "sigterm"}
