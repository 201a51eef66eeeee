"""Routing that learns: the founder's corrections, examples, keywords and own teams.

``RouterSource`` hands the engine a router that includes everything stored;
``RoutingService`` is what the CLI and the GUI call to see and change it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from agents.routing.router import RoutingExample, Router, TeamProfile, builtin_team_profiles
from app.core.errors import InvalidInput, NotFound
from app.store.db import Database, sql_ts, utcnow
from app.store.rows import RoutingExampleRow, TeamProfileRow
from app.core.validation import clean_task_text
from teams import TEAMS
from teams.base import TeamSpec, custom_team

_TEAM_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,29}$")


@dataclass(frozen=True)
class TeamInfo:
    name: str
    description: str
    keywords: tuple[str, ...]
    builtin: bool


@dataclass(frozen=True)
class TeamRemoval:
    """What removing a team did: its routing examples go with it; finished tasks keep its name as history."""

    name: str
    examples_removed: int
    finished_tasks: int


class RoutingService:
    """The founder's routing data: examples (incl. corrections), keywords, added teams."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- teams --------------------------------------------------------------------
    def teams(self) -> dict[str, TeamSpec]:
        """Every team tasks can go to: the six built-in ones and the founder's."""
        specs: dict[str, TeamSpec] = dict(TEAMS)
        for row in self._profile_rows():
            if not row.builtin and row.description:
                specs[row.name] = custom_team(row.name, row.description)
        return specs

    def team_names(self) -> tuple[str, ...]:
        return tuple(self.teams())

    def team_infos(self) -> list[TeamInfo]:
        rows = {r.name: r for r in self._profile_rows()}
        infos = []
        for name, spec in self.teams().items():
            row = rows.get(name)
            infos.append(TeamInfo(name=name, description=spec.owns,
                                  keywords=tuple(json.loads(row.keywords)) if row else (),
                                  builtin=not spec.custom))
        return infos

    def add_team(self, name: str, *, description: str, keywords: tuple[str, ...] = ()) -> TeamInfo:
        name = name.strip().lower()
        if not _TEAM_NAME.match(name):
            raise InvalidInput(f"{name!r} is not a usable team name.",
                               fix="Use 2-30 lowercase letters, digits, '-' or '_', starting with a letter.")
        if name in TEAMS:
            raise InvalidInput(f"{name} is a built-in team.", fix="Add keywords to it with `bureau teams keywords`.")
        description = _description(description)
        with self.db.raw_write() as conn:
            if TeamProfileRow.select(conn, "name = ?", (name,), order=""):
                raise InvalidInput(f"A team called {name} exists already.", fix="Choose another name.")
            conn.execute("INSERT INTO team_profile (name, description, keywords, builtin, created_at) "
                         "VALUES (?, ?, ?, 0, ?)", (name, description, json.dumps(_clean_keywords(keywords)),
                                                    sql_ts(utcnow())))
        return TeamInfo(name=name, description=description, keywords=tuple(_clean_keywords(keywords)), builtin=False)

    def add_keywords(self, team: str, keywords: tuple[str, ...]) -> TeamInfo:
        team = self._known_team(team)
        cleaned = _clean_keywords(keywords)
        if not cleaned:
            raise InvalidInput("No keywords given.", fix="Give one or more words or phrases.")
        with self.db.raw_write() as conn:
            rows = TeamProfileRow.select(conn, "name = ?", (team,), order="")
            if not rows:
                conn.execute("INSERT INTO team_profile (name, keywords, builtin, created_at) VALUES (?, '[]', ?, ?)",
                             (team, int(team in TEAMS), sql_ts(utcnow())))
            merged = list(dict.fromkeys([*(json.loads(rows[0].keywords) if rows else []), *cleaned]))
            conn.execute("UPDATE team_profile SET keywords = ? WHERE name = ?", (json.dumps(merged), team))
        return next(i for i in self.team_infos() if i.name == team)

    def remove_team(self, name: str) -> TeamRemoval:
        """Remove a team the founder added, with its routing examples; refused while it has open tasks."""
        if name in TEAMS:
            raise InvalidInput(f"{name} is a built-in team and cannot be removed.", fix="Remove only teams you added.")
        with self.db.raw_write() as conn:
            rows = TeamProfileRow.select(conn, "name = ?", (name,), order="")
            if not rows or rows[0].builtin:
                raise NotFound(f"There is no team {name} that you added.", fix="List them with `bureau teams list`.")
            active = conn.execute(
                "SELECT COUNT(*) FROM task WHERE COALESCE(team, requested_team) = ? "
                "AND status NOT IN ('done', 'failed', 'cancelled')", (name,)).fetchone()[0]
            if active:
                raise InvalidInput(f"{active} open task(s) belong to {name} or were asked of it.",
                                   fix=f"Reassign, finish or cancel them first (`bureau tasks --team {name}`); "
                                       "nothing was removed.")
            finished = conn.execute("SELECT COUNT(*) FROM task WHERE COALESCE(team, requested_team) = ?",
                                    (name,)).fetchone()[0]
            examples = conn.execute("DELETE FROM routing_example WHERE team = ?", (name,)).rowcount
            conn.execute("DELETE FROM team_profile WHERE name = ?", (name,))
        return TeamRemoval(name=name, examples_removed=int(examples or 0), finished_tasks=int(finished or 0))

    # -- examples -----------------------------------------------------------------
    def examples(self) -> list[RoutingExampleRow]:
        with self.db.raw_read() as conn:
            return RoutingExampleRow.select(conn)

    def add_example(self, text: str, team: str) -> RoutingExampleRow:
        text, team = clean_task_text(text), self._known_team(team)
        with self.db.raw_write() as conn:
            cursor = conn.execute("INSERT INTO routing_example (text, team, source, created_at) "
                                  "VALUES (?, ?, 'founder', ?)", (text, team, sql_ts(utcnow())))
            return RoutingExampleRow.select(conn, "id = ?", (cursor.lastrowid,))[0]

    def remove_example(self, example_id: int) -> None:
        with self.db.raw_write() as conn:
            if not conn.execute("DELETE FROM routing_example WHERE id = ?", (example_id,)).rowcount:
                raise NotFound(f"There is no routing example {example_id}.", fix="List them with `bureau routing list`.")

    def export(self, path: Path) -> int:
        """Write examples and corrections as JSON Lines (the format `bureau route --file` reads)."""
        rows = self.examples()
        lines = [json.dumps({"text": r.text, "team": r.team, "source": r.source}, ensure_ascii=False) for r in rows]
        path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
        return len(rows)

    # -- helpers ------------------------------------------------------------------
    def _profile_rows(self) -> list[TeamProfileRow]:
        with self.db.raw_read() as conn:
            return TeamProfileRow.select(conn, order="rowid")

    def _known_team(self, team: str) -> str:
        name = team.strip().lower()
        if name not in self.teams():
            raise InvalidInput(f"Unknown team {team!r}.", fix=f"Use one of: {', '.join(self.team_names())}.")
        return name


class RouterSource:
    """Hands out a router that includes everything the founder stored; rebuilt when it changes."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._router: Router | None = None
        self._version: tuple[object, ...] | None = None

    def __call__(self) -> Router:
        with self.db.raw_read() as conn:
            version = tuple(conn.execute(
                "SELECT (SELECT COUNT(*) FROM routing_example), (SELECT COALESCE(MAX(id), 0) FROM routing_example), "
                "(SELECT COUNT(*) FROM plan_example), "
                "(SELECT group_concat(name || ':' || length(keywords) || ':' || keywords, '|') FROM team_profile)"
            ).fetchone())
        with self._lock:
            if self._router is None or version != self._version:
                self._router = self._build()
                self._version = version
            return self._router

    def _build(self) -> Router:
        service = RoutingService(self.db)
        extra = {i.name: i for i in service.team_infos()}
        profiles = [TeamProfile(name=p.name, description=p.description,
                                keywords=extra[p.name].keywords if p.name in extra else ())
                    for p in builtin_team_profiles()]
        profiles += [TeamProfile(name=i.name, description=i.description, keywords=i.keywords)
                     for i in extra.values() if not i.builtin]
        examples = [RoutingExample(text=r.text, team=r.team, source=r.source) for r in service.examples()]
        examples += _plan_step_examples(self.db)
        return Router(profiles, examples=examples)


def _plan_step_examples(db: Database) -> list[RoutingExample]:
    """Each step of a plan the founder set teaches the router which team that kind of work belongs to."""
    with db.raw_read() as conn:
        rows = conn.execute("SELECT plan FROM plan_example ORDER BY id").fetchall()
    out: list[RoutingExample] = []
    for (raw,) in rows:
        try:
            steps = json.loads(raw).get("steps", [])
        except (ValueError, AttributeError):
            continue
        if len(steps) < 2:
            continue  # a one-step plan is a reassignment, taught already as a correction
        out += [RoutingExample(text=str(st["text"]), team=str(st["team"]), source="founder")
                for st in steps if isinstance(st, dict) and st.get("text") and st.get("team")]
    return out


def _clean_keywords(keywords: tuple[str, ...] | list[str]) -> list[str]:
    cleaned = [k.strip().lower() for k in keywords if k and k.strip()]
    for k in cleaned:
        if len(k) > 80:
            raise InvalidInput(f"The keyword {k[:20]!r}... is too long.", fix="Use words or short phrases.")
    return cleaned


class TeamCatalogue(Mapping[str, TeamSpec]):
    """The one list of teams everything uses: the six built-in teams and the founder's, read live.

    Routing, model roles, plan order, the task service and the GUI all take it, so a team the
    founder adds is a team everywhere at once.
    """

    def __init__(self, service: RoutingService) -> None:
        self.service = service

    def names(self) -> tuple[str, ...]:
        return self.service.team_names()

    def __getitem__(self, name: str) -> TeamSpec:
        if name in TEAMS:
            return TEAMS[name]
        return self.service.teams()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.service.teams())

    def __len__(self) -> int:
        return len(self.service.teams())


def _description(text: str) -> str:
    """A team's charter: the same checks as a task's text, in words about a description."""
    if text is None or not text.strip():
        raise InvalidInput("The team's description is empty.",
                           fix='Say what the team owns, e.g. --description "contracts, NDAs, privacy policy".')
    try:
        return clean_task_text(text)
    except InvalidInput as exc:
        raise InvalidInput(exc.message.replace("The task text", "The team's description"), fix=exc.fix) from None
