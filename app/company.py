"""Wiring: open a data folder and get the services, the model pool and an engine.

``Company`` is the composition root. Its parts are built on first use, so a command that
only lists tasks never imports the model backends or the router.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.paths import data_home
from app.store.db import Database
from app.store.restore import EnginePresence

if TYPE_CHECKING:
    from app.core.settings import Settings, SettingsSource
    from app.engine.engine import Engine, StreamCallback
    from app.llm.pool import ModelPool
    from app.routing.service import RouterSource, RoutingService, TeamCatalogue
    from app.tasks.plans import PlanService
    from app.tasks.service import TaskService
    from app.schedules.scheduler import SchedulerLoop
    from app.schedules.service import ScheduleService
    from app.schedules.store import ScheduleRow
    from app.tasks.attachments import Attachment
    from app.relay.link import RelayLink
    from app.knowledge.ground import Grounder
    from app.knowledge.index import KnowledgeBase
    from app.knowledge.outbound import OutboundService
    from app.knowledge.profile import ProfileStore
    from app.workspace.delivery import DeliveryService
    from app.workspace.repos import RepoService
    from app.insights.otlp import TraceExportLoop

PAUSE_MARKER = "paused"  # a file in the data folder: every engine on it, in any process, takes no new work
log = logging.getLogger(__name__)


class Company:
    """Everything one data folder holds, opened together."""

    def __init__(self, home: Path, db: Database, settings: SettingsSource | None = None) -> None:
        self.home = home
        self.db = db
        if settings is not None:
            self.__dict__["settings_source"] = settings
        self._engines: list[Engine] = []
        self._schedulers: list[SchedulerLoop] = []
        self._presence: EnginePresence | None = None
        self._relay: RelayLink | None = None
        self._trace_export: TraceExportLoop | None = None

    @classmethod
    def open(cls, home: str | Path | None = None) -> Company:
        folder = data_home(home)
        db = Database(folder)
        return cls(folder, db)

    def __repr__(self) -> str:
        return f"Company(home={str(self.home)!r})"

    # -- settings -----------------------------------------------------------------
    @cached_property
    def settings_source(self) -> SettingsSource:
        """``settings.json``, read on first use (a broken file is reported then, naming the fix)."""
        from app.core.settings import SettingsSource

        return SettingsSource.load(self.home)

    @property
    def settings(self) -> Settings:
        """The settings in effect now (immutable; change them with ``update_settings``)."""
        return self.settings_source()

    def update_settings(self, new: Settings | None = None, **changes: Any) -> Settings:
        """Save new settings, then put them in effect everywhere; a failed save changes nothing."""
        weekly_before = self.settings.notifications.weekly_report
        saved = self.settings_source.replace(new if new is not None else self.settings.changed(**changes))
        if not saved.traces.enabled:
            from app.insights.otlp import forget_cursor

            forget_cursor(self.home)
        elif self._engines:  # configured while engines run here: start exporting now
            self.start_trace_export()
        if saved.notifications.weekly_report or weekly_before:  # the setting and its schedule agree
            from app.insights.weekly import sync_weekly_report

            sync_weekly_report(self.schedules, on=saved.notifications.weekly_report)
        return saved

    # -- parts, built on first use --------------------------------------------------
    @cached_property
    def routing(self) -> RoutingService:
        from app.routing.service import RoutingService

        return RoutingService(self.db)

    @cached_property
    def teams(self) -> TeamCatalogue:
        """The team catalogue: the six built-in teams and the founder's, as everything sees them."""
        from app.routing.service import TeamCatalogue

        return TeamCatalogue(self.routing)

    @cached_property
    def tasks(self) -> TaskService:
        from app.tasks.service import TaskService

        return TaskService(self.db, teams=self.teams.names)

    @cached_property
    def plans(self) -> PlanService:
        """The founder's plan edits, and the plans the planner learns from."""
        from app.tasks.plans import PlanService

        return PlanService(self.db, teams=self.teams.names)

    @cached_property
    def router(self) -> RouterSource:
        from app.routing.service import RouterSource

        return RouterSource(self.db)

    @cached_property
    def models(self) -> ModelPool:
        from app.llm.pool import ModelPool

        return ModelPool(self.settings_source, home=self.home, teams=self.teams)

    def engine(self, *, on_stream: StreamCallback | None = None, engine_id: str | None = None,
               lease_seconds: float = 60.0) -> Engine:
        from app.engine.engine import Engine, EngineDeps

        if self._presence is None:  # engines run here now: restore waits; today's backup exists
            self._presence = EnginePresence(self.home)
            self.daily_backup()
        relay = self.relay_link()
        engine = Engine(EngineDeps(db=self.db, settings=self.settings_source, teams=self.teams, router=self.router,
                                   backend_for=self.models.backend_for, on_stream=on_stream,
                                   paused=lambda: self.paused, plan_examples=self.plans.examples,
                                   offload=relay.offload_for if relay is not None else None,
                                   grounding=self.grounding),
                        engine_id=engine_id, lease_seconds=lease_seconds)
        self._engines.append(engine)
        self.start_trace_export()
        return engine

    def start_trace_export(self) -> TraceExportLoop | None:
        """Export finished tasks' traces to the founder's OpenTelemetry collector, only when one is configured."""
        if self._trace_export is None and self.settings.traces.enabled:
            from app.insights.otlp import TraceExportLoop

            self._trace_export = TraceExportLoop(self.db, self.home, self.settings_source).start()
        return self._trace_export

    def daily_backup(self) -> Path | None:
        """Today's backup in backups/ unless it exists (the last seven are kept); cheap after the first."""
        from app.store.backup import daily_backup

        return daily_backup(self.home, self.db.path)

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

    @cached_property
    def profile(self) -> ProfileStore:
        """The founder's company profile (``company.json``)."""
        from app.knowledge.profile import ProfileStore

        return ProfileStore(self.home)

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        """The founder's knowledge base: files indexed for search (SQLite FTS5)."""
        from app.knowledge.index import KnowledgeBase

        return KnowledgeBase(self.db)

    @cached_property
    def grounding(self) -> Grounder:
        """What the engine asks before and after a step: facts to give, drafts to keep, claims to check."""
        from app.knowledge.ground import Grounder

        return Grounder(self.db, self.knowledge, self.profile, self.outbound)

    @cached_property
    def outbound(self) -> OutboundService:
        """Drafts meant for someone outside, held until the founder approves that exact text."""
        from app.knowledge.outbound import OutboundService

        return OutboundService(self.db, self.home)

    @cached_property
    def schedules(self) -> ScheduleService:
        from app.schedules.service import ScheduleService

        return ScheduleService(self.db, self.tasks, material=self.schedule_material)

    def schedule_material(self, row: ScheduleRow) -> tuple[Attachment, ...]:
        """Files a schedule's task gets as it fires: the weekly report's figures of the week."""
        from app.insights.weekly import weekly_material

        return weekly_material(self.db, row)

    @cached_property
    def repos(self) -> RepoService:
        """The founder's linked git repositories (code and DevOps work happens in them)."""
        from app.workspace.repos import RepoService

        return RepoService(self.db)

    @cached_property
    def deliveries(self) -> DeliveryService:
        """Diffs of workspace tasks: view, export as a patch, apply to the founder's branch."""
        from app.workspace.delivery import DeliveryService

        return DeliveryService(self.db)

    def start_schedules(self, *, name: str | None = None) -> SchedulerLoop:
        """Fire schedules on a background thread until ``close`` (the app and `bureau run` start it)."""
        from app.engine.store import engine_name
        from app.schedules.scheduler import Scheduler, SchedulerLoop

        loop = SchedulerLoop(Scheduler(self.db, self.tasks, name=name or engine_name(),
                                       material=self.schedule_material))
        self._schedulers.append(loop)
        loop.start()
        return loop

    # -- the one pause switch ---------------------------------------------------------
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
        if self._trace_export is not None:  # sends what finished so far (bounded), then stops
            self._trace_export.stop()
            self._trace_export = None
        if self._relay is not None:
            self._relay.stop()
        if "models" in self.__dict__:
            self.models.close()
        self.db.close()
        if self._presence is not None:
            self._presence.release()
            self._presence = None
