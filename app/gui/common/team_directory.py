"""The teams the board knows (the six built-in ones and the founder's), with their colours."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal

from app.gui.common.ops import TaskRunner
from app.routing.service import RoutingService
from teams import TEAMS


class TeamDirectory(QObject):
    """Team name -> colour in ``colors``: the built-in teams at once, the founder's after ``refresh``.

    ``colors`` is one dict, updated in place, so item models can hold on to it.
    """

    changed = Signal()

    def __init__(self, routing: RoutingService, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._routing = routing
        self._runner = runner
        self.colors: dict[str, str] = {name: spec.color for name, spec in TEAMS.items()}
        self._refreshing = False

    @property
    def names(self) -> list[str]:
        return list(self.colors)

    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        routing = self._routing
        self._runner.run(lambda: {name: spec.color for name, spec in routing.teams().items()},
                         on_success=self._loaded, on_failure=self._failed)

    def know(self, name: str | None) -> None:
        """A card named ``name``: look the teams up again if it is new to the board."""
        if name and name not in self.colors:
            self.refresh()

    def _loaded(self, colors: Mapping[str, str]) -> None:
        self._refreshing = False
        if dict(colors) != self.colors:
            self.colors.clear()
            self.colors.update(colors)
            self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self._runner.report(exc)
