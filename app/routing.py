"""The router the CEO uses: built-in teams and examples plus the founder's corrections."""

from __future__ import annotations

import threading

from sqlmodel import col, func, select

from agents.router import RoutingExample, Router, builtin_team_profiles
from app.store.db import Database
from app.store.tables import RoutingCorrection


class RouterSource:
    """Hands out a router that includes every stored correction; rebuilt when they change."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._base: Router | None = None
        self._router: Router | None = None
        self._version: tuple[int, int] | None = None

    def __call__(self) -> Router:
        with self.db.read() as s:
            version = s.exec(select(func.count(), func.coalesce(func.max(RoutingCorrection.id), 0))).one()
            version = (int(version[0]), int(version[1]))
            rows = None
            if version != self._version:
                rows = list(s.exec(select(RoutingCorrection).order_by(col(RoutingCorrection.id))))
        with self._lock:
            if self._base is None:
                self._base = Router(builtin_team_profiles())
            if rows is not None:
                examples = [RoutingExample(text=r.text, team=r.team, source=r.source) for r in rows]
                self._router = self._base.with_examples(examples) if examples else self._base
                self._version = version
            assert self._router is not None
            return self._router
