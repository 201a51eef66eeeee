"""Exactly once across real processes: two processes firing one occurrence, and SIGKILL before the commit."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import time_machine

from app.company import Company
from app.schedules.service import NewSchedule

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, os, signal, sys
from datetime import datetime
from app.company import Company
from app.schedules.scheduler import Scheduler
from app.schedules import store

home, now, mode = sys.argv[1:4]
company = Company.open(home)
if mode == "kill":  # die inside the transaction: occurrence and task written, not committed
    original = store.insert_task

    def insert_and_die(*args, **kwargs):
        original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    store.insert_task = insert_and_die
scheduler = Scheduler(company.db, company.tasks, name=f"child-{os.getpid()}")
scheduler.rebuild()
print(json.dumps([[o.created, o.task_id] for o in scheduler.tick(now=datetime.fromisoformat(now))]))
company.close()
"""
MONDAY_8 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
FIRE_AT = "2027-03-01T09:00:05+00:00"


def _child(home: Path, mode: str = "normal") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(home), FIRE_AT, mode], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PYTHONPATH": str(ROOT),
                                                                                 "PATH": "/usr/bin:/bin"})


def _prepare(home: Path, schedules: int = 1) -> None:
    with time_machine.travel(MONDAY_8, tick=False):
        company = Company.open(home)
        for n in range(schedules):
            company.schedules.add(NewSchedule(text=f"Morning report {n}", rule="every day at 9", tz="UTC"))
        company.close()


def _counts(home: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(home / "bureau.db")
    try:
        tasks = conn.execute("SELECT COUNT(*) FROM task").fetchone()[0]
        occurrences = conn.execute("SELECT COUNT(*) FROM occurrence WHERE task_id IS NOT NULL").fetchone()[0]
        return tasks, occurrences, conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_sigkill_between_firing_and_commit_then_restart_creates_it_once(home: Path) -> None:
    _prepare(home)
    killed = _child(home, "kill")
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert _counts(home) == (0, 0, "ok")  # nothing half-saved
    restarted = _child(home)
    out, err = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, err
    assert [created for created, _ in json.loads(out)] == [True]
    again = _child(home)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert not any(created for created, _ in json.loads(out))  # already settled: nothing fires again
    assert _counts(home) == (1, 1, "ok")


def test_two_processes_firing_the_same_occurrences_create_each_task_once(home: Path) -> None:
    _prepare(home, schedules=20)
    children = [_child(home), _child(home)]
    results = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        results.append(json.loads(out))
    assert sum(created for r in results for created, _ in r) == 20
    assert _counts(home) == (20, 20, "ok")
