"""Behaviour of the Routing tab: every read and change goes through ``RoutingService`` on the runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.gui.common.form_dialog import FormDialog
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.gui.routing.view import AddTeamDialog, ExampleRow, KeywordsDialog, RoutingTab
from app.routing.service import RoutingService, TeamInfo

EXPORT_NAME = "bureau-routing.jsonl"
RoutingData = tuple[list[ExampleRow], list[TeamInfo]]


def load_routing(routing: RoutingService) -> RoutingData:
    """The examples (detached from the database session) and the teams; runs off the GUI thread."""
    rows = [ExampleRow(id=r.id, text=r.text, team=r.team, source=r.source, task_id=r.task_id)
            for r in routing.examples() if r.id is not None]
    return rows, routing.team_infos()


class RoutingController(QObject):
    """Loads the tab, and removes, exports and adds; ``teams_changed`` after a team or keywords changed."""

    teams_changed = Signal()
    loaded = Signal()

    def __init__(self, routing: RoutingService, runner: TaskRunner, tab: RoutingTab,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._routing = routing
        self._runner = runner
        self._tab = tab
        self._forms = DialogSlot[FormDialog]()  # the open "Add keywords" or "Add team" dialog
        tab.remove_button.clicked.connect(self.remove_selected)
        tab.export_button.clicked.connect(self.export)
        tab.add_example_button.clicked.connect(self.add_example)
        tab.keywords_button.clicked.connect(self.open_keywords)
        tab.add_team_button.clicked.connect(self.open_add_team)
        tab.remove_team_button.clicked.connect(self.remove_team)

    # -- running work ------------------------------------------------------------------
    @property
    def form(self) -> FormDialog | None:
        return self._forms.dialog

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None], label: str) -> None:
        self._tab.say(label)
        Op(self._runner, fn, owner=self._tab).success(done).errors_in(self._tab).progress(label).run()

    def load(self, message: str = "") -> None:
        routing = self._routing
        self._run(lambda: load_routing(routing), lambda data: self._show(data, message), "Reading the routing data…")

    def _show(self, data: RoutingData, message: str) -> None:
        examples, teams = data
        self._tab.show_data(examples, teams)
        corrections = sum(1 for e in examples if e.source == "correction")
        self._tab.say(message or f"{len(examples) - corrections} example(s) and {corrections} correction(s); "
                      f"{len(teams)} teams.")
        self.loaded.emit()

    # -- examples ----------------------------------------------------------------------
    def remove_selected(self) -> None:
        ids = self._tab.selected_example_ids()
        if not ids:
            return
        routing = self._routing

        def remove() -> int:
            for example_id in ids:
                routing.remove_example(example_id)
            return len(ids)

        self._run(remove, lambda n: self.load(f"Removed {n} example(s); the router no longer learns from them."),
                  "Removing…")

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._tab, "Export routing examples and corrections",
                                              str(Path.home() / EXPORT_NAME), "JSON Lines (*.jsonl);;All files (*)")
        if not path:
            return
        target, routing = Path(path), self._routing
        self._run(lambda: routing.export(target),
                  lambda n: self._tab.say(f"Exported {n} example(s) and correction(s) to {target}."), "Exporting…")

    def add_example(self) -> None:
        text, team = self._tab.example_text.text(), str(self._tab.example_team.currentData() or "")
        routing = self._routing

        def added(_row: object) -> None:
            self._tab.example_text.clear()
            self.load(f"Added the example for {team}.")

        self._run(lambda: routing.add_example(text, team), added, "Adding the example…")

    # -- teams -------------------------------------------------------------------------
    def open_keywords(self) -> None:
        team = self._tab.selected_team()
        if team is None:
            return
        dialog = KeywordsDialog(team, self._tab)
        routing = self._routing
        self._open_form(dialog, lambda: routing.add_keywords(dialog.team, dialog.values()),
                        lambda info: f"{info.name} now has the keywords: {', '.join(info.keywords)}.")

    def open_add_team(self) -> None:
        dialog = AddTeamDialog(self._tab)
        routing = self._routing
        self._open_form(dialog, lambda: routing.add_team(dialog.team_name(), description=dialog.owns(),
                                                         keywords=dialog.team_keywords()),
                        lambda info: f"Added the team {info.name}; the CEO can give it tasks now.")

    def _open_form(self, dialog: FormDialog, call: Callable[[], TeamInfo],
                   message: Callable[[TeamInfo], str]) -> None:
        def done(info: TeamInfo) -> None:
            dialog.accept()
            self.teams_changed.emit()
            self.load(message(info))

        dialog.submitted.connect(
            lambda: Op(self._runner, call, owner=dialog).success(done).errors_in(dialog).progress("Saving…").run())
        self._forms.open(lambda: dialog)

    def remove_team(self) -> None:
        team = self._tab.selected_team()
        if team is None or team.builtin:
            return
        answer = QMessageBox.question(self._tab, "Remove team",
                                      f"Remove the team {team.name} and its keywords? Tasks it finished keep it.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        name, routing = team.name, self._routing

        def removed(_: None) -> None:
            self.teams_changed.emit()
            self.load(f"Removed the team {name}.")

        self._run(lambda: routing.remove_team(name), removed, "Removing the team…")
