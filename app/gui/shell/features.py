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
from app.gui.board.controller import BoardController
from app.gui.common.ops import TaskRunner
from app.gui.common.team_directory import TeamDirectory


@dataclass(frozen=True)
class ShellContext:
    company: Company
    runner: TaskRunner
    window: QMainWindow
    board: BoardController  # e.g. ``board.show_only(ids)`` from a chart
    teams: TeamDirectory  # ``teams.names`` and ``teams.colors``, kept current


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
            window, _new = slot.open(lambda: ModelsWindow(ModelService(c.home, c.settings_source, c.models),
                                                          ctx.runner, ctx.window), delete_on_close=False)
        elif not window.isVisible():
            window.controller.refresh()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    return open_


def _schedules(ctx: ShellContext) -> Opener:
    from app.gui.schedules.controller import SchedulesController

    holder: list[SchedulesController] = []

    def open_() -> QWidget:
        if not holder:
            holder.append(SchedulesController(ctx.company.schedules, ctx.runner, lambda: ctx.teams.names,
                                              ctx.window, window_parent=ctx.window))
        holder[0].show()
        return holder[0].window

    return open_


def _insights(ctx: ShellContext) -> Opener:
    import shiboken6

    from app.gui.insights.controller import InsightsWindow, open_insights

    holder: list[InsightsWindow] = []

    def open_() -> QWidget:
        existing = holder[0] if holder and shiboken6.isValid(holder[0]) else None
        window = open_insights(existing, ctx.company.db, ctx.runner, ctx.teams.colors, ctx.window)
        if window is not existing:
            holder[:] = [window]
            window.controller.show_tasks.connect(ctx.board.show_only)
        return window

    return open_


def _knowledge(ctx: ShellContext) -> Opener:
    from app.gui.knowledge.controller import KnowledgeController

    holder: list[KnowledgeController] = []

    def open_() -> QWidget:
        if not holder:
            holder.append(KnowledgeController(ctx.company.knowledge, ctx.runner, ctx.window, window_parent=ctx.window))
        holder[0].show()
        return holder[0].window

    return open_


def _repos(ctx: ShellContext) -> Opener:
    from app.gui.workspace.repos_controller import ReposController

    holder: list[ReposController] = []

    def open_() -> QWidget:
        if not holder:
            holder.append(ReposController(ctx.company.repos, ctx.runner, ctx.window, window_parent=ctx.window))
        holder[0].show()
        return holder[0].window

    return open_


FEATURE_VIEWS: list[FeatureView] = [
    FeatureView(key="models", text="&Models…", shortcut="Ctrl+M", menu="File", toolbar=True,
                tip="The models the company runs on: add, test, and choose one per role", build=_models),
    FeatureView(key="schedules", text="S&chedules…", shortcut="Ctrl+Shift+S", menu="File",
                tip="Recurring tasks: the rule in words, next and last run, pause, add", build=_schedules),
    FeatureView(key="insights", text="&Insights…", shortcut="Ctrl+Shift+I", menu="View",
                tip="What the company did: throughput, time in each status, the trace of a task", build=_insights),
    FeatureView(key="knowledge", text="&Knowledge…", shortcut="Ctrl+Shift+K", menu="View",
                tip="The founder's files teams answer from: add folders, re-index, search", build=_knowledge),
    FeatureView(key="repos", text="&Repositories…", menu="File",
                tip="The git repositories code and DevOps tasks work in: link one, its test command, unlink",
                build=_repos),
]
