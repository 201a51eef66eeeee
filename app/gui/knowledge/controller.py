"""Behaviour of the Knowledge window: every read and change goes through ``KnowledgeBase`` on the op helper.

Indexing a folder runs on a worker; its progress reaches the window through a queued signal,
at most a few times a second, so a folder of 100,000 files never floods the GUI thread.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.gui.common.ops import Op, TaskRunner
from app.gui.knowledge.model import HitRow, HitsModel, SourceRow, SourcesModel, hit_rows, source_rows
from app.gui.knowledge.view import KnowledgeWindow

SEARCH_DELAY_MS = 250
PROGRESS_EVERY_S = 0.1


class _Progress(QObject):
    """Emitted from the worker; Qt queues it to the window's thread."""

    changed = Signal(int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self._last = 0.0

    def __call__(self, done: int, total: int, current: str) -> None:
        now = time.monotonic()
        if done == total or now - self._last >= PROGRESS_EVERY_S:
            self._last = now
            self.changed.emit(done, total, current)


class KnowledgeController(QObject):
    loaded = Signal()  # the sources table was refreshed
    searched = Signal()  # search results are shown
    indexed = Signal(object)  # an IndexReport (or a list of them for Re-index all)

    def __init__(self, kb: Any, runner: TaskRunner, parent: QObject | None = None, *,
                 window_parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.runner = runner
        self.sources_model = SourcesModel(self)
        self.hits_model = HitsModel(self)
        self.window = KnowledgeWindow(self.sources_model, self.hits_model, window_parent)
        self._progress = _Progress()
        self._progress.changed.connect(self.window.show_progress)
        w = self.window
        w.add_folder_button.clicked.connect(self.choose_folder)
        w.add_file_button.clicked.connect(self.choose_file)
        w.reindex_button.clicked.connect(self.reindex_selected)
        w.remove_button.clicked.connect(self.remove_selected)
        w.sources.selectionModel().selectionChanged.connect(self._update_buttons)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        w.search.textChanged.connect(lambda _text: self._search_timer.start())
        w.search.returnPressed.connect(self.search_now)
        self._indexing = False
        self._update_buttons()

    def show(self) -> None:
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.refresh()

    def refresh(self) -> None:
        kb = self.kb
        Op(self.runner, lambda: source_rows(kb), owner=self.window).success(self._loaded) \
            .errors_in(self.window.status).run()

    def _loaded(self, rows: list[SourceRow]) -> None:
        selected = self.selected()
        self.sources_model.set_rows(rows)
        if selected is not None and (row := self.sources_model.row_of(selected.id)) is not None:
            self.window.sources.selectRow(row)
        if not rows and not self._indexing and not self.window.status.text():
            self.window.status.say("Nothing indexed yet: add the folder with your pricing page, policies and docs.")
        self._update_buttons()
        self.loaded.emit()

    def selected(self) -> SourceRow | None:
        rows = self.window.sources.selectionModel().selectedRows()
        return self.sources_model.row_data(rows[0].row()) if rows else None

    def _update_buttons(self, *_: Any) -> None:
        w = self.window
        has = self.selected() is not None and not self._indexing
        w.reindex_button.setEnabled(has)
        w.remove_button.setEnabled(has)
        w.add_folder_button.setEnabled(not self._indexing)
        w.add_file_button.setEnabled(not self._indexing)

    # -- adding and indexing -------------------------------------------------------------
    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.window, "Add a folder to the knowledge base")
        if path:
            self.add(path)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Add a file to the knowledge base", "",
                                              "Documents (*.md *.markdown *.txt *.html *.htm *.pdf);;All files (*)")
        if path:
            self.add(path)

    def add(self, path: str | Path) -> None:
        kb, progress = self.kb, self._progress
        self._index(lambda: kb.add(path, progress=progress), f"Indexing {Path(path).name}…")

    def reindex_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        kb, progress = self.kb, self._progress
        self._index(lambda: kb.reindex(row.id, progress=progress), f"Re-indexing {Path(row.path).name}…")

    def _index(self, fn: Any, label: str) -> None:
        self._indexing = True
        self._update_buttons()
        self.window.status.say(label)
        Op(self.runner, fn, owner=self.window).success(self._indexed).failure(self._index_failed) \
            .progress(label).run()

    def _indexed(self, report: Any) -> None:
        self._indexing = False
        self.window.hide_progress()
        self._update_buttons()
        text = (f"{Path(report.path).name}: {report.files_seen:,} files, {report.indexed:,} indexed "
                f"({report.sections:,} sections), {report.unchanged:,} unchanged, {report.removed:,} removed"
                f" in {report.seconds:.1f} s.")
        if report.errors:
            first_file, why = report.errors[0]
            more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
            self.window.status.say(f"{text} {Path(first_file).name} {why}{more}; the rest is indexed.", error=True)
        else:
            self.window.status.say(text)
        self.refresh()
        if self.window.search.text().strip():
            self.search_now()
        self.indexed.emit(report)

    def _index_failed(self, exc: BaseException) -> None:
        from app.gui.common.errors import ReadableError

        self._indexing = False
        self.window.hide_progress()
        self._update_buttons()
        error = ReadableError.of(exc)
        self.window.status.show_error(error.message, error.fix)
        if error.details:
            self.runner.report(exc)
        self.indexed.emit(None)

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        kb = self.kb

        def done(_info: Any) -> None:
            self.window.status.say(f"{row.path} removed from the knowledge base; the files themselves are untouched.")
            self.refresh()
            if self.window.search.text().strip():
                self.search_now()

        Op(self.runner, lambda: kb.remove(row.id), owner=self.window).success(done) \
            .errors_in(self.window.status).run()

    # -- search ----------------------------------------------------------------------------
    def search_now(self) -> None:
        self._search_timer.stop()
        query = self.window.search.text().strip()
        if not query:
            self.hits_model.set_rows([])
            self.window.hits_note.setText("")
            self.searched.emit()
            return
        kb = self.kb
        Op(self.runner, lambda: hit_rows(kb, query), owner=self.window) \
            .success(lambda rows: self._show_hits(query, rows)).errors_in(self.window.status).run()

    def _show_hits(self, query: str, rows: list[HitRow]) -> None:
        if query != self.window.search.text().strip():
            return  # an older search; the newer one is on its way
        self.hits_model.set_rows(rows)
        self.window.hits.resizeColumnToContents(0)
        self.window.hits.resizeColumnToContents(1)
        self.window.hits_note.setText(f"{len(rows)} section{'s' if len(rows) != 1 else ''} found; "
                                      "teams cite them as [kb: source § heading]." if rows
                                      else f"Nothing in the knowledge base matches “{query}”.")
        self.searched.emit()
