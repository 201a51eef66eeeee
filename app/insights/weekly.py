"""The weekly report the founder can turn on (Settings ▸ Notifications, ``notifications.weekly_report``).

Design: an ordinary schedule, "every monday at 9", whose task asks the content team to write the
week's report; when it fires, the week's figures (``weekly_summary``, the text `bureau stats --week`
prints) are computed then and attached to the task as ``week.md``, so the team writes from this
week's numbers and the CEO reviews it like any other work. The schedule is recognised by its title
and text; turning the setting on creates exactly one, turning it off removes it (its tasks stay).
"""

from __future__ import annotations

from app.insights.report import weekly_summary
from app.schedules.service import NewSchedule, ScheduleService, ScheduleView
from app.schedules.store import ScheduleRow
from app.store.db import Database
from app.tasks.attachments import Attachment

WEEKLY_TITLE = "Weekly report"
WEEKLY_RULE = "every monday at 9"
WEEKLY_TEAM = "content"
WEEKLY_FILE = "week.md"
WEEKLY_TEXT = ("Write this week's report for the founder: what the company got done and by which team, how long "
               "the work took and where it waited, what was sent back, and what to watch next week. Keep it under "
               f"a page. The week's figures are in the attached {WEEKLY_FILE}; use them as they are and invent none.")


def is_weekly_report(row: ScheduleRow) -> bool:
    return row.title == WEEKLY_TITLE and row.text == WEEKLY_TEXT


def weekly_schedules(schedules: ScheduleService) -> list[ScheduleView]:
    return [v for v in schedules.list_schedules() if is_weekly_report(v.row)]


def sync_weekly_report(schedules: ScheduleService, *, on: bool) -> ScheduleView | None:
    """Exactly one weekly-report schedule while ``on``, none while off; the schedule (or None)."""
    existing = weekly_schedules(schedules)
    keep = existing[0] if on and existing else None
    for view in existing:
        if view is not keep:
            schedules.remove(view.id)
    if on and keep is None:
        keep = schedules.add(NewSchedule(text=WEEKLY_TEXT, title=WEEKLY_TITLE, rule=WEEKLY_RULE, team=WEEKLY_TEAM))
    return keep


def weekly_material(db: Database, row: ScheduleRow) -> tuple[Attachment, ...]:
    """The week's figures for the weekly report's task (computed as it fires); nothing for other schedules."""
    if not is_weekly_report(row):
        return ()
    return (Attachment(name=WEEKLY_FILE, content=weekly_summary(db)),)
