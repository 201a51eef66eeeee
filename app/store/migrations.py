"""Numbered schema migrations, recorded in ``schema_migrations`` and applied at start.

Append new migrations to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from app.store.migration_knowledge import KNOWLEDGE_SQL
from app.store.migration_workspace import WORKSPACE_SQL


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


# Insights (migration 8). Upper bounds in seconds of the cycle-time buckets; the last bucket is open.
CYCLE_BUCKET_EDGES: tuple[float, ...] = (60.0, 300.0, 900.0, 3600.0, 14400.0, 86400.0, 259200.0)
NO_TEAM = "(no team)"
_CORRECTION_ACTIONS = "('reassign', 'edit_plan')"


def _upsert(table: str, keys: tuple[str, ...], values: dict[str, str], source: str = "") -> str:
    """INSERT one row of counters into a rollup ``table``, adding to the row that is there."""
    return (f"INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join(values.values())} "
            f"{source or 'WHERE true'} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            + ", ".join(f"{c} = {c} + excluded.{c}" for c in values if c not in keys) + ";")


def _clock_trigger(name: str, table: str) -> str:
    """A trigger that runs a task's clock and the daily rollups forward on each status event in ``table``.

    Time in the status being left goes to its bucket; the first delivery freezes the cycle
    time and its parts and counts into ``stat_day`` and ``stat_cycle``. Seconds are julianday
    differences of the stored UTC text timestamps.
    """
    dt = "(julianday(NEW.created_at) - julianday(since)) * 86400.0"
    day = "substr(NEW.created_at, 1, 10)"
    cycle = "(julianday(NEW.created_at) - julianday(c.created_at)) * 86400.0"
    bucket = "CASE " + " ".join(f"WHEN {cycle} < {edge} THEN {i}" for i, edge in enumerate(CYCLE_BUCKET_EDGES)) \
        + f" ELSE {len(CYCLE_BUCKET_EDGES)} END"
    first = "FROM task_clock c WHERE c.task_id = NEW.task_id AND NEW.status = 'delivered' AND c.delivered_at IS NULL"
    return f"""
        CREATE TRIGGER {name} AFTER INSERT ON {table}
        WHEN NEW.kind = 'status' AND NEW.task_id IS NOT NULL
        BEGIN
            INSERT OR IGNORE INTO task_clock (task_id, team, status, since, created_at)
                SELECT id, team, 'inbox', created_at, created_at FROM task WHERE id = NEW.task_id;
            {_upsert("stat_day", ("day", "team"), {
                "day": day, "team": "c.team", "accepted": "NEW.status = 'done'", "failed": "NEW.status = 'failed'",
                "cancelled": "NEW.status = 'cancelled'",
                "founder_reworks": "(c.status = 'delivered' AND NEW.status = 'rework')"},
                "FROM task_clock c WHERE c.task_id = NEW.task_id "
                "AND NEW.status IN ('done', 'failed', 'cancelled', 'rework')")}
            {_status_move("c.team", "c.status", "-1", "FROM task_clock c WHERE c.task_id = NEW.task_id")}
            {_status_move("c.team", "NEW.status", "1", "FROM task_clock c WHERE c.task_id = NEW.task_id")}
            UPDATE task_clock SET
                queue_s = queue_s + CASE WHEN status IN ('inbox', 'queued', 'rework') THEN {dt} ELSE 0 END,
                work_s = work_s + CASE WHEN status = 'running' THEN {dt} ELSE 0 END,
                review_s = review_s + CASE WHEN status = 'in_review' THEN {dt} ELSE 0 END,
                founder_s = founder_s + CASE WHEN status IN ('needs_decision', 'delivered') THEN {dt} ELSE 0 END,
                stopped_s = stopped_s + CASE WHEN status IN ('failed', 'cancelled') THEN {dt} ELSE 0 END,
                ceo_reworks = ceo_reworks + (status = 'in_review' AND NEW.status = 'rework'),
                founder_reworks = founder_reworks + (status = 'delivered' AND NEW.status = 'rework'),
                retries = retries + (status IN ('running', 'in_review') AND NEW.status = 'queued'),
                done_at = CASE WHEN NEW.status = 'done' THEN NEW.created_at ELSE done_at END,
                failed_at = CASE WHEN NEW.status = 'failed' THEN NEW.created_at ELSE failed_at END,
                cancelled_at = CASE WHEN NEW.status = 'cancelled' THEN NEW.created_at ELSE cancelled_at END,
                status = NEW.status, since = NEW.created_at
            WHERE task_id = NEW.task_id;
            {_upsert("stat_day", ("day", "team"), {
                "day": day, "team": "c.team", "delivered": "1", "cycle_s": cycle, "queue_s": "c.queue_s",
                "work_s": "c.work_s", "review_s": "c.review_s", "founder_s": "c.founder_s",
                "stopped_s": "c.stopped_s", "ceo_reworks": "c.ceo_reworks", "first_pass": "c.ceo_reworks = 0",
                "reworked": "c.ceo_reworks > 0"}, first)}
            {_upsert("stat_cycle", ("day", "team", "bucket"), {
                "day": day, "team": "c.team", "bucket": bucket, "tasks": "1", "queue_s": "c.queue_s",
                "work_s": "c.work_s", "review_s": "c.review_s", "founder_s": "c.founder_s",
                "stopped_s": "c.stopped_s"}, first)}
            UPDATE task_clock SET
                delivered_at = NEW.created_at,
                cycle_s = (julianday(NEW.created_at) - julianday(created_at)) * 86400.0,
                cycle_queue_s = queue_s, cycle_work_s = work_s, cycle_review_s = review_s,
                cycle_founder_s = founder_s, cycle_stopped_s = stopped_s
            WHERE task_id = NEW.task_id AND NEW.status = 'delivered' AND delivered_at IS NULL;
        END;
    """


def _status_move(team: str, status: str, n: str, source: str) -> str:
    """Count a task in (``n`` = 1) or out of (-1) ``status`` in the rollup of current statuses by creation day."""
    return _upsert("stat_status", ("day", "team", "status"), {
        "day": "substr(c.created_at, 1, 10)", "team": team, "status": status, "tasks": n}, source)


def _step_usage(when: str) -> str:
    return _upsert("stat_usage", ("day", "team", "model"), {
        "day": "substr(NEW.finished_at, 1, 10)", "team": "NEW.team", "model": "COALESCE(NEW.model, '?')",
        "steps": "1", "attempts": "NEW.attempts", "tokens_in": "NEW.tokens_in", "tokens_out": "NEW.tokens_out",
        "model_s": "MAX(0, (julianday(NEW.finished_at) - julianday(NEW.started_at)) * 86400.0)"}, when)


_PARTS_COLUMNS = ("queue_s REAL NOT NULL DEFAULT 0, work_s REAL NOT NULL DEFAULT 0, review_s REAL NOT NULL DEFAULT 0, "
                  "founder_s REAL NOT NULL DEFAULT 0, stopped_s REAL NOT NULL DEFAULT 0")
_TEAM_OF = f"COALESCE(team, '{NO_TEAM}')"

_INSIGHTS = f"""
    CREATE TABLE task_clock (
        task_id INTEGER PRIMARY KEY REFERENCES task(id) ON DELETE CASCADE,
        team TEXT NOT NULL DEFAULT '{NO_TEAM}',
        status TEXT NOT NULL,
        since DATETIME NOT NULL,
        created_at DATETIME NOT NULL,
        delivered_at DATETIME,
        done_at DATETIME,
        failed_at DATETIME,
        cancelled_at DATETIME,
        {_PARTS_COLUMNS},
        ceo_reworks INTEGER NOT NULL DEFAULT 0,
        founder_reworks INTEGER NOT NULL DEFAULT 0,
        retries INTEGER NOT NULL DEFAULT 0,
        cycle_s REAL,
        cycle_queue_s REAL,
        cycle_work_s REAL,
        cycle_review_s REAL,
        cycle_founder_s REAL,
        cycle_stopped_s REAL
    );
    CREATE INDEX ix_clock_delivered ON task_clock(delivered_at, team);
    CREATE INDEX ix_clock_cycle ON task_clock(cycle_s, delivered_at, team) WHERE cycle_s IS NOT NULL;
    CREATE TABLE stat_status (
        day TEXT NOT NULL,
        team TEXT NOT NULL,
        status TEXT NOT NULL,
        tasks INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, team, status)
    ) WITHOUT ROWID;
    CREATE TABLE stat_day (
        day TEXT NOT NULL,
        team TEXT NOT NULL,
        created INTEGER NOT NULL DEFAULT 0,
        delivered INTEGER NOT NULL DEFAULT 0,
        accepted INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        cancelled INTEGER NOT NULL DEFAULT 0,
        cycle_s REAL NOT NULL DEFAULT 0,
        {_PARTS_COLUMNS},
        ceo_reworks INTEGER NOT NULL DEFAULT 0,
        first_pass INTEGER NOT NULL DEFAULT 0,
        reworked INTEGER NOT NULL DEFAULT 0,
        founder_reworks INTEGER NOT NULL DEFAULT 0,
        ceo_decisions INTEGER NOT NULL DEFAULT 0,
        corrections INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, team)
    ) WITHOUT ROWID;
    CREATE TABLE stat_cycle (
        day TEXT NOT NULL,
        team TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        tasks INTEGER NOT NULL DEFAULT 0,
        {_PARTS_COLUMNS},
        PRIMARY KEY (day, team, bucket)
    ) WITHOUT ROWID;
    CREATE TABLE stat_usage (
        day TEXT NOT NULL,
        team TEXT NOT NULL,
        model TEXT NOT NULL,
        steps INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        tokens_in INTEGER NOT NULL DEFAULT 0,
        tokens_out INTEGER NOT NULL DEFAULT 0,
        model_s REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (day, team, model)
    ) WITHOUT ROWID;
    INSERT INTO task_clock (task_id, team, status, since, created_at)
        SELECT id, {_TEAM_OF}, 'inbox', created_at, created_at FROM task;
    INSERT INTO stat_day (day, team, created)
        SELECT substr(created_at, 1, 10) AS d, {_TEAM_OF} AS tm, COUNT(*) FROM task GROUP BY d, tm;
    INSERT INTO stat_status (day, team, status, tasks)
        SELECT substr(created_at, 1, 10) AS d, {_TEAM_OF} AS tm, 'inbox', COUNT(*) FROM task GROUP BY d, tm;
    INSERT INTO stat_day (day, team, ceo_decisions, corrections)
        SELECT substr(d.created_at, 1, 10) AS dy, COALESCE(t.team, d.team, '{NO_TEAM}') AS tm,
               TOTAL(d.kind = 'route'), TOTAL(d.kind = 'founder') FROM decision d JOIN task t ON t.id = d.task_id
        WHERE d.kind = 'route' OR (d.kind = 'founder' AND json_extract(d.payload, '$.action') IN {_CORRECTION_ACTIONS})
        GROUP BY dy, tm
        ON CONFLICT (day, team) DO UPDATE SET ceo_decisions = ceo_decisions + excluded.ceo_decisions,
            corrections = corrections + excluded.corrections;
    INSERT INTO stat_usage (day, team, model, steps, attempts, tokens_in, tokens_out, model_s)
        SELECT substr(finished_at, 1, 10) AS d, team, COALESCE(model, '?') AS m, COUNT(*), SUM(attempts),
               SUM(tokens_in), SUM(tokens_out), TOTAL(MAX(0, (julianday(finished_at) - julianday(started_at)) * 86400.0))
        FROM step WHERE status = 'done' AND finished_at IS NOT NULL GROUP BY d, team, m;
    CREATE TABLE clock_replay (id INTEGER PRIMARY KEY, task_id INTEGER, kind TEXT, status TEXT, created_at DATETIME);
    {_clock_trigger("clock_replay_status", "clock_replay")}
    INSERT INTO clock_replay SELECT id, task_id, kind, status, created_at FROM event
        WHERE kind = 'status' AND task_id IN (SELECT id FROM task) ORDER BY id;
    DROP TABLE clock_replay;
    {_clock_trigger("task_clock_status", "event")}
    CREATE TRIGGER task_clock_new AFTER INSERT ON task
    BEGIN
        INSERT OR IGNORE INTO task_clock (task_id, team, status, since, created_at)
            VALUES (NEW.id, COALESCE(NEW.team, '{NO_TEAM}'), NEW.status, NEW.created_at, NEW.created_at);
        {_upsert("stat_day", ("day", "team"), {"day": "substr(NEW.created_at, 1, 10)",
                                               "team": f"COALESCE(NEW.team, '{NO_TEAM}')", "created": "1"})}
        {_status_move("c.team", "c.status", "1", "FROM task_clock c WHERE c.task_id = NEW.id")}
    END;
    CREATE TRIGGER task_clock_team AFTER UPDATE OF team ON task WHEN NEW.team IS NOT OLD.team
    BEGIN
        {_status_move("c.team", "c.status", "-1", "FROM task_clock c WHERE c.task_id = NEW.id")}
        UPDATE task_clock SET team = COALESCE(NEW.team, '{NO_TEAM}') WHERE task_id = NEW.id;
        {_status_move("c.team", "c.status", "1", "FROM task_clock c WHERE c.task_id = NEW.id")}
        {_upsert("stat_day", ("day", "team"), {"day": "substr(NEW.created_at, 1, 10)",
                                               "team": f"COALESCE(OLD.team, '{NO_TEAM}')", "created": "-1"})}
        {_upsert("stat_day", ("day", "team"), {"day": "substr(NEW.created_at, 1, 10)",
                                               "team": f"COALESCE(NEW.team, '{NO_TEAM}')", "created": "1"})}
    END;
    CREATE TRIGGER stat_decision AFTER INSERT ON decision
    WHEN NEW.kind = 'route' OR (NEW.kind = 'founder' AND json_extract(NEW.payload, '$.action') IN {_CORRECTION_ACTIONS})
    BEGIN
        {_upsert("stat_day", ("day", "team"), {
            "day": "substr(NEW.created_at, 1, 10)",
            "team": f"COALESCE((SELECT team FROM task WHERE id = NEW.task_id), NEW.team, '{NO_TEAM}')",
            "ceo_decisions": "NEW.kind = 'route'", "corrections": "NEW.kind = 'founder'"})}
    END;
    CREATE TRIGGER stat_step_insert AFTER INSERT ON step WHEN NEW.status = 'done' AND NEW.finished_at IS NOT NULL
    BEGIN
        {_step_usage("WHERE true")}
    END;
    CREATE TRIGGER stat_step_done AFTER UPDATE OF status ON step
    WHEN NEW.status = 'done' AND OLD.status IS NOT 'done' AND NEW.finished_at IS NOT NULL
    BEGIN
        {_step_usage("WHERE true")}
    END;
"""


_ALL: tuple[Migration, ...] = (
    Migration(
        1,
        "initial schema",
        """
        CREATE TABLE task (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'inbox',
            priority TEXT NOT NULL DEFAULT 'normal',
            due DATE,
            team TEXT,
            requested_team TEXT,
            confidence REAL,
            sensitive BOOLEAN NOT NULL DEFAULT 0,
            round INTEGER NOT NULL DEFAULT 0,
            waiting_reason TEXT,
            source TEXT NOT NULL DEFAULT 'cli',
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            claimed_by TEXT,
            lease_until DATETIME,
            recoveries INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_task_status ON task(status, priority, id);
        CREATE TABLE decision (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            team TEXT,
            confidence REAL,
            rationale TEXT NOT NULL DEFAULT '',
            payload TEXT NOT NULL DEFAULT '{}',
            created_at DATETIME NOT NULL
        );
        CREATE INDEX ix_decision_task ON decision(task_id, id);
        CREATE TABLE step (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            team TEXT NOT NULL,
            role TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'work',
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            model TEXT,
            tokens_in INTEGER NOT NULL DEFAULT 0,
            tokens_out INTEGER NOT NULL DEFAULT 0,
            started_at DATETIME,
            finished_at DATETIME,
            output TEXT,
            error TEXT,
            input TEXT NOT NULL DEFAULT '{}',
            UNIQUE (task_id, key)
        );
        CREATE TABLE artifact (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            idem_key TEXT NOT NULL UNIQUE,
            created_at DATETIME NOT NULL
        );
        CREATE TABLE event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id INTEGER,
            kind TEXT NOT NULL,
            status TEXT,
            payload TEXT NOT NULL DEFAULT '{}',
            created_at DATETIME NOT NULL
        );
        CREATE INDEX ix_event_task ON event(task_id, id);
        CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TABLE routing_example (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            team TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'correction',
            task_id INTEGER,
            created_at DATETIME NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "founder teams and routing keywords; per-task budgets",
        """
        CREATE TABLE team_profile (
            name TEXT PRIMARY KEY,
            description TEXT,
            keywords TEXT NOT NULL DEFAULT '[]',
            builtin BOOLEAN NOT NULL DEFAULT 0,
            created_at DATETIME NOT NULL
        );
        ALTER TABLE task ADD COLUMN budget TEXT NOT NULL DEFAULT '{}';
        """,
    ),
    Migration(
        4,
        "schedules and their occurrences (exactly once: one row per schedule and scheduled time)",
        """
        CREATE TABLE schedule (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            title TEXT,
            team TEXT,
            priority TEXT NOT NULL DEFAULT 'normal',
            sensitive BOOLEAN NOT NULL DEFAULT 0,
            budget TEXT NOT NULL DEFAULT '{}',
            rule TEXT NOT NULL,
            tz TEXT NOT NULL,
            catch_up TEXT NOT NULL DEFAULT 'once' CHECK (catch_up IN ('once', 'skip')),
            paused BOOLEAN NOT NULL DEFAULT 0,
            anchor DATETIME NOT NULL,
            cursor DATETIME NOT NULL,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        );
        CREATE TABLE occurrence (
            id INTEGER PRIMARY KEY,
            schedule_id INTEGER NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
            scheduled_for DATETIME NOT NULL,
            task_id INTEGER REFERENCES task(id) ON DELETE SET NULL,
            kind TEXT NOT NULL DEFAULT 'on_time',
            missed INTEGER NOT NULL DEFAULT 0,
            missed_since DATETIME,
            fired_at DATETIME NOT NULL,
            fired_by TEXT,
            UNIQUE (schedule_id, scheduled_for)
        );
        CREATE INDEX ix_occurrence_task ON occurrence(task_id);
        CREATE INDEX ix_task_due ON task(due) WHERE due IS NOT NULL;
        """,
    ),
    Migration(5, "knowledge base (files, sections, FTS5 index) and outbound drafts held for approval",
              KNOWLEDGE_SQL),
    Migration(
        9,
        "plans the founder edited: examples the planner learns from",
        """
        CREATE TABLE plan_example (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            plan TEXT NOT NULL,
            task_id INTEGER,
            created_at DATETIME NOT NULL
        );
        """,
    ),
    Migration(
        10,
        "attachments: text files the founder gives with a task",
        """
        CREATE TABLE attachment (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            content TEXT NOT NULL,
            chars INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            created_at DATETIME NOT NULL
        );
        CREATE INDEX ix_attachment_task ON attachment(task_id, id);
        """,
    ),
    Migration(8, "insights: a clock per task and daily rollups kept by triggers from the journal", _INSIGHTS),
    Migration(
        7,
        "relay: paired devices and runners; remote commands applied exactly once",
        """
        CREATE TABLE relay_device (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            public_key TEXT NOT NULL,
            paired_at DATETIME NOT NULL,
            last_seen DATETIME,
            last_counter INTEGER NOT NULL DEFAULT 0,
            revoked_at DATETIME
        );
        CREATE TABLE relay_inbox (
            message_id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            result TEXT,
            received_at DATETIME NOT NULL,
            applied_at DATETIME
        );
        """,
    ),
    Migration(6, "workspace: linked git repositories, the repository of a task, each workspace step's diff and tests",
              WORKSPACE_SQL),
)
MIGRATIONS: tuple[Migration, ...] = tuple(sorted(_ALL, key=lambda m: m.version))  # in version order


def apply_migrations(conn: sqlite3.Connection) -> list[int]:
    """Apply every migration not yet recorded; each in its own IMMEDIATE transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied: list[int] = []
    for migration in sorted(MIGRATIONS, key=lambda m: m.version):
        conn.execute("BEGIN IMMEDIATE")
        try:
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone()
            if done:
                conn.execute("COMMIT")
                continue
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
            conn.execute("COMMIT")
            applied.append(migration.version)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied


def _statements(sql: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in sql.strip().splitlines():
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
