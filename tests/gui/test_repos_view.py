"""The Repositories window: link a git repository with its detected test command, change it, unlink it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.workspace.repos_controller import ReposController
from tests.support.repos import fingerprint, make_repo


def test_link_change_and_unlink_a_repository(qtbot: QtBot, company: Company, open_app, tmp_path) -> None:
    repo = make_repo(tmp_path)
    before = fingerprint(repo)
    app = open_app(company, paused=True)
    window = app.features["repos"]()
    controller = next(c for c in app.window.findChildren(ReposController))
    qtbot.waitUntil(lambda: window.isVisible(), timeout=5000)
    assert window.table.rowCount() == 0 and not window.remove_button.isEnabled()

    dialog = controller.open_link()
    dialog.folder.setText(str(tmp_path / "nowhere"))
    controller.detect_for(dialog)
    qtbot.waitUntil(lambda: "nowhere" in dialog.detected.text(), timeout=5000)  # not a repository: said at once
    dialog.folder.setText(str(repo / "calc"))  # a folder inside it: the repository's top is found
    controller.detect_for(dialog)
    qtbot.waitUntil(lambda: dialog.detected.text().startswith("Detected"), timeout=5000)
    assert "pytest" in dialog.test_command.text() and str(repo) in dialog.detected.text()
    dialog.test_command.setText("python -m pytest -q tests")  # the founder changes it
    dialog.name.setText("calc")
    with qtbot.waitSignal(controller.linked, timeout=20_000):
        dialog.ok.click()
    qtbot.waitUntil(lambda: window.table.rowCount() == 1, timeout=5000)
    assert [r.test_command for r in company.repos.list()] == ["python -m pytest -q tests"]
    assert window.table.item(0, 0).text() == "calc" and window.table.item(0, 1).text() == str(repo)
    assert "Linked calc" in window.status.text()

    again = controller.open_link()  # the same folder twice: the error is in the dialog, nothing lost
    again.folder.setText(str(repo))
    again.ok.click()
    qtbot.waitUntil(lambda: again.error.isVisible(), timeout=10_000)
    assert "already linked" in again.error.text() and again.isVisible()
    again.reject()

    controller.set_test_command("calc", "")
    qtbot.waitUntil(lambda: "(none" in window.table.item(0, 2).text(), timeout=5000)
    assert company.repos.get("calc").test_command is None

    with qtbot.waitSignal(controller.unlinked, timeout=5000):
        controller.unlink("calc")
    qtbot.waitUntil(lambda: window.table.rowCount() == 0, timeout=5000)
    assert company.repos.list() == [] and fingerprint(repo) == before  # the founder's repository is untouched
