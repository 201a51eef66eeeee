"""The desktop's relay records: paired devices and runners, and the dedupe table of applied commands."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.core.errors import NotFound
from app.store.db import Database, sql_ts, utcnow


@dataclass(frozen=True)
class PairedDevice:
    id: str
    name: str
    kind: str  # "device" or "runner"
    public_key: str
    paired_at: str
    last_seen: str | None
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class InboxEntry:
    message_id: str
    device_id: str
    kind: str
    state: str  # "received" (being applied) or "applied"
    result: dict[str, Any] | None
    received_at: str


_COLS = "id, name, kind, public_key, paired_at, last_seen, revoked_at"


class RelayRecords:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- devices -----------------------------------------------------------------
    def add_device(self, device_id: str, *, name: str, kind: str, public_key: str) -> None:
        with self.db.raw_write() as c:
            c.execute("INSERT INTO relay_device (id, name, kind, public_key, paired_at) VALUES (?, ?, ?, ?, ?)",
                      (device_id, name, kind, public_key, sql_ts(utcnow())))

    def devices(self, *, include_revoked: bool = True) -> list[PairedDevice]:
        with self.db.raw_read() as c:
            rows = c.execute(f"SELECT {_COLS} FROM relay_device ORDER BY paired_at").fetchall()
        found = [PairedDevice(*r) for r in rows]
        return found if include_revoked else [d for d in found if d.active]

    def device(self, ref: str) -> PairedDevice:
        """A device by id or by name."""
        matches = [d for d in self.devices() if ref in (d.id, d.name)]
        if not matches:
            raise NotFound(f"There is no paired device {ref!r}.", fix="List them with `bureau relay devices`.")
        active = [d for d in matches if d.active]
        return (active or matches)[0]

    def revoke(self, device_id: str) -> None:
        with self.db.raw_write() as c:
            c.execute("UPDATE relay_device SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                      (sql_ts(utcnow()), device_id))

    def seen(self, device_id: str, counter: int) -> None:
        with self.db.raw_write() as c:
            c.execute("UPDATE relay_device SET last_seen = ?, last_counter = MAX(last_counter, ?) WHERE id = ?",
                      (sql_ts(utcnow()), counter, device_id))

    def counters(self) -> dict[str, int]:
        with self.db.raw_read() as c:
            return {str(i): int(n) for i, n in c.execute("SELECT id, last_counter FROM relay_device")}

    # -- the dedupe table ----------------------------------------------------------
    def inbox(self, message_id: str) -> InboxEntry | None:
        with self.db.raw_read() as c:
            row = c.execute("SELECT message_id, device_id, kind, state, result, received_at FROM relay_inbox "
                            "WHERE message_id = ?", (message_id,)).fetchone()
        if row is None:
            return None
        return InboxEntry(row[0], row[1], row[2], row[3], json.loads(row[4]) if row[4] else None, row[5])

    def receive(self, message_id: str, *, device_id: str, kind: str) -> bool:
        """Record that the message is being applied; False when it was seen before."""
        with self.db.raw_write() as c:
            cur = c.execute("INSERT OR IGNORE INTO relay_inbox (message_id, device_id, kind, state, received_at) "
                            "VALUES (?, ?, ?, 'received', ?)", (message_id, device_id, kind, sql_ts(utcnow())))
            return cur.rowcount == 1

    def applied(self, message_id: str, result: dict[str, Any]) -> None:
        with self.db.raw_write() as c:
            c.execute("UPDATE relay_inbox SET state = 'applied', result = ?, applied_at = ? WHERE message_id = ?",
                      (json.dumps(result, default=str), sql_ts(utcnow()), message_id))

    def applied_count(self) -> int:
        with self.db.raw_read() as c:
            return int(c.execute("SELECT COUNT(*) FROM relay_inbox WHERE state = 'applied'").fetchone()[0])

    def task_from_message(self, message_id: str) -> int | None:
        """The task a remote submit created (its source names the message), if it was committed."""
        with self.db.raw_read() as c:
            row = c.execute("SELECT id FROM task WHERE source = ?", (source_for(message_id),)).fetchone()
        return int(row[0]) if row else None


    def device_for_task(self, task_id: int) -> str | None:
        """The device whose remote submit created the task, if one did."""
        with self.db.raw_read() as c:
            row = c.execute("SELECT i.device_id FROM task t JOIN relay_inbox i ON t.source = 'relay:' || i.message_id "
                            "WHERE t.id = ? AND t.source LIKE 'relay:%'", (task_id,)).fetchone()
        return str(row[0]) if row else None


def source_for(message_id: str) -> str:
    """A remote submit's task source: ties the task to the message, so a crash cannot apply it twice."""
    return f"relay:{message_id}"
