"""Remote commands applied exactly once, even across a crash between the action and its record."""

from __future__ import annotations

import time

from app.company import Company
from app.relay.commands import CommandApplier
from app.relay.crypto import Message, new_message_id
from app.relay.store import RelayRecords, source_for
from app.tasks.service import NewTask


def _msg(kind: str, body: dict[str, object], mid: str | None = None, counter: int = 1) -> Message:
    return Message(mid=mid or new_message_id(), counter=counter, sender="phone1", recipient="desk", kind=kind,
                   body=dict(body), sent_at=time.time())


def _applier(company: Company) -> CommandApplier:
    records = RelayRecords(company.db)
    records.add_device("phone1", name="phone", kind="device", public_key="PK")
    return CommandApplier(company.tasks, records)


def test_the_same_message_twice_creates_one_task(company: Company) -> None:
    applier = _applier(company)
    msg = _msg("submit", {"text": "Write a haiku about invoices", "team": "content"})
    first = applier.apply(msg)
    again = applier.apply(msg)
    assert not first.duplicate and again.duplicate and again.result == first.result
    assert [t.text for t in company.tasks.list_tasks()] == ["Write a haiku about invoices"]
    assert company.tasks.list_tasks()[0].source == source_for(msg.mid)


def test_a_crash_after_the_submit_committed_does_not_submit_again(company: Company) -> None:
    applier = _applier(company)
    msg = _msg("submit", {"text": "Plan the offsite"})
    applier.records.receive(msg.mid, device_id="phone1", kind="submit")
    company.tasks.submit(NewTask(text="Plan the offsite", source=source_for(msg.mid)))  # then the desktop died
    result = applier.apply(msg)  # JetStream redelivers it
    assert result.duplicate and len(company.tasks.list_tasks()) == 1
    assert applier.records.inbox(msg.mid).state == "applied"  # type: ignore[union-attr]


def test_a_crash_after_an_action_committed_does_not_act_again(company: Company) -> None:
    applier = _applier(company)
    task = company.tasks.submit(NewTask(text="Write a post", team="content"))
    msg = _msg("act", {"action": "cancel", "id": task.id})
    applier.records.receive(msg.mid, device_id="phone1", kind="act")
    company.tasks.cancel(task.id)
    result = applier.apply(msg)
    assert result.duplicate and result.result == {"id": task.id, "status": "cancelled"}


def test_bad_commands_answer_with_the_error_and_the_fix(company: Company) -> None:
    applier = _applier(company)
    assert "Unknown action" in applier.apply(_msg("act", {"action": "explode", "id": 1})).result["error"]
    missing = applier.apply(_msg("show", {"id": 999})).result
    assert "no task 999" in missing["error"] and missing["fix"]
    empty = applier.apply(_msg("submit", {"text": "   "})).result
    assert empty.get("error") and company.tasks.list_tasks() == []


def test_queries_return_tasks_without_their_full_text(company: Company) -> None:
    applier = _applier(company)
    company.tasks.submit(NewTask(text="Write a long post about gardening " * 5, team="content"))
    listing = applier.apply(_msg("tasks", {})).result["tasks"]
    assert len(listing) == 1 and "text" not in listing[0]
    shown = applier.apply(_msg("show", {"id": listing[0]["id"]})).result["task"]
    assert shown["text"].startswith("Write a long post")
