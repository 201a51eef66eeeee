"""A cancel can be undone (issue 10): back to the status and banner it had, through the one writer."""

from __future__ import annotations

import pytest

from app.company import Company
from app.core.errors import InvalidTransition
from app.core.status import Status
from app.tasks.service import NewTask
from app.tasks.undo import status_before_cancel, undo_cancel


def _set(company: Company, task_id: int, status: Status, reason: str | None = None) -> None:
    with company.db.raw_write() as conn:  # as the engine would leave it
        company.tasks.writer.set_status(conn, task_id, status, reason=reason)


def test_undo_cancel_goes_back_to_the_status_and_banner_before(company: Company) -> None:
    task = company.tasks.submit(NewTask(text="Write a blog post"))
    _set(company, task.id, Status.NEEDS_DECISION, "Waiting for you: content or marketing?")
    company.tasks.cancel(task.id)
    back = undo_cancel(company.db, company.tasks.writer, task.id)
    assert back.status == Status.NEEDS_DECISION.value
    assert back.waiting_reason == "Waiting for you: content or marketing?"
    founder = [d.payload for d in company.tasks.detail(task.id).decisions if d.kind == "founder"]
    assert '"undo_cancel"' in founder[-1]
    with pytest.raises(InvalidTransition):
        undo_cancel(company.db, company.tasks.writer, task.id)  # not cancelled any more


def test_undo_of_a_cancel_while_running_queues_it_again(company: Company) -> None:
    task = company.tasks.submit(NewTask(text="Write a blog post"))
    _set(company, task.id, Status.RUNNING)
    company.tasks.cancel(task.id)
    assert undo_cancel(company.db, company.tasks.writer, task.id).status == Status.QUEUED.value


def test_status_before_the_last_cancel() -> None:
    events = [("inbox", '{"previous": null}'), ("delivered", '{"previous": "in_review", "reason": null}'),
              ("cancelled", '{"previous": "delivered"}'), ("queued", '{"previous": "cancelled"}'),
              ("cancelled", '{"previous": "queued"}')]
    assert status_before_cancel(events) == (Status.QUEUED, None)
    assert status_before_cancel(events[:2]) is None
