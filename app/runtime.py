"""Wiring: open a data folder and get the services, the model pool and an engine."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from agents.backend import ModelBackend
from agents.llama_backend import LlamaCppBackend
from app.engine import Engine, EngineDeps, StreamCallback
from app.paths import EMBEDDED_MODEL_NAME, data_home, embedded_model_path
from app.routing import RouterSource
from app.services import TaskService
from app.settings import Settings
from app.store.db import Database
from teams import TEAMS


class ModelPool:
    """The configured models, created on first use and shared by the engine's steps."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._default: ModelBackend | None = None

    def default(self) -> ModelBackend:
        with self._lock:
            if self._default is None:
                cfg = self.settings.model
                path = Path(cfg.gguf_path).expanduser() if cfg.gguf_path else embedded_model_path()
                name = path.stem if cfg.gguf_path else EMBEDDED_MODEL_NAME
                self._default = LlamaCppBackend(path, name=name, n_ctx=cfg.n_ctx, n_threads=cfg.n_threads)
            return self._default

    def backend_for(self, role: str) -> ModelBackend:
        """The model for ``role`` (a team name or "ceo")."""
        return self.default()

    def close(self) -> None:
        with self._lock:
            if self._default is not None:
                self._default.close()
                self._default = None


@dataclass
class Company:
    """Everything one data folder holds, opened together."""

    home: Path
    db: Database
    settings: Settings
    tasks: TaskService
    router: RouterSource
    models: ModelPool
    _engines: list[Engine] = field(default_factory=list)

    @classmethod
    def open(cls, home: str | Path | None = None) -> Company:
        folder = data_home(home)
        db = Database(folder)
        settings = Settings.load(folder)
        return cls(home=folder, db=db, settings=settings, tasks=TaskService(db, teams=tuple(TEAMS)),
                   router=RouterSource(db), models=ModelPool(settings))

    def engine(self, *, on_stream: StreamCallback | None = None, engine_id: str | None = None) -> Engine:
        engine = Engine(EngineDeps(db=self.db, settings=self.settings, teams=TEAMS, router=self.router,
                                   backend_for=self.models.backend_for, on_stream=on_stream), engine_id=engine_id)
        self._engines.append(engine)
        return engine

    def close(self) -> None:
        for engine in self._engines:
            engine.stop()
        self.models.close()
        self.db.close()
