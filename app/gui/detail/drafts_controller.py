"""Behaviour of the Drafts tab: load a task's drafts, Approve / Edit / Discard / Send through ``OutboundService``.

Every call runs on the op helper; the service's events reload the task panel, and this tab
reloads itself after each action too, so the founder sees the new state at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication

from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.gui.detail.drafts import DraftsTab, EditDraftDialog
from app.knowledge.outbound import Draft

TabTitle = Callable[[int], None]  # the number of drafts waiting: the panel names its tab with it


class DraftsController(QObject):
    loaded = Signal()
    changed = Signal(object)  # the Draft after an action

    def __init__(self, outbound: Any, runner: TaskRunner, tab: DraftsTab, *, sender_name: Callable[[], str],
                 set_title: TabTitle | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.outbound = outbound
        self.runner = runner
        self.tab = tab
        self.sender_name = sender_name
        self.set_title = set_title
        self.task_id: int | None = None
        self.edit_slot = DialogSlot[EditDraftDialog]()
        tab.table.selectionModel().selectionChanged.connect(lambda *_: tab.show_selected())
        tab.model.modelReset.connect(tab.show_selected)
        tab.approve_button.clicked.connect(lambda: self._act("approve"))
        tab.discard_button.clicked.connect(lambda: self._act("discard"))
        tab.send_button.clicked.connect(self.send)
        tab.edit_button.clicked.connect(self.open_edit)
        tab.show_selected()

    def load(self, task_id: int | None) -> None:
        if task_id != self.task_id:
            self.tab.status.say("")
        self.task_id = task_id
        if task_id is None:
            self._show([])
            return
        outbound = self.outbound
        Op(self.runner, lambda: outbound.list(task_id=task_id), owner=self.tab) \
            .success(lambda drafts: self._show(drafts) if task_id == self.task_id else None) \
            .errors_in(self.tab.status).run()

    def _show(self, drafts: list[Draft]) -> None:
        selected = self.tab.selected()
        self.tab.model.set_rows(drafts)
        keep = self.tab.model.row_of(selected.id) if selected is not None else None
        waiting = [i for i, d in enumerate(drafts) if d.status == "draft"]
        row = keep if keep is not None else (waiting[0] if waiting else (0 if drafts else None))
        if row is not None:
            self.tab.table.selectRow(row)
        if self.set_title is not None:
            self.set_title(len(waiting))
        self.loaded.emit()

    # -- actions -------------------------------------------------------------------------
    def _act(self, action: str) -> None:
        d = self.tab.selected()
        if d is None:
            return
        fn = {"approve": self.outbound.approve, "discard": self.outbound.discard}[action]
        said = {"approve": f"Draft {d.id} approved as it reads now; press Send when you want it to go out.",
                "discard": f"Draft {d.id} discarded; nothing was sent."}[action]
        Op(self.runner, lambda: fn(d.id), owner=self.tab).success(lambda new: self._done(new, said)) \
            .errors_in(self.tab.status).run()

    def _done(self, draft: Draft, said: str) -> None:
        self.tab.status.say(said)
        self.changed.emit(draft)
        self.load(self.task_id)

    def open_edit(self) -> EditDraftDialog | None:
        d = self.tab.selected()
        if d is None:
            return None
        dialog, new = self.edit_slot.open(lambda: EditDraftDialog(d, self.tab.window()))
        if new:
            dialog.submitted.connect(lambda: self._save_edit(dialog))
        return dialog

    def _save_edit(self, dialog: EditDraftDialog) -> None:
        draft_id, text = dialog.draft.id, dialog.text()

        def saved(new: Draft) -> None:
            dialog.accept()
            self._done(new, f"Draft {new.id} saved with your text; approve it again before it is sent.")

        Op(self.runner, lambda: self.outbound.edit(draft_id, text), owner=dialog).success(saved) \
            .errors_in(dialog).run()

    def send(self) -> None:
        d = self.tab.selected()
        if d is None or not d.approved:
            return
        sender_name = self.sender_name

        def sent(outcome: Any) -> None:
            draft, result = outcome
            if result.ok and result.via == "mailto":
                opened = QDesktopServices.openUrl(QUrl(result.detail))
                said = (f"Draft {draft.id} opened in your mail client." if opened else
                        f"No mail client opened; the message is copied for you to paste (draft {draft.id}).")
                if not opened:
                    QGuiApplication.clipboard().setText(draft.body)
            elif result.ok and result.via == "copy":
                QGuiApplication.clipboard().setText(draft.body)
                said = f"Draft {draft.id} copied for you to post."
            elif result.ok:
                said = f"Draft {draft.id} sent ({result.via})."
            else:
                said = f"Draft {draft.id} was not sent: {result.detail}. It stays approved; Send tries again."
            self.tab.status.say(said, error=not result.ok)
            self.changed.emit(draft)
            self.load(self.task_id)

        Op(self.runner, lambda: self.outbound.send(d.id, sender_name=sender_name()), owner=self.tab) \
            .success(sent).errors_in(self.tab.status).progress(f"Sending draft {d.id}…").run()
