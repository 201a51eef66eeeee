"""The feature views the shell offers in its menus: one entry each, so a new view is one line here.

A ``FeatureView`` names its menu entry and builds its opener from the ``ShellContext``
(the company, the background runner, the main window). Schedules, Insights and the like
add themselves to ``FEATURE_VIEWS``; the shell puts each in its menu (and the toolbar when
``toolbar`` is set) and opens it on demand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QMainWindow, QWidget

from app.company import Company
from app.gui.common.ops import TaskRunner


@dataclass(frozen=True)
class ShellContext:
    company: Company
    runner: TaskRunner
    window: QMainWindow


Opener = Callable[[], QWidget | None]


@dataclass(frozen=True, kw_only=True)
class FeatureView:
    key: str
    text: str  # menu text, with its mnemonic
    shortcut: str = ""
    tip: str = ""
    menu: str = "View"  # "File" or "View"
    toolbar: bool = False
    build: Callable[[ShellContext], Opener]


def _models(ctx: ShellContext) -> Opener:
    from app.gui.common.widgets import DialogSlot
    from app.gui.llm.controller import ModelsWindow
    from app.llm.service import ModelService

    slot = DialogSlot[ModelsWindow]()

    def open_() -> ModelsWindow:
        c = ctx.company
        window = slot.dialog
        if window is None:
            window, _new = slot.open(lambda: ModelsWindow(ModelService(c.home, c.settings, c.models), ctx.runner,
                                                          ctx.window), delete_on_close=False)
        elif not window.isVisible():
            window.controller.refresh()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    return open_


FEATURE_VIEWS: list[FeatureView] = [
    FeatureView(key="models", text="&Models…", shortcut="Ctrl+M", menu="File", toolbar=True,
                tip="The models the company runs on: add, test, and choose one per role", build=_models),
]
