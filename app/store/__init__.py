"""The store: one SQLite file, the single source of truth."""

from app.store.db import Database
from app.store.tables import Artifact, Decision, Event, RoutingCorrection, Step, Task

__all__ = ["Artifact", "Database", "Decision", "Event", "RoutingCorrection", "Step", "Task"]
