"""Code and DevOps tasks in a real git repository on a scripted model: worktree, edits, tests, diff, apply.

Every test checks that the founder's working tree, index, refs and worktrees are byte-identical
afterwards (except where `bureau apply` is the point).
"""

import json

import pytest

from app.cli.main import main
from app.core.errors import InvalidInput
from app.tasks.service import NewTask
from tests.support.repos import TEST_COMMAND, fingerprint, leftovers, make_repo, run_git

FIX = """calc/core.py
<<<<<<< SEARCH
def add(a, b):
    return a - b
=======
def add(a, b):
    return a + b
>>>>>>> REPLACE

The add function subtracted its arguments; now it adds them, so test_add passes.
"""
WRONG = FIX.replace("return a + b", "return a * b")
TASK = "Fix the add function in calc so that the tests pass"


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path)


@pytest.fixture
def linked(scripted_company, repo):
    scripted_company.repos.add(repo, test_command=TEST_COMMAND, name="calc")
    return scripted_company


def run(company):
    return company.engine().run_until_idle(max_wait=60)


def code_task(company, text=TASK):
    return company.tasks.submit(NewTask(text=text, team="code")).id


def cli(home, *args):
    return main(["--home", str(home), *args])


def test_code_task_edits_tests_and_delivers_a_diff(linked, scripted, repo, capsys):
    before = fingerprint(repo)
    scripted.replies[:] = [FIX]
    task_id = code_task(linked)
    run(linked)
    detail = linked.tasks.detail(task_id)
    assert detail.task.status == "delivered", detail.task.waiting_reason
    delivery = linked.deliveries.delivery(task_id)
    run_ = delivery.newest
    assert run_.paths == ("calc/core.py",) and run_.refused is None
    assert (run_.files_changed, run_.added, run_.removed) == (1, 1, 1)
    assert "-    return a - b" in run_.diff and "+    return a + b" in run_.diff
    assert run_.tests_before is not None and not run_.tests_before.passed and "1 failed" in run_.tests_before.output
    assert run_.tests_after is not None and run_.tests_after.passed and "2 passed" in run_.tests_after.output
    work = [s for s in detail.steps if s.kind == "work"][0]
    assert "```diff" in work.output and "after passed" in work.output
    names = {a.name for a in detail.artifacts}
    assert {"s1.r0-code.md", "s1.r0-code.patch", "s1.r0-tests.txt"} <= names
    prompt = scripted.work_calls[0][0][-1].content
    assert "File calc/core.py" in prompt and "return a - b" in prompt  # the relevant file was shown
    assert fingerprint(repo) == before  # the founder's checkout and refs are as they were
    assert leftovers(linked.home, "calc") == []  # the checkout is clean again, its branch deleted
    assert cli(linked.home, "diff", str(task_id), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["files_changed"] == 1 and shown["runs"][0]["tests_after"]["passed"] is True


def test_wrong_edit_goes_back_with_the_failure_then_passes(linked, scripted, repo):
    before = fingerprint(repo)
    scripted.replies[:] = [WRONG, FIX]
    task_id = code_task(linked)
    run(linked)
    detail = linked.tasks.detail(task_id)
    assert detail.task.status == "delivered" and detail.task.round == 1
    review = [d for d in detail.decisions if d.kind == "review"][0]
    verdict = json.loads(review.payload)["verdicts"][0]
    assert verdict["verdict"] == "rework" and "the project's tests fail" in verdict["failed_checks"]
    assert "assert 6 == 5" in verdict["notes"]  # the failure text itself
    second = scripted.work_calls[1][0][-1].content
    assert "assert 6 == 5" in second and "+    return a * b" in second  # failure and previous diff in the prompt
    assert "return a - b" in second  # the files are shown as they were (each round starts from the base)
    runs = linked.deliveries.delivery(task_id).runs
    assert len(runs) == 1 and runs[0].step_key == "s1.r1" and runs[0].tests_after.passed
    assert runs[0].tests_before is not None  # kept from the first round, not run again
    assert fingerprint(repo) == before


def test_apply_commits_and_fast_forwards_the_founders_branch(linked, scripted, repo, capsys):
    scripted.replies[:] = [FIX]
    task_id = code_task(linked)
    run(linked)
    assert cli(linked.home, "apply", str(task_id), "--json") == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["branch"] == "main" and applied["fast_forward"] and applied["status"] == "done"
    assert run_git(repo, "rev-parse", "main").strip() == applied["commit"]
    assert run_git(repo, "rev-parse", f"bureau/task-{task_id}").strip() == applied["commit"]
    assert "return a + b" in (repo / "calc" / "core.py").read_text()  # the checked-out files follow
    assert "founder is editing" in (repo / "README.md").read_text()  # uncommitted work is kept
    assert (repo / "notes.txt").exists()
    assert "Fix the add function" in run_git(repo, "log", "-1", "--format=%s")
    assert cli(linked.home, "apply", str(task_id)) == 2  # only once
    assert "already applied" in capsys.readouterr().err


def test_apply_merges_when_the_branch_moved_elsewhere(linked, scripted, repo, capsys):
    scripted.replies[:] = [FIX]
    task_id = code_task(linked)
    run(linked)
    (repo / "calc" / "extra.py").write_text("X = 1\n")
    run_git(repo, "add", "calc/extra.py")
    run_git(repo, "commit", "-q", "-m", "founder's own work")
    assert cli(linked.home, "apply", str(task_id), "--json") == 0
    applied = json.loads(capsys.readouterr().out)
    assert not applied["fast_forward"]
    parents = run_git(repo, "rev-list", "--parents", "-n", "1", "main").split()
    assert len(parents) == 3  # a merge of the founder's commit and the task's
    assert "return a + b" in (repo / "calc" / "core.py").read_text() and (repo / "calc" / "extra.py").exists()


def test_apply_is_refused_when_the_branch_moved_in_a_conflicting_way(linked, scripted, repo, capsys):
    scripted.replies[:] = [FIX]
    task_id = code_task(linked)
    run(linked)
    (repo / "calc" / "core.py").write_text("def add(a, b):\n    return b + a  # founder's fix\n")
    run_git(repo, "commit", "-q", "-am", "founder fixed it differently")
    before = fingerprint(repo)
    assert cli(linked.home, "apply", str(task_id)) == 2
    err = capsys.readouterr().err
    assert "conflicts with what changed on main" in err and "calc/core.py" in err
    assert fingerprint(repo) == before  # no branch left behind, nothing checked out
    patch = linked.home / "t.patch"
    assert cli(linked.home, "diff", str(task_id), "--patch", str(patch)) == 0
    assert patch.read_text().startswith("From ") and "+    return a + b" in patch.read_text()


def test_edits_outside_the_repository_are_refused(linked, scripted, repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / "escape").symlink_to(outside)
    run_git(repo, "add", "escape")
    run_git(repo, "commit", "-q", "-m", "a symlink that leads out")
    before = fingerprint(repo)
    scripted.replies[:] = ["../evil.py\n<<<<<<< SEARCH\n=======\nprint('x')\n>>>>>>> REPLACE\n",
                           f"FILE: {tmp_path}/abs.py\n```python\nprint('x')\n```\n",
                           "escape/owned.py\n<<<<<<< SEARCH\n=======\nprint('x')\n>>>>>>> REPLACE\n"]
    linked.update_settings(budgets={"max_rework_rounds": 2})
    task_id = code_task(linked)
    run(linked)
    detail = linked.tasks.detail(task_id)
    assert detail.task.status == "needs_decision"
    notes = [v["notes"] for d in detail.decisions if d.kind == "review" for v in json.loads(d.payload)["verdicts"]]
    assert "leads outside the repository (`..`)" in notes[0]
    assert "is absolute" in notes[1]
    assert "symbolic link that leads outside" in notes[2]
    assert not list(outside.iterdir()) and not (tmp_path / "evil.py").exists() and not (tmp_path / "abs.py").exists()
    assert fingerprint(repo) == before and leftovers(linked.home, "calc") == []


def test_a_hanging_test_command_is_stopped_and_sent_back(linked, scripted, repo):
    linked.repos.update("calc", test_command="sleep 30", test_timeout=1)
    before = fingerprint(repo)
    scripted.replies[:] = [FIX]
    linked.update_settings(budgets={"max_rework_rounds": 0})
    task_id = code_task(linked)
    run(linked)
    detail = linked.tasks.detail(task_id)
    assert detail.task.status == "needs_decision"
    run_ = linked.deliveries.delivery(task_id).newest
    assert run_.tests_after.timed_out and run_.tests_after.seconds < 5
    assert "time limit" in detail.task.waiting_reason
    assert fingerprint(repo) == before and leftovers(linked.home, "calc") == []


@pytest.mark.parametrize("breakage", ["detached", "merge"])
def test_a_repository_in_a_bad_state_fails_the_task_untouched(linked, scripted, repo, breakage):
    run_git(repo, "stash", "-u")  # the founder's own edits would block the checkout below
    if breakage == "detached":
        run_git(repo, "checkout", "-q", "--detach")
    else:
        run_git(repo, "checkout", "-q", "-b", "other")
        (repo / "calc" / "core.py").write_text("def add(a, b):\n    return 0\n")
        run_git(repo, "commit", "-q", "-am", "other")
        run_git(repo, "checkout", "-q", "main")
        (repo / "calc" / "core.py").write_text("def add(a, b):\n    return 1\n")
        run_git(repo, "commit", "-q", "-am", "main")
        with pytest.raises(Exception):
            run_git(repo, "merge", "other")  # stops with a conflict
    before = fingerprint(repo)
    task_id = code_task(linked)
    run(linked)
    task = linked.tasks.get(task_id)
    assert task.status == "failed"
    assert ("detached HEAD" if breakage == "detached" else "middle of a merge") in task.waiting_reason
    assert "retry" in task.waiting_reason
    assert fingerprint(repo) == before


def test_linking_checks_the_folder(linked, tmp_path, repo):
    with pytest.raises(InvalidInput, match="not a git repository"):
        linked.repos.add(tmp_path)
    with pytest.raises(InvalidInput, match="already linked"):
        linked.repos.add(repo / "calc")  # a folder inside it is the same repository
    assert [r.name for r in linked.repos.list()] == ["calc"]


def test_without_a_linked_repository_the_code_team_says_what_it_would_gain(scripted_company, scripted):
    scripted.replies[:] = ["```python\ndef add(a, b):\n    return a + b\n```\n\nCall add(2, 3) to get five, "
                           "and run it with python to check the sum."]
    task_id = code_task(scripted_company)
    run(scripted_company)
    work = [s for s in scripted_company.tasks.detail(task_id).steps if s.kind == "work"][0]
    assert "no repository is linked" in work.output and "bureau repo add PATH" in work.output


def test_a_devops_file_that_does_not_parse_is_not_delivered(linked, scripted, repo):
    linked.repos.update("calc", test_command=None)
    bad = "FILE: .github/workflows/ci.yml\n```yaml\nname: ci\non: [push\njobs: {}\n```\n\nA CI workflow."
    good = ("FILE: .github/workflows/ci.yml\n```yaml\nname: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - run: python -m pytest -q\n```\n\n"
            "A CI workflow that runs the tests on every push; check it in the Actions tab.")
    scripted.replies[:] = [bad, good]
    before = fingerprint(repo)
    task_id = linked.tasks.submit(NewTask(text="Add a GitHub Actions workflow that runs the tests", team="devops")).id
    run(linked)
    detail = linked.tasks.detail(task_id)
    assert detail.task.status == "delivered" and detail.task.round == 1, detail.task.waiting_reason
    verdict = json.loads([d for d in detail.decisions if d.kind == "review"][0].payload)["verdicts"][0]
    assert verdict["verdict"] == "rework" and "not valid YAML" in verdict["notes"]
    assert linked.deliveries.delivery(task_id).newest.paths == (".github/workflows/ci.yml",)
    assert fingerprint(repo) == before


def test_checkouts_are_private_slots_cleaned_after_a_crash(tmp_path, repo):
    from app.workspace.worktree import Worktree

    before = fingerprint(repo)
    base = run_git(repo, "rev-parse", "HEAD").strip()
    folder = tmp_path / "home" / "workspaces" / "calc"
    first = Worktree.create(repo, folder, task_id=1, base=base)
    second = Worktree.create(repo, folder, task_id=2, base=base)  # at the same time: another slot
    assert first.path != second.path and first.branch == "bureau/task-1" and second.branch == "bureau/task-2"
    assert (first.path / "calc" / "core.py").read_text() == (repo / "calc" / "core.py").read_text()
    # The first "crashes": its edits and byproducts stay, its lock goes with it.
    (first.path / "calc" / "core.py").write_text("broken\n")
    (first.path / "junk").mkdir()
    (first.path / "junk" / "x.pyc").write_text("")
    first._lock.release()
    second.cleanup()
    third = Worktree.create(repo, folder, task_id=3, base=base)
    assert third.path == first.path and (third.path / "calc" / "core.py").read_text().startswith("def add")
    assert not (third.path / "junk").exists()
    third.cleanup()
    run_git(folder / "mirror.git", "branch", "-D", "bureau/task-1")  # the crashed task's branch
    assert leftovers(tmp_path / "home", "calc") == []
    assert fingerprint(repo) == before


def test_cancelling_stops_the_test_run(linked, scripted, repo):
    import threading
    import time as clock

    linked.repos.update("calc", test_command="sleep 60")
    scripted.replies[:] = [FIX]
    task_id = code_task(linked)
    engine = linked.engine()
    worker = threading.Thread(target=engine.run_until_idle, kwargs={"max_wait": 30})
    started = clock.monotonic()
    worker.start()
    while linked.tasks.get(task_id).status != "running" and clock.monotonic() - started < 20:
        clock.sleep(0.05)
    clock.sleep(1.0)  # the tests are running now
    linked.tasks.cancel(task_id)
    worker.join(timeout=30)
    assert not worker.is_alive() and clock.monotonic() - started < 15
    assert linked.tasks.get(task_id).status == "cancelled"
    assert leftovers(linked.home, "calc") == []


def test_unlinking_removes_bureaus_checkouts_only(linked, repo):
    before = fingerprint(repo)
    assert (linked.home / "workspaces" / "calc" / "mirror.git").exists()
    linked.repos.remove("calc")
    assert not (linked.home / "workspaces" / "calc").exists() and fingerprint(repo) == before


def test_devops_work_is_not_held_back_by_failures_it_did_not_cause(linked, scripted, repo):
    """The repository's own failing test (add subtracts) fails before and after: the workflow is delivered."""
    good = ("FILE: .github/workflows/ci.yml\n```yaml\nname: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - run: python -m pytest -q\n```\n\n"
            "A CI workflow that runs the tests on every push; check it in the Actions tab, remove the file to roll back.")
    scripted.replies[:] = [good]
    task_id = linked.tasks.submit(NewTask(text="Add a GitHub Actions workflow that runs the tests", team="devops")).id
    run(linked)
    assert linked.tasks.get(task_id).status == "delivered"
    newest = linked.deliveries.delivery(task_id).newest
    assert not newest.tests_before.passed and not newest.tests_after.passed  # the same failure, not a new one
    scripted.replies[:] = [FIX.replace("return a + b", "return a * b")]
    code_id = code_task(linked)  # the code team gets no such leniency
    run(linked)
    assert linked.tasks.get(code_id).status == "needs_decision"
