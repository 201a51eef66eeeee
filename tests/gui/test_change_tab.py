"""The task panel's Change tab: a code task's diff in a linked repository, applied or exported from the app.

A real small git repository in a temporary folder and the scripted model (as in
tests/integration/test_workspace.py) give a delivered code task.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.company import Company
from app.tasks.service import NewTask
from tests.integration.test_workspace import FIX, TASK
from tests.support.repos import TEST_COMMAND, make_repo, run_git

OTHER_FIX = FIX.replace("return a + b", "return b + a")


def _delivered(company: Company, scripted, reply: str, text: str = TASK) -> int:
    scripted.replies[:] = [reply]
    task_id = company.tasks.submit(NewTask(text=text, team="code")).id
    company.engine().run_until_idle(max_wait=60)
    assert company.tasks.get(task_id).status == "delivered"
    return task_id


def _show(qtbot: QtBot, app, task_id: int):
    assert app.board.select_task(task_id)
    qtbot.waitUntil(lambda: app.change.task_id == task_id and app.window.detail.change.delivery is not None
                    and app.window.detail.change.delivery.task_id == task_id, timeout=10_000)
    return app.window.detail.change


def _tab_shown(app) -> bool:
    tabs = app.window.detail.tabs
    return tabs.isTabVisible(tabs.indexOf(app.window.detail.change))


def test_the_change_tab_shows_exports_and_applies_the_diff(qtbot: QtBot, scripted_company: Company, scripted,
                                                           open_app, tmp_path) -> None:
    company = scripted_company
    repo = make_repo(tmp_path)
    company.repos.add(repo, test_command=TEST_COMMAND, name="calc")
    task_id = _delivered(company, scripted, FIX)
    plain = company.tasks.submit(NewTask(text="Write a short note about tidy desks", team="content")).id
    app = open_app(company, paused=True)

    assert app.board.select_task(plain)  # a task that did not work in a repository: no Change tab
    qtbot.waitUntil(lambda: app.change.task_id == plain, timeout=5000)
    qtbot.wait(200)
    assert not _tab_shown(app)

    tab = _show(qtbot, app, task_id)
    qtbot.waitUntil(lambda: _tab_shown(app), timeout=5000)
    summary = tab.summary.text()
    assert "calc" in summary and f"bureau/task-{task_id}" in summary and "main" in summary
    assert "1 file changed" in summary and "+1" in summary and "−1" in summary
    assert "failed" in summary.split("tests")[-1] and "passed" in summary.split("→")[-1]  # before → after
    assert "+    return a + b" in tab.diff.toPlainText() and "-    return a - b" in tab.diff.toPlainText()
    assert "color" in tab.diff.toHtml()  # coloured by the diff lexer
    assert tab.apply_button.isEnabled() and tab.export_button.isEnabled()

    patch = tmp_path / "out" / "fix.patch"
    patch.parent.mkdir()
    with qtbot.waitSignal(app.change.exported, timeout=5000):
        app.change.export_patch(patch)
    text = patch.read_text()
    assert text.startswith("From ") and "+    return a + b" in text and str(patch) in tab.status.text()

    box = app.change.ask_apply()  # asks once, naming the branch
    assert box is not None and "to main in calc" in box.text()
    apply_button = next(b for b in box.buttons() if b.text() == "Apply to main")
    with qtbot.waitSignal(app.change.applied, timeout=20_000) as applied:
        apply_button.click()
    commit = applied.args[0].commit
    assert run_git(repo, "rev-parse", "main").strip() == commit
    assert "Fix the add function" in run_git(repo, "log", "-1", "--format=%s")
    assert "return a + b" in (repo / "calc" / "core.py").read_text()
    assert company.tasks.get(task_id).status == "done"
    assert commit[:10] in tab.status.text() and "is done" in tab.status.text()
    qtbot.waitUntil(lambda: tab.delivery is not None and tab.delivery.applied_commit is not None, timeout=5000)
    assert not tab.apply_button.isEnabled() and "Applied to" in tab.summary.text()


def test_a_conflicting_branch_shows_the_refusal_reason(qtbot: QtBot, scripted_company: Company, scripted,
                                                       open_app, tmp_path) -> None:
    company = scripted_company
    repo = make_repo(tmp_path)
    company.repos.add(repo, test_command=TEST_COMMAND, name="calc")
    first = _delivered(company, scripted, FIX)
    second = _delivered(company, scripted, OTHER_FIX, text=TASK + " (second try)")
    company.deliveries.apply(first)  # main moves: the same line, changed differently
    tip = run_git(repo, "rev-parse", "main")
    app = open_app(company, paused=True)
    tab = _show(qtbot, app, second)
    assert tab.apply_button.isEnabled()
    app.change.apply()
    qtbot.waitUntil(lambda: "conflicts" in tab.status.text(), timeout=20_000)
    said = tab.status.text()
    assert "conflicts with what changed on main" in said and "calc/core.py" in said and "export" in said.lower()
    assert run_git(repo, "rev-parse", "main") == tip  # refused: the founder's branch is as it was
    assert company.tasks.get(second).status == "delivered"
    assert tab.apply_button.isEnabled()  # the founder may try again after rework, or export
