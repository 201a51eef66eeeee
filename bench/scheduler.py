"""The scheduler with 1,000 schedules: rebuild at start, catch-up after a week asleep, firing lateness.

1. rebuild: read 1,000 schedules, parse their rules, compute each next fire time (target < 1 s);
2. catch-up: the laptop slept a week; one tick settles every schedule, creating one coalesced
   task per schedule with catch-up "once" (target < 1 s);
3. lateness: the scheduler thread runs in real time for ``--minutes`` with 1,000 schedules, of
   which ``--every-minute`` fire every minute, while another thread keeps writing tasks (load);
   lateness = task committed - occurrence time (target p99 < 1 s).

The mix of rules is what founders write: daily, weekdays, weekly, monthly, hourly, every 15 minutes.
Run: .venv/bin/python bench/scheduler.py [--minutes 2] [--every-minute 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.company import Company  # noqa: E402
from app.schedules import store  # noqa: E402
from app.schedules.scheduler import Scheduler, SchedulerLoop  # noqa: E402
from app.schedules.timing import CompiledRule, resolve_tz  # noqa: E402
from app.tasks.service import NewTask  # noqa: E402

MIX = [(0.40, "every day at {h}:{m:02d}"), (0.20, "every weekday at {h}:{m:02d}"),
       (0.15, "every {day} at {h}"), (0.10, "on the {d}th of every month at {h}"),
       (0.10, "every hour"), (0.05, "every 15 minutes")]
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def rules(n: int, rng: random.Random, *, every_minute: int = 0) -> list[str]:
    out = ["every minute"] * every_minute
    while len(out) < n:
        x, acc = rng.random(), 0.0
        for share, pattern in MIX:
            acc += share
            if x <= acc:
                out.append(pattern.format(h=rng.randint(6, 20), m=rng.choice((0, 15, 30, 45)),
                                          day=rng.choice(DAYS), d=rng.randint(4, 28)))
                break
    return out


def populate(company: Company, texts: list[str], *, anchor: datetime, tz: str) -> None:
    zone = resolve_tz(tz)
    with company.db.raw_write() as conn:
        for i, rule in enumerate(texts):
            CompiledRule.parse(rule, tz=zone, anchor=anchor)  # what `schedule add` checks
            store.insert_schedule(company.db, conn, text=f"Routine {i}: {rule}", title=None, team="support",
                                  priority="normal", sensitive=False, budget={}, rule=rule, tz=tz, catch_up="once",
                                  paused=False, anchor=anchor)


def timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def bench_rebuild_and_catch_up(n: int, tz: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        company = Company.open(Path(folder))
        now = datetime.now(UTC)
        populate(company, rules(n, random.Random(1)), anchor=now - timedelta(days=7), tz=tz)
        times = []
        for _ in range(3):
            scheduler = Scheduler(company.db, company.tasks, name="bench")
            seconds, active = timed(scheduler.rebuild)
            times.append(seconds)
        print(f"rebuild {active} schedules:            median {statistics.median(times) * 1000:7.1f} ms "
              f"(runs: {', '.join(f'{t * 1000:.0f}' for t in times)} ms)  target < 1000 ms")
        seconds, outcomes = timed(lambda: scheduler.tick(now))
        created = sum(o.created for o in outcomes)
        missed = sum(o.request.missed for o in outcomes)
        print(f"catch up after a week asleep:       {seconds * 1000:7.1f} ms  ({created} tasks for {missed:,} "
              f"missed occurrences, coalesced)  target < 1000 ms")
        seconds, again = timed(lambda: scheduler.tick(now))
        print(f"next tick (nothing due):            {seconds * 1000:7.1f} ms  ({len(again)} fired)")
        company.close()


def bench_lateness(n: int, every_minute: int, minutes: float, tz: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        company = Company.open(Path(folder))
        populate(company, rules(n, random.Random(2), every_minute=every_minute), anchor=datetime.now(UTC), tz=tz)
        loop = SchedulerLoop(Scheduler(company.db, company.tasks, name="bench"))
        stop = threading.Event()
        written = [0]

        def load() -> None:  # another writer on the same database: the engine, the GUI, a `bureau submit`
            while not stop.is_set():
                company.tasks.submit(NewTask(text="Load: write a short note", source="bench"))
                written[0] += 1
                stop.wait(0.02)

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        loop.start()
        time.sleep(minutes * 60)
        loop.stop()
        stop.set()
        loader.join()
        late = sorted(loop.lateness)
        if not late:
            print("lateness: nothing fired (run longer)")
            return
        p = lambda q: late[min(len(late) - 1, int(q * len(late)))]  # noqa: E731
        print(f"firing lateness under load:         p50 {p(0.5) * 1000:6.0f} ms  p99 {p(0.99) * 1000:6.0f} ms  "
              f"max {late[-1] * 1000:6.0f} ms  ({len(late)} firings in {minutes:g} min, {n} schedules, "
              f"{written[0]} load tasks written)  target p99 < 1000 ms")
        company.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--every-minute", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--tz", default="Europe/Berlin")
    args = parser.parse_args()
    bench_rebuild_and_catch_up(args.schedules, args.tz)
    if args.minutes > 0:
        bench_lateness(args.schedules, args.every_minute, args.minutes, args.tz)


if __name__ == "__main__":
    main()
