"""Daylight saving: 09:00 stays 09:00; 02:30 in the skipped hour runs once at 03:00; a repeated hour runs once.

The clock (time-machine) walks across each change in five-minute steps while a scheduler ticks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.company import Company
from app.schedules.scheduler import Scheduler
from app.schedules.service import NewSchedule
from app.schedules.store import parse_ts

CASES = [
    # zone, the day of the change, rule time -> the local times its tasks were created for (over two days)
    ("Europe/Berlin", "2027-03-28", {"02:30": ["2027-03-28 03:00 +0200", "2027-03-29 02:30 +0200"],
                                     "09:00": ["2027-03-28 09:00 +0200", "2027-03-29 09:00 +0200"]}),
    ("Europe/Berlin", "2027-10-31", {"02:30": ["2027-10-31 02:30 +0200", "2027-11-01 02:30 +0100"],
                                     "09:00": ["2027-10-31 09:00 +0100", "2027-11-01 09:00 +0100"]}),
    ("America/New_York", "2027-03-14", {"02:30": ["2027-03-14 03:00 -0400", "2027-03-15 02:30 -0400"],
                                        "09:00": ["2027-03-14 09:00 -0400", "2027-03-15 09:00 -0400"]}),
    ("America/New_York", "2027-11-07", {"01:30": ["2027-11-07 01:30 -0400", "2027-11-08 01:30 -0500"],
                                        "02:30": ["2027-11-07 02:30 -0500", "2027-11-08 02:30 -0500"],
                                        "09:00": ["2027-11-07 09:00 -0500", "2027-11-08 09:00 -0500"]}),
]


@pytest.mark.parametrize(("zone", "day", "expected"), CASES, ids=[f"{z}-{d}" for z, d, _ in CASES])
def test_daily_rules_across_a_daylight_saving_change(company: Company, zone: str, day: str,
                                                     expected: dict[str, list[str]]) -> None:
    tz = ZoneInfo(zone)
    start = datetime.fromisoformat(day).replace(hour=12, tzinfo=tz) - timedelta(days=1)
    end = start + timedelta(days=2, hours=6)
    with time_machine.travel(start, tick=False) as clock:
        ids = {company.schedules.add(NewSchedule(text=f"Daily at {t}", rule=f"every day at {t}", tz=zone)).id: t
               for t in expected}
        scheduler = Scheduler(company.db, company.tasks)
        scheduler.rebuild()
        now = start
        while now < end:
            now += timedelta(minutes=5)
            clock.move_to(now)
            for outcome in scheduler.tick():
                assert outcome.request.kind == "on_time"
                assert now - outcome.request.scheduled_for <= timedelta(minutes=5)
    with company.db.raw_read() as conn:
        rows = conn.execute(
            "SELECT schedule_id, scheduled_for, task_id FROM occurrence ORDER BY scheduled_for").fetchall()
    fired: dict[str, list[str]] = {t: [] for t in expected}
    for schedule_id, scheduled_for, task_id in rows:
        assert task_id is not None
        fired[ids[schedule_id]].append(parse_ts(scheduled_for).astimezone(tz).strftime("%Y-%m-%d %H:%M %z"))
    assert fired == expected


def test_the_preview_agrees_with_the_scheduler(company: Company) -> None:
    preview = company.schedules.preview("every day at 02:30", tz="Europe/Berlin",
                                        start=datetime(2027, 3, 27, 12, tzinfo=UTC), count=2)
    assert [t.isoformat() for t in preview.occurrences] == ["2027-03-28T01:00:00+00:00", "2027-03-29T00:30:00+00:00"]
