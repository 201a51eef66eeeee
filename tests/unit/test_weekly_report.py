"""Issue 17: the weekly report the founder turns on: one schedule while on, none while off; its task carries
the week's figures, computed when it fires."""

from __future__ import annotations

from datetime import UTC, datetime

from app.company import Company
from app.insights.report import weekly_summary
from app.insights.weekly import WEEKLY_FILE, WEEKLY_RULE, weekly_schedules
from app.schedules.scheduler import Scheduler
from app.schedules.service import NewSchedule
from app.schedules.timing import resolve_tz
from app.tasks.service import NewTask


def test_turning_it_on_makes_exactly_one_schedule_and_off_removes_it(company: Company) -> None:
    other = company.schedules.add(NewSchedule(text="Draft the Monday newsletter", rule="every monday at 9"))
    assert weekly_schedules(company.schedules) == []
    company.update_settings(notifications={"weekly_report": True})
    company.update_settings(notifications={"weekly_report": True})  # saved again: still one
    company.update_settings(autopilot={"threshold": 0.7})  # another setting: still one
    (weekly,) = weekly_schedules(company.schedules)
    assert weekly.row.rule == WEEKLY_RULE and weekly.row.team == "content" and weekly.words == "every Monday at 09:00"
    assert weekly.next_run is not None and weekly.next_run.astimezone(resolve_tz(weekly.row.tz)).weekday() == 0
    assert len(company.schedules.list_schedules()) == 2
    company.update_settings(notifications={"weekly_report": False})
    assert weekly_schedules(company.schedules) == []
    assert [s.id for s in company.schedules.list_schedules()] == [other.id]  # the founder's own schedule stays


def test_the_report_task_gets_the_weeks_figures_when_it_fires(company: Company) -> None:
    company.tasks.submit(NewTask(text="Write a blog post about desks", team="content"))
    company.update_settings(notifications={"weekly_report": True})
    (weekly,) = weekly_schedules(company.schedules)
    expected = weekly_summary(company.db)  # the figures before the report's own task came in
    task_id = company.schedules.run_now(weekly.id)
    detail = company.tasks.detail(task_id)
    assert detail.task.requested_team == "content" and "weekly report" in detail.task.title.lower()
    (figures,) = detail.attachments
    assert figures.name == WEEKLY_FILE and figures.content == expected and "1 tasks came in" in expected
    # the scheduler, firing on Monday at 9, attaches them too; other schedules get nothing extra
    plain = company.schedules.add(NewSchedule(text="Look at the support inbox", rule="every monday at 9"))
    scheduler = Scheduler(company.db, company.tasks, material=company.schedule_material,
                          clock=lambda: datetime(2020, 1, 1, tzinfo=UTC))
    scheduler.rebuild()
    fired = [o for o in scheduler.tick(max(e.next_at for e in scheduler.entries.values())) if o.created]
    by_schedule = {o.request.schedule_id: o.task_id for o in fired}
    assert set(by_schedule) == {weekly.id, plain.id}
    assert [a.name for a in company.tasks.detail(by_schedule[weekly.id]).attachments] == [WEEKLY_FILE]
    assert company.tasks.detail(by_schedule[plain.id]).attachments == ()
