"""Behaviour of the Repositories window: list, link (with the detected test command to confirm), change, unlink.

Every call goes through ``RepoService`` (``company.repos``) on the op helper.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.gui.workspace.repos_view import LinkRepoDialog, ReposWindow
from app.workspace.repos import Linked


def detect(folder: str) -> tuple[str, str | None]:
    """The repository's top folder and its likely test command (runs on a worker)."""
    from app.workspace.detect import detect_test_command
    from app.workspace.git import inspect_repo

    root = inspect_repo(Path(folder).expanduser().resolve()).root
    return str(root), detect_test_command(root)


class ReposController(QObject):
    loaded = Signal()
    linked = Signal(object)  # Linked
    unlinked = Signal(str)

    def __init__(self, repos: Any, runner: TaskRunner, parent: QObject | None = None, *,
                 window_parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repos = repos
        self.runner = runner
        self.window = ReposWindow(window_parent)
        self.link_slot = DialogSlot[LinkRepoDialog]()
        w = self.window
        w.add_button.clicked.connect(self.open_link)
        w.edit_button.clicked.connect(self.ask_test_command)
        w.remove_button.clicked.connect(self.ask_unlink)
        w.table.selectionModel().selectionChanged.connect(lambda *_: w.update_buttons())

    def show(self) -> None:
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.refresh()

    def refresh(self) -> None:
        repos = self.repos
        Op(self.runner, repos.list, owner=self.window).success(self._loaded).errors_in(self.window.status).run()

    def _loaded(self, rows: list[Any]) -> None:
        self.window.show_rows(rows)
        self.loaded.emit()

    # -- link --------------------------------------------------------------------------
    def open_link(self) -> LinkRepoDialog:
        dialog, new = self.link_slot.open(lambda: LinkRepoDialog(self.window))
        if new:
            dialog.browse_button.clicked.connect(lambda: self._browse(dialog))
            dialog.folder.editingFinished.connect(lambda: self.detect_for(dialog))
            dialog.submitted.connect(lambda: self._link(dialog))
        return dialog

    def _browse(self, dialog: LinkRepoDialog) -> None:
        folder = QFileDialog.getExistingDirectory(dialog, "The folder of a git repository", str(Path.home()))
        if folder:
            dialog.folder.setText(folder)
            self.detect_for(dialog)

    def detect_for(self, dialog: LinkRepoDialog) -> None:
        """Fill in the test command found in the folder, for the founder to confirm or change."""
        folder = dialog.folder.text().strip()
        if not folder:
            return

        def found(got: tuple[str, str | None]) -> None:
            root, command = got
            if dialog.folder.text().strip() != folder:
                return
            dialog.test_command.setText(command or "")
            dialog.detected.setText(f"Detected in {root}: {command}. Confirm it or change it." if command else
                                    f"No test command found in {root}: type one, or leave it empty (not tested).")

        def failed(exc: BaseException) -> None:
            dialog.detected.setText(str(getattr(exc, "message", exc)))

        Op(self.runner, lambda: detect(folder), owner=dialog).success(found).failure(failed).run()

    def _link(self, dialog: LinkRepoDialog) -> None:
        folder, name, command = (dialog.folder.text().strip(), dialog.name.text().strip() or None,
                                 dialog.test_command.text().strip())
        repos = self.repos

        def done(linked: Linked) -> None:
            dialog.accept()
            r = linked.repository
            self.window.status.say(f"Linked {r.name} ({r.path}, on {linked.branch}); tests: "
                                   f"{r.test_command or 'none'}.")
            self.linked.emit(linked)
            self.refresh()

        Op(self.runner, lambda: repos.add(folder, name=name, test_command=command), owner=dialog).success(done) \
            .errors_in(dialog).progress("Linking the repository…").run()

    # -- change, unlink -----------------------------------------------------------------
    def ask_test_command(self) -> None:
        r = self.window.selected()
        if r is None:
            return
        text, ok = QInputDialog.getText(self.window, "Test command", f"How to run {r.name}'s tests (empty: none):",
                                        QLineEdit.EchoMode.Normal, r.test_command or "")
        if ok:
            self.set_test_command(r.name, text)

    def set_test_command(self, name: str, command: str) -> None:
        repos = self.repos

        def done(r: Any) -> None:
            self.window.status.say(f"{r.name}: tests run with {r.test_command}." if r.test_command else
                                   f"{r.name}: no test command; its tasks are not tested.")
            self.refresh()

        Op(self.runner, lambda: repos.update(name, test_command=command), owner=self.window).success(done) \
            .errors_in(self.window.status).run()

    def ask_unlink(self) -> None:
        r = self.window.selected()
        if r is None:
            return
        answer = QMessageBox.question(self.window, "Unlink repository",
                                      f"Unlink {r.name}? Bureau removes its own checkouts; {r.path} is not touched.")
        if answer == QMessageBox.StandardButton.Yes:
            self.unlink(r.name)

    def unlink(self, name: str) -> None:
        repos = self.repos

        def done(r: Any) -> None:
            self.window.status.say(f"Unlinked {r.name}; {r.path} is untouched.")
            self.unlinked.emit(r.name)
            self.refresh()

        Op(self.runner, lambda: repos.remove(name), owner=self.window).success(done) \
            .errors_in(self.window.status).run()
