"""Wiring: open a data folder and get the services, the model pool and an engine."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.engine.engine import PAUSE_MARKER, Engine, EngineDeps, StreamCallback
from app.llm.pool import ModelPool
from app.core.paths import data_home
from app.routing.service import LiveTeams, RouterSource, RoutingService
from app.tasks.service import TaskService
from app.core.settings import Settings
from app.store.db import Database

if TYPE_CHECKING:
    from app.relay.link import RelayLink

log = logging.getLogger(__name__)


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
    _relay: Any = None

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
        relay = self.relay_link()
        engine = Engine(EngineDeps(db=self.db, settings=self.settings, teams=LiveTeams(self.routing), router=self.router,
                                   backend_for=self.models.backend_for, on_stream=on_stream,
                                   offload=relay.offload_for if relay is not None else None),
                        engine_id=engine_id, lease_seconds=lease_seconds)
        self._engines.append(engine)
        return engine

    def relay_link(self) -> RelayLink | None:
        """The link to the relay when this data folder is connected to one (started once; outbound only)."""
        if self._relay is None and (self.home / "relay.json").exists():
            from app.core.errors import BureauError
            from app.relay.link import RelayLink

            try:
                self._relay = RelayLink(self.home, self.db, self.tasks).start()
            except BureauError as exc:  # a locked keyring must not stop the company: it works alone
                log.warning("The relay link is off: %s", exc)
        return self._relay

    def pause(self) -> None:
        """Stop taking new work in every engine on this data folder; work in flight finishes its step."""
        (self.home / PAUSE_MARKER).touch()

    def resume(self) -> None:
        (self.home / PAUSE_MARKER).unlink(missing_ok=True)

    @property
    def paused(self) -> bool:
        return (self.home / PAUSE_MARKER).exists()

    def close(self) -> None:
        for engine in self._engines:
            engine.stop()
        if self._relay is not None:
            self._relay.stop()
        self.models.close()
        self.db.close()
