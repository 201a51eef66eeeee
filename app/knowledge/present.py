"""What a task's detail shows of the founder's material: profile facts used, sections given, drafts."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from app.knowledge.outbound import _COLUMNS, Draft


@dataclass(frozen=True)
class TaskGrounding:
    profile_facts: tuple[dict[str, str], ...] = ()  # {field, label, text}, each once
    sources: tuple[dict[str, str], ...] = ()  # {source, section} the steps were given
    drafts: tuple[Draft, ...] = ()


def task_grounding(conn: sqlite3.Connection, task_id: int) -> TaskGrounding:
    """From the step journal (what each work step was given) and the outbound drafts of the task."""
    facts: dict[str, dict[str, str]] = {}
    sources: dict[tuple[str, str], dict[str, str]] = {}
    for (raw,) in conn.execute("SELECT input FROM step WHERE task_id = ? AND kind = 'work' ORDER BY id", (task_id,)):
        record = json.loads(raw or "{}").get("grounding") or {}
        for f in record.get("profile_facts", []):
            facts[f["field"]] = f
        for s in record.get("sources", []):
            sources[(s["source"], s["section"])] = {"source": s["source"], "section": s["section"]}
    drafts = tuple(Draft.of(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM outbound WHERE task_id = ? ORDER BY id",
                                                     (task_id,)))
    return TaskGrounding(tuple(facts.values()), tuple(sources.values()), drafts)


def outbound_json(d: Draft) -> dict[str, Any]:
    return {"id": d.id, "channel": d.channel, "recipients": list(d.recipients), "subject": d.subject,
            "body": d.body, "status": d.status, "approved": d.approved, "error": d.error}
