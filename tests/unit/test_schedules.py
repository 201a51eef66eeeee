"""Schedules fire exactly once: on time, after a sleep (caught up once or skipped), with two engines."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from app.cli.main import main
from app.company import Company
from app.core.errors import InvalidInput, NotFound
from app.schedules.deadlines import overdue_tasks, raise_priorities
from app.schedules.scheduler import Scheduler
from app.schedules.service import NewSchedule
from app.tasks.service import NewTask

MONDAY_8 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday 1 March 2027


def _occurrences(company: Company) -> list[tuple[int, str, int | None, str, int]]:
    with company.db.raw_read() as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT schedule_id, scheduled_for, task_id, kind, missed FROM occurrence ORDER BY id").fetchall()]


def _task_count(company: Company) -> int:
    with company.db.raw_read() as conn:
        return int(conn.execute("SELECT COUNT(*) FROM task").fetchone()[0])


def _daily(company: Company, *, catch_up: str = "once", rule: str = "every day at 9") -> int:
    return company.schedules.add(NewSchedule(text="Look at the support inbox", rule=rule, tz="UTC",
                                             team="support", catch_up=catch_up)).id


def test_on_time_then_caught_up_once_after_a_three_day_sleep(company: Company) -> None:
    with time_machine.travel(MONDAY_8, tick=False) as clock:
        schedule_id = _daily(company)
        scheduler = Scheduler(company.db, company.tasks, name="app")
        scheduler.rebuild()
        assert scheduler.tick() == []
        clock.move_to(datetime(2027, 3, 1, 9, 0, 1, tzinfo=UTC))
        [on_time] = scheduler.tick()
        assert on_time.created and on_time.request.kind == "on_time"
        clock.move_to(datetime(2027, 3, 4, 12, 0, tzinfo=UTC))  # the laptop slept Tue, Wed and Thu 09:00
        [caught] = scheduler.tick()
        assert caught.created and caught.request.kind == "caught_up"
        assert caught.request.missed == 3
        assert caught.request.missed_since == datetime(2027, 3, 2, 9, tzinfo=UTC)
        assert caught.request.scheduled_for == datetime(2027, 3, 4, 9, tzinfo=UTC)
        assert scheduler.tick() == []  # nothing more: coalesced
        detail = company.tasks.detail(caught.task_id)
        note = [d for d in detail.decisions if d.kind == "schedule"][0].rationale
        assert "3 occurrence(s) were missed since Tue 2027-03-02 09:00" in note
        assert detail.task.source == "schedule" and detail.task.requested_team == "support"
        clock.move_to(datetime(2027, 3, 5, 9, 0, 2, tzinfo=UTC))
        [friday] = scheduler.tick()
        assert friday.request.kind == "on_time" and friday.created
    assert [o[3] for o in _occurrences(company)] == ["on_time", "caught_up", "on_time"]
    assert _task_count(company) == 3
    view = company.schedules.get(schedule_id)
    assert view.last is not None and view.last.task_id == friday.task_id


def test_skip_settles_missed_occurrences_without_a_task(company: Company) -> None:
    with time_machine.travel(MONDAY_8, tick=False) as clock:
        _daily(company, catch_up="skip")
        scheduler = Scheduler(company.db, company.tasks)
        scheduler.rebuild()
        clock.move_to(datetime(2027, 3, 4, 12, 0, tzinfo=UTC))
        assert [o.created for o in scheduler.tick()] == []
        restarted = Scheduler(company.db, company.tasks)  # a restart does not bring them back
        restarted.rebuild()
        assert restarted.tick() == []
        clock.move_to(datetime(2027, 3, 5, 9, 0, 30, tzinfo=UTC))
        assert [o.created for o in restarted.tick()] == [True]
    assert _task_count(company) == 1


def test_a_restart_does_not_fire_again(company: Company) -> None:
    with time_machine.travel(MONDAY_8, tick=False) as clock:
        _daily(company)
        first = Scheduler(company.db, company.tasks)
        first.rebuild()
        clock.move_to(datetime(2027, 3, 1, 9, 0, 5, tzinfo=UTC))
        assert [o.created for o in first.tick()] == [True]
        again = Scheduler(company.db, company.tasks)
        again.rebuild()
        assert again.tick() == []
    assert _task_count(company) == 1


def test_two_engines_on_one_folder_create_one_task_per_occurrence(home: Path) -> None:
    a, b = Company.open(home), Company.open(home)
    try:
        with time_machine.travel(MONDAY_8, tick=False) as clock:
            for n in range(5):
                a.schedules.add(NewSchedule(text=f"Report {n}", rule="every 15 minutes", tz="UTC"))
            engines = [Scheduler(c.db, c.tasks, name=name) for c, name in ((a, "app"), (b, "cli"))]
            for engine in engines:
                engine.rebuild()
            for step in range(1, 5):
                clock.move_to(MONDAY_8 + timedelta(minutes=15 * step, seconds=1))
                barrier = threading.Barrier(2)
                results: list[list[object]] = [[], []]

                def fire(i: int) -> None:
                    barrier.wait()
                    results[i] = engines[i].tick()

                threads = [threading.Thread(target=fire, args=(i,)) for i in range(2)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                created = sum(o.created for r in results for o in r)  # type: ignore[attr-defined]
                assert created == 5, (step, results)
        occurrences = _occurrences(a)
        assert len(occurrences) == 20 == _task_count(a)
        assert len({(o[0], o[1]) for o in occurrences}) == 20
    finally:
        a.close()
        b.close()


def test_pause_resume_remove_and_run_now(home: Path) -> None:
    company, other = Company.open(home), Company.open(home)
    try:
        with time_machine.travel(MONDAY_8, tick=False) as clock:
            schedule_id = _daily(company)
            scheduler = Scheduler(other.db, other.tasks)  # another process holds it in memory
            scheduler.rebuild()
            company.schedules.pause(schedule_id)
            clock.move_to(datetime(2027, 3, 2, 9, 0, 1, tzinfo=UTC))
            assert [o.created for o in scheduler.tick()] == []
            company.schedules.resume(schedule_id)  # goes on from now: the paused days are not caught up
            assert scheduler.tick() == []
            clock.move_to(datetime(2027, 3, 3, 9, 0, 1, tzinfo=UTC))
            assert [o.created for o in scheduler.tick()] == [True]
            task_id = company.schedules.run_now(schedule_id)
            assert company.tasks.detail(task_id).task.source == "schedule"
            company.schedules.remove(schedule_id)
            clock.move_to(datetime(2027, 3, 4, 9, 0, 1, tzinfo=UTC))
            assert scheduler.tick() == []
        assert _task_count(company) == 2  # removing the schedule keeps its tasks
        with pytest.raises(NotFound):
            company.schedules.get(schedule_id)
    finally:
        company.close()
        other.close()


@pytest.mark.parametrize(("new", "says"), [
    (NewSchedule(text="x", rule="every 0 minutes"), "never stop"),
    (NewSchedule(text="x", rule="on February 30"), "February has no day 30"),
    (NewSchedule(text="x", rule="daily", tz="Mars/Olympus"), "Unknown time zone"),
    (NewSchedule(text="x", rule="cron: 0 0 30 2 *"), "never fires"),
    (NewSchedule(text="x", rule="daily", team="accounting"), "Unknown team"),
    (NewSchedule(text="  ", rule="daily"), "empty"),
    (NewSchedule(text="x", rule="every 20 seconds"), "more than one task a minute"),
    (NewSchedule(text="x", rule="daily", catch_up="twice"), "catch-up"),
])
def test_bad_schedules_are_refused_and_nothing_is_saved(company: Company, new: NewSchedule, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        company.schedules.add(new)
    assert says in caught.value.message and caught.value.fix
    assert company.schedules.list_schedules() == []


def test_due_dates_raise_priority_and_overdue_tasks_are_listed(company: Company) -> None:
    today = date(2027, 3, 10)
    ids = {}
    for name, due in (("late", "2027-03-08"), ("today", "2027-03-10"), ("soon", "2027-03-12"),
                      ("later", "2027-03-20")):
        ids[name] = company.tasks.submit(NewTask(text=f"Task {name}", due=due, priority="low")).id
    done = company.tasks.submit(NewTask(text="Finished", due="2027-03-01"))
    company.tasks.cancel(done.id)
    changed = raise_priorities(company.db, today=today)
    assert sorted(changed) == sorted([ids["late"], ids["today"], ids["soon"]])
    priority = {name: company.tasks.detail(i).task.priority for name, i in ids.items()}
    assert priority == {"late": "urgent", "today": "urgent", "soon": "high", "later": "low"}
    assert raise_priorities(company.db, today=today) == []  # only ever raised, once
    assert [t.id for t in overdue_tasks(company.db, today=today)] == [ids["late"]]


def test_cli_next_prints_iso_times_with_offsets_and_saves_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["schedule", "next", "every weekday at 8:30", "--from", "2027-03-26T12:00", "--tz",
                 "Europe/Berlin", "--count", "3", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["next"] == ["2027-03-29T08:30:00+02:00", "2027-03-30T08:30:00+02:00", "2027-03-31T08:30:00+02:00"]
    assert data["words"] == "every weekday (Monday to Friday) at 08:30"
    assert main(["schedule", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["schedule", "next", "every blue moon"]) == 2
    assert "every monday at 9" in capsys.readouterr().err


def test_cli_add_show_and_overdue(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "add", "Send the renewal reminder", "--rule", "on the 25th", "--team", "sales",
                 "--tz", "Europe/Berlin", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["words"] == "on the 25th of every month at 09:00" and len(added["next"]) == 3
    assert "+0" in added["next_run"]
    assert main(["schedule", "run-now", str(added["id"]), "--json"]) == 0
    task = json.loads(capsys.readouterr().out)["task"]
    assert main(["schedule", "show", str(added["id"]), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["occurrences"][0]["task"] == task and shown["last_task"] == task
    assert main(["submit", "Old work", "--due", "2000-01-01"]) == 0
    capsys.readouterr()
    assert main(["tasks", "--overdue", "--json"]) == 0
    assert [t["title"] for t in json.loads(capsys.readouterr().out)] == ["Old work"]
