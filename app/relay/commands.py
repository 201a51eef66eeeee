"""Remote commands, applied on the desktop exactly once through the same TaskService calls the CLI makes.

A command is recorded in ``relay_inbox`` by its message id before it is applied and marked
applied with its result after. A message seen again (JetStream redelivery after a crash, a
replay) returns the recorded result instead of running again. If the desktop died between the
action's commit and the "applied" mark, the action's own trace decides: a remote submit's task
carries ``source = relay:<message id>``; a founder action leaves a decision after the receipt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.core.errors import BureauError, InvalidInput
from app.relay.crypto import Message
from app.relay.store import RelayRecords, source_for
from app.tasks.present import detail_json, task_json
from app.tasks.service import NewTask, TaskService
from app.tasks.transitions import TRANSITIONS

KINDS = ("submit", "act", "tasks", "show")
_SUBMIT_FIELDS = ("title", "priority", "due", "team")


@dataclass(frozen=True)
class Applied:
    result: dict[str, Any]
    duplicate: bool


class CommandApplier:
    def __init__(self, tasks: TaskService, records: RelayRecords) -> None:
        self.tasks = tasks
        self.records = records

    def apply(self, msg: Message) -> Applied:
        entry = self.records.inbox(msg.mid)
        if entry is not None and entry.state == "applied":
            return Applied(entry.result or {}, duplicate=True)
        if entry is not None:  # received before a crash: did it land?
            done = self._landed(msg, entry.received_at)
            if done is not None:
                self.records.applied(msg.mid, done)
                return Applied(done, duplicate=True)
        else:
            self.records.receive(msg.mid, device_id=msg.sender, kind=msg.kind)
        result = self._run(msg)
        self.records.applied(msg.mid, result)
        self.records.seen(msg.sender, msg.counter)
        return Applied(result, duplicate=False)

    def _landed(self, msg: Message, received_at: str) -> dict[str, Any] | None:
        if msg.kind == "submit":
            task_id = self.records.task_from_message(msg.mid)
            if task_id is not None:
                return {"id": task_id, "status": self.tasks.detail(task_id).task.status}
        if msg.kind == "act":
            with self.tasks.db.raw_read() as c:
                row = c.execute("SELECT 1 FROM decision WHERE task_id = ? AND kind = 'founder' AND created_at >= ? "
                                "AND json_extract(payload, '$.action') = ?",
                                (int(msg.body.get("id") or 0), received_at, str(msg.body.get("action")))).fetchone()
            if row:
                task = self.tasks.detail(int(msg.body["id"])).task
                return {"id": task.id, "status": task.status}
        return None

    def _run(self, msg: Message) -> dict[str, Any]:
        body = msg.body
        try:
            match msg.kind:
                case "submit":
                    extra = {k: body[k] for k in _SUBMIT_FIELDS if body.get(k) is not None}
                    task = self.tasks.submit(NewTask(text=str(body.get("text") or ""), sensitive=bool(body.get("sensitive")),
                                                     source=source_for(msg.mid), **extra))
                    return {"id": task.id, "status": task.status}
                case "act":
                    if body.get("action") not in TRANSITIONS:
                        raise InvalidInput(f"Unknown action {body.get('action')!r}.", fix=f"Use one of: {', '.join(TRANSITIONS)}.")
                    task = self.tasks.act(str(body.get("action")), _task_id(body), team=body.get("team"),
                                          note=body.get("note"))
                    return {"id": task.id, "status": task.status}
                case "tasks":
                    rows = self.tasks.list_tasks(status=body.get("status"), team=body.get("team"))
                    return {"tasks": [{k: v for k, v in task_json(t).items() if k != "text"} for t in rows]}
                case "show":
                    return {"task": json.loads(json.dumps(detail_json(self.tasks.detail(_task_id(body))), default=str))}
                case _:
                    raise InvalidInput(f"Unknown remote command {msg.kind!r}.", fix="Update Bureau on that device.")
        except BureauError as exc:
            return {"error": exc.message, "fix": exc.fix}


def _task_id(body: dict[str, Any]) -> int:
    try:
        return int(body["id"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("The command names no task id.", fix="Give the task's number.") from None
