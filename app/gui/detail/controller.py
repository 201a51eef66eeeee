"""Behaviour of the detail panel: load the selected task, follow its events and live output, files."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog

from app.tasks.queries import CardRow
from app.gui.detail.actions import TaskActions
from app.gui.detail.view import MAX_LIVE_CHARS, DetailPanel
from app.gui.detail.data import ArtifactView, DetailData, detail_data
from app.gui.common.feed import EventInfo, StoreFeed, StreamBuffer
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.theme import is_dark
from app.gui.detail.preview import Preview, render_preview, render_text
from app.tasks.service import TaskService
from app.core.status import Status
from app.insights.trace import task_trace


@dataclass
class LiveText:
    key: str  # the journal key of the step that streams
    text: str


class DetailController(QObject):
    message = Signal(str)
    task_shown = Signal(object)  # the id of the task the panel shows now (after each reload), or None

    def __init__(self, tasks: TaskService, home: Path, panel: DetailPanel, runner: TaskRunner, feed: StoreFeed,
                 stream: StreamBuffer, team_colors: Mapping[str, str], actions: TaskActions,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._home = home
        self._panel = panel
        self._runner = runner
        self._team_colors = team_colors
        self._actions = actions
        self.task_id: int | None = None
        self.data: DetailData | None = None
        self.live: dict[int, LiveText] = {}
        self._loading = False
        self._dirty = False
        self._preview_path: Path | None = None
        panel.team_colors = team_colors  # type: ignore[assignment]
        panel.set_actions(actions.ordered)
        actions.actions["approve"].changed.connect(self._both_changed)
        actions.actions["accept"].changed.connect(self._both_changed)
        feed.events.connect(self._on_events)
        stream.flushed.connect(self._on_stream)
        panel.open_file.clicked.connect(self.open_artifact)
        panel.save_file.clicked.connect(self.save_artifact)
        panel.copy_file.clicked.connect(self.copy_artifact)
        panel.artifacts.clicked.connect(lambda _index: panel.attachments.clearSelection())
        panel.artifacts.doubleClicked.connect(lambda _index: self.open_artifact())
        panel.artifacts.selectionModel().currentRowChanged.connect(lambda _c, _p: self.preview_artifact())
        panel.artifacts_model.modelReset.connect(self.preview_artifact)
        panel.attachments_model.modelReset.connect(self.preview_artifact)  # no result files: previews the first
        panel.attachments.selectionModel().selectionChanged.connect(lambda _s, _d: self.preview_attachment())
        panel.steps.clicked.connect(self._show_step)

    def set_paused(self, paused: bool) -> None:
        self._panel.paused = paused
        if self.data is not None:
            self._panel.show_detail(self.data, self._team_colors.get(self.data.team or "", ""))

    def _both_changed(self) -> None:
        both = self._actions.actions["approve"].isEnabled() and self._actions.actions["accept"].isEnabled()
        if both != self._panel.approve_and_accept:
            self._panel.approve_and_accept = both
            if self.data is not None:
                self._panel.show_detail(self.data, self._team_colors.get(self.data.team or "", ""))

    def _show_step(self, index: QModelIndex) -> None:
        if self.data is not None and self.data.status != Status.RUNNING and index.isValid():
            self._panel.show_step_output(self._panel.steps_model.item(index.row()))

    # -- the selected task ---------------------------------------------------------------
    def show(self, card: CardRow | None) -> None:
        if card is None:
            self.task_id = None
            self.data = None
            self._panel.show_hint()
            self.task_shown.emit(None)
            return
        if card.id != self.task_id:
            self.data = None
            self.task_id = card.id
        self._reload()

    def _reload(self) -> None:
        if self.task_id is None:
            return
        if self._loading:
            self._dirty = True
            return
        self._loading, self._dirty = True, False
        task_id, tasks, home = self.task_id, self._tasks, self._home
        self._runner.run(lambda: detail_data(tasks.detail(task_id), home), on_success=self._on_loaded,
                         on_failure=self._on_failed, owner=self._panel)

    def _on_loaded(self, data: DetailData) -> None:
        self._loading = False
        if data.task_id == self.task_id:
            self.data = data
            self._actions.note_work(data.task_id, bool(data.result),
                                    data.route.runner_up if data.route is not None else None)
            self._panel.show_detail(data, self._team_colors.get(data.team or "", ""))
            self.task_shown.emit(data.task_id)
            db, task_id = self._tasks.db, data.task_id
            self._runner.run(lambda: task_trace(db, task_id), owner=self._panel,
                             on_success=lambda t: self._panel.trace.show_trace(t) if t.task_id == self.task_id else None)
            live = self.live.get(data.task_id)
            if data.status == Status.RUNNING:
                self._panel.set_live_text(live.text if live else "")
            else:
                work = [s for s in data.steps if s.kind == "work" and s.status == "done"]
                self._panel.show_step_output(work[-1] if work else None)
        if self._dirty:
            self._reload()

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._runner.report(exc)

    @property
    def idle(self) -> bool:
        return not self._loading and not self._dirty

    def _on_events(self, events: list[EventInfo]) -> None:
        for e in events:
            if e.kind == "status" and e.task_id is not None:
                # every change of status ends an attempt: a retry's live output starts clean
                self.live.pop(e.task_id, None)
                if e.task_id == self.task_id and e.status == Status.RUNNING:
                    self._panel.set_live_text("")
        if self.task_id is not None and any(e.task_id == self.task_id for e in events):
            self._reload()

    # -- live output -------------------------------------------------------------------
    def _on_stream(self, batch: dict[tuple[int, str], str]) -> None:
        for (task_id, key), text in batch.items():
            entry = self.live.get(task_id)
            fresh = entry is None or entry.key != key
            if fresh:
                entry = self.live[task_id] = LiveText(key, text)
            else:
                assert entry is not None
                entry.text = (entry.text + text)[-MAX_LIVE_CHARS:]
            if task_id == self.task_id:
                if fresh:
                    self._panel.set_live_text(entry.text)
                else:
                    self._panel.append_live_text(text)

    # -- files -------------------------------------------------------------------------
    def _artifact(self) -> ArtifactView | None:
        row = self._panel.selected_artifact_row()
        return None if row is None else self._panel.artifacts_model.item(row)

    def preview_artifact(self) -> None:
        artifact = self._artifact()
        if artifact is None:
            self._preview_path = None
            if self._panel.attachments_model.rowCount():
                self.preview_attachment(0)  # no result files yet: the founder's own files
            else:
                self._panel.show_preview(None)
            return
        path, name = artifact.path, artifact.name
        if path == self._preview_path:
            return
        self._preview_path = path
        dark = is_dark(self._panel.palette())

        def show(preview: Preview) -> None:
            if self._preview_path == path:
                self._panel.show_preview(preview, name)

        Op(self._runner, lambda: render_preview(path, dark=dark), owner=self._panel).success(show).run()

    def preview_attachment(self, row: int | None = None) -> None:
        """Preview a file the founder attached (its text is in the database, so it renders at once)."""
        chosen = row is None  # the founder picked it (not the fallback when there are no result files)
        row = self._panel.selected_attachment_row() if row is None else row
        if row is None or not 0 <= row < self._panel.attachments_model.rowCount():
            return
        attachment = self._panel.attachments_model.item(row)
        self._preview_path = None  # the next artifact selection previews again
        if chosen:
            self._panel.artifacts.clearSelection()
        name, text, dark = attachment.name, attachment.content, is_dark(self._panel.palette())
        Op(self._runner, lambda: render_text(name, text, dark=dark), owner=self._panel) \
            .success(lambda preview: self._panel.show_preview(preview, f"{name} (attached by you)")).run()

    def open_artifact(self) -> None:
        """Open in the file's usual program; else show its folder; else say where it is."""
        artifact = self._artifact()
        if artifact is None:
            return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(artifact.path))):
            return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(artifact.path.parent))):
            self.message.emit(f"No program opens {artifact.name} here; showing its folder instead.")
            return
        self.message.emit(f"No program to open files was found. {artifact.name} is in {artifact.path.parent} "
                          "(the preview above shows it; Save as copies it elsewhere).")
        QApplication.beep()

    def save_artifact(self) -> None:
        artifact = self._artifact()
        if artifact is None:
            return
        target, _ = QFileDialog.getSaveFileName(self._panel, "Save the file as", str(Path.home() / artifact.name))
        if target:
            source = artifact.path
            Op(self._runner, lambda: shutil.copyfile(source, target)).progress(f"Saving {artifact.name}…") \
                .success(lambda _r: self.message.emit(f"Saved {Path(target).name}.")).run()

    def copy_artifact(self) -> None:
        artifact = self._artifact()
        if artifact is None:
            return
        path = artifact.path
        Op(self._runner, lambda: path.read_text(encoding="utf-8", errors="replace")).success(
            lambda text: (QGuiApplication.clipboard().setText(text),
                          self.message.emit(f"Copied the text of {artifact.name}."))).run()
