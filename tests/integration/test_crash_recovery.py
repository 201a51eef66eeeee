"""Crash safety on the real model: SIGKILL `bureau run` at random moments, restart it, repeat.

Between kills the journal is read straight from SQLite: a step once `done` must keep its
output, finish time and attempt count for ever (it never runs again). At the end a last
`bureau run --until-idle` must settle every task, and the database must be intact.

The seed is fixed for a reproducible kill schedule; CRASH_SEED=N picks another.

Two regressions this found, now fixed and kept as tests:
- a restarted engine used to wait out the dead engine's lease (60 s by default) and run other
  tasks first; now a claim held by a dead process of this machine is free at once, and
  crashed work goes first;
- an engine that stalled past its lease could write over the step its successor finished; now
  only the claim holder, for the attempt it started, may finish a step.
"""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from app.company import Company
from app.tasks.service import NewTask
from tests.conftest import ScriptedBackend
from tests.support.crash_tools import (
    TASK_TEXTS,
    CrashRunner,
    EngineProcess,
    connect_ro,
    final_report,
    first_progress,
    import_tasks,
    max_event_id,
    parse_utc,
    prepare_home,
    submit,
    utc_text,
)

SEED = int(os.environ.get("CRASH_SEED", "20251122"))
KILLS = 24  # kills that land while the engine is alive
MIN_ACTIVE = 3  # keep this many unsettled tasks so every restart has work in flight
LEASE = 2.0


@pytest.mark.model
@pytest.mark.timeout(900)
def test_random_kills_lose_no_task_and_never_rerun_a_finished_step(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    started = time.monotonic()
    home = prepare_home(tmp_path / "home")
    submitted = import_tasks(home, TASK_TEXTS)
    runner = CrashRunner(home, lease=LEASE)

    try:
        extra = 0
        while runner.kills < KILLS and len(runner.cycles) < KILLS * 2:
            if runner.active_tasks() < MIN_ACTIVE:
                submitted.append(submit(home, TASK_TEXTS[extra % len(TASK_TEXTS)]))
                extra += 1
            # The delay counts from the process start (kills land in start-up, lease wait, triage),
            # the engine's first progress (model loading, generation) or its first finished step
            # (review, bookkeeping, the next step).
            cycle = runner.cycle(rng.uniform(0.2, 4.0), anchor=rng.choice(("start", "work", "step")))
            assert not runner.crashes, runner.crashes[-1]
            assert not runner.ledger.violations, f"finished steps ran again: {runner.ledger.violations}"
            assert not runner.integrity_failures, runner.integrity_failures
            assert cycle.killed or cycle.exit_code == 0
        code = runner.finish(timeout=300)
    finally:
        runner.close()
    report = final_report(home, submitted)
    summary = (f"{runner.kills} kills in {len(runner.cycles)} restarts, {time.monotonic() - started:.0f} s; "
               f"where they landed: {dict(runner.phases())}; final statuses: {dict(report.statuses)}; "
               f"{len(runner.ledger.done)} finished steps watched; set aside: {report.set_aside}")
    print(summary)

    assert not report.lost, report.lost  # missing, or stuck when the last run ended
    assert report.present == len(submitted)
    assert code == 0, runner.engine.log_tail()
    assert runner.kills >= 20, summary
    assert not runner.ledger.violations, runner.ledger.violations
    assert not runner.crashes, runner.crashes
    assert report.integrity == "ok"
    assert not runner.integrity_failures, runner.integrity_failures
    assert runner.integrity_checks == len(runner.cycles) + 1
    assert not report.unexpected_errors, report.unexpected_errors
    assert not report.artifact_problems, report.artifact_problems
    assert not report.status_log_mismatches, report.status_log_mismatches
    # The kills must have hit the engine at work, not only while it was starting up.
    busy = sum(1 for c in runner.cycles if c.killed and not c.phase.startswith("start-up"))
    assert busy >= 5, summary


@pytest.mark.model
def test_a_restarted_engine_resumes_the_crashed_task_first_and_at_once(tmp_path: Path) -> None:
    home = prepare_home(tmp_path / "home")
    crashed = submit(home, TASK_TEXTS[0])
    engine = EngineProcess(home, lease=60.0)  # the default lease, as `bureau run` and the desktop app use it
    conn = connect_ro(home)
    try:
        engine.start()
        deadline = time.monotonic() + 60
        while conn.execute("SELECT status FROM task WHERE id = ?", (crashed,)).fetchone()[0] != "running":
            assert time.monotonic() < deadline and engine.exited() is None, engine.log_tail()
            time.sleep(0.05)
        time.sleep(0.5)  # mid-step
        engine.kill()
        fresh = submit(home, TASK_TEXTS[1])  # work that arrived meanwhile
        last = max_event_id(conn)
        engine.start()
        assert engine.started_wall is not None
        since = utc_text(engine.started_wall)
        deadline = time.monotonic() + 15
        while first_progress(conn, crashed, last, since) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        engine.kill()
        moved = first_progress(conn, crashed, last, since)
        other = first_progress(conn, fresh, last, since)
    finally:
        if engine.exited() is None:
            engine.kill()
        conn.close()
    assert moved is not None, "the crashed task did not move within 15 s of the restart"
    assert (parse_utc(moved) - engine.started_wall).total_seconds() < 5.0
    assert other is None or moved <= other, "the restarted engine ran new work before the crashed task"


WORDS = ("A tidy desk saves time every day. Clear the desk every evening and keep one tray for papers. Put pens "
         "in a single cup and throw away the ones that no longer write. Cables go under the desk in a cheap tray. "
         "Once a week, file or shred everything in the tray. Keep only what you use daily within reach and store "
         "the rest in a drawer. A plant and a lamp are welcome; a pile of old mugs is not. When the desk is tidy, "
         "your head follows: fewer distractions, quicker starts and less hunting for the charger. Try it for two "
         "weeks and notice how much calmer your mornings feel, and how rarely you lose a receipt.")


def test_an_engine_that_stalled_past_its_lease_cannot_overwrite_its_successors_step(
        company: Company, monkeypatch: pytest.MonkeyPatch) -> None:
    stalled = threading.Event()
    wake = threading.Event()
    calls: list[int] = []

    def reply(messages: object) -> str:
        calls.append(1)
        if len(calls) == 1:  # engine A: its process stalls mid-step (suspended laptop, SIGSTOP, heavy swapping)
            stalled.set()
            wake.wait(10)
            return "# From engine A\n\n" + WORDS
        return "# From engine B\n\n" + WORDS

    backend = ScriptedBackend(replies=(reply,))
    monkeypatch.setattr(company.models, "backend_for", lambda role: backend)
    task = company.tasks.submit(NewTask(text="Write a blog post about keeping a tidy desk", team="content"))
    a = company.engine(engine_id="engine-a", lease_seconds=1.0)
    b = company.engine(engine_id="engine-b", lease_seconds=1.0)
    monkeypatch.setattr(a.store, "renew", lambda task_id: None)  # a stalled process renews nothing
    worker = threading.Thread(target=a.tick)
    worker.start()
    try:
        assert stalled.wait(5)
        time.sleep(1.3)  # A's lease runs out
        assert b.tick()  # B takes over: runs the step again, reviews it, delivers it
        finished = {s.key: (s.output, s.finished_at) for s in company.tasks.detail(task.id).steps}
        assert company.tasks.detail(task.id).task.status == "delivered"
    finally:
        wake.set()  # A wakes up and completes its stale step
        worker.join(10)
    detail = company.tasks.detail(task.id)
    assert {s.key: (s.output, s.finished_at) for s in detail.steps} == finished
    work = [s for s in detail.steps if s.kind == "work"][-1]
    assert (company.home / detail.artifacts[0].path).read_text() == work.output
