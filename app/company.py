"""Wiring: open a data folder and get the services, the model pool and an engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.engine.engine import PAUSE_MARKER, Engine, EngineDeps, StreamCallback
from app.llm.pool import ModelPool
from app.core.paths import data_home
from app.routing.service import LiveTeams, RouterSource, RoutingService
from app.tasks.service import TaskService
from app.core.settings import Settings
from app.store.db import Database

if TYPE_CHECKING:
    from app.schedules.scheduler import SchedulerLoop
    from app.schedules.service import ScheduleService


@dataclass
class Company:
    """Everything one data folder holds, opened together."""

    home: Path
    db: Database
    settings: Settings
    tasks: TaskService
    routing: RoutingService
    router: RouterSource
    models: ModelPool
    _engines: list[Engine] = field(default_factory=list)
    _schedulers: list[SchedulerLoop] = field(default_factory=list)

    @classmethod
    def open(cls, home: str | Path | None = None) -> Company:
        folder = data_home(home)
        db = Database(folder)
        settings = Settings.load(folder)
        routing = RoutingService(db)
        return cls(home=folder, db=db, settings=settings, tasks=TaskService(db, teams=routing.team_names),
                   routing=routing,
                   router=RouterSource(db), models=ModelPool(settings, home=folder))

    def engine(self, *, on_stream: StreamCallback | None = None, engine_id: str | None = None,
               lease_seconds: float = 60.0) -> Engine:
        engine = Engine(EngineDeps(db=self.db, settings=self.settings, teams=LiveTeams(self.routing), router=self.router,
                                   backend_for=self.models.backend_for, on_stream=on_stream),
                        engine_id=engine_id, lease_seconds=lease_seconds)
        self._engines.append(engine)
        return engine

    @property
    def schedules(self) -> ScheduleService:
        from app.schedules.service import ScheduleService

        return ScheduleService(self.db, self.tasks)

    def start_schedules(self, *, name: str | None = None) -> SchedulerLoop:
        """Fire schedules on a background thread until ``close`` (the app and `bureau run` start it)."""
        from app.engine.store import engine_name
        from app.schedules.scheduler import Scheduler, SchedulerLoop

        loop = SchedulerLoop(Scheduler(self.db, self.tasks, name=name or engine_name()))
        self._schedulers.append(loop)
        loop.start()
        return loop

    def pause(self) -> None:
        """Stop taking new work in every engine on this data folder; work in flight finishes its step."""
        (self.home / PAUSE_MARKER).touch()

    def resume(self) -> None:
        (self.home / PAUSE_MARKER).unlink(missing_ok=True)

    @property
    def paused(self) -> bool:
        return (self.home / PAUSE_MARKER).exists()

    def close(self) -> None:
        for loop in self._schedulers:
            loop.stop()
        for engine in self._engines:
            engine.stop()
        self.models.close()
        self.db.close()
