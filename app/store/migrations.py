"""Numbered schema migrations, recorded in ``schema_migrations`` and applied at start.

Append new migrations to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
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
)


def apply_migrations(conn: sqlite3.Connection) -> list[int]:
    """Apply every migration not yet recorded; each in its own IMMEDIATE transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied: list[int] = []
    for migration in MIGRATIONS:
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
