"""Stats at scale: 100,000 tasks with about 500,000 steps, `bureau stats --json` and the Insights view's load.

    .venv/bin/python bench/stats.py [--tasks 100000] [--home DIR] [--screenshot docs/insights.png]

Generates the journal (tasks, status events, steps, decisions; bulk inserts with executemany through
the real triggers) in a temporary data folder, or reuses --home when it holds tasks already. Then:
  - `compute_stats` in process for the last 30 days and for the whole history (median of 5 runs);
  - `bureau stats --json` as a subprocess (wall time, interpreter start included);
  - the Insights view: from asking to charts drawn, with the GUI thread's longest stall measured
    by a 10 ms timer while the stats are computed in the background.
Target: stats < 300 ms; GUI p99 stall < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.insights.models import StatsQuery  # noqa: E402
from app.insights.stats import compute_stats  # noqa: E402
from app.store.db import Database  # noqa: E402
from tests.support.journal_forge import forge  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def generate(home: Path, tasks: int, days: int) -> None:
    db = Database(home)
    with db.raw_read() as conn:
        have = conn.execute("SELECT COUNT(*) FROM task").fetchone()[0]
    if have:
        print(f"{home}: {have:,} tasks already; not generating")
    else:
        start = (datetime.now(UTC) - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
        began = time.perf_counter()
        forge(db, tasks=tasks, days=days, start=start)
        print(f"generated in {time.perf_counter() - began:.1f} s")
    with db.raw_read() as conn:
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("task", "step", "event", "decision")}
    print("journal: " + ", ".join(f"{n:,} {t}s" for t, n in counts.items())
          + f"; {os.path.getsize(home / 'bureau.db') / 1e6:.0f} MB")
    db.close()


def time_stats(home: Path) -> None:
    db = Database(home)
    for label, query in (("last 30 days", StatsQuery.last_days(30)),
                         ("whole history", StatsQuery.last_days(3650)),
                         ("one team, 30 days", StatsQuery.last_days(30, team="code"))):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            stats = compute_stats(db, query)
            runs.append((time.perf_counter() - started) * 1000)
        print(f"compute_stats {label:<18} median {statistics.median(runs):6.1f} ms  max {max(runs):6.1f} ms  "
              f"({stats.counts.created:,} created, {stats.cycle.tasks:,} delivered, "
              f"{sum(u.steps for u in stats.usage):,} steps)")
    db.close()
    walls = []
    for _ in range(3):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "app.cli.main", "--home", str(home), "stats", "--json"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        walls.append((time.perf_counter() - started) * 1000)
    base = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli.main", "--home", str(home), "teams", "list", "--json"],
                       cwd=ROOT, capture_output=True, check=True)
        base.append((time.perf_counter() - started) * 1000)
    print(f"`bureau stats --json` wall median {statistics.median(walls):.0f} ms; `bureau teams list --json` "
          f"(start-up and opening the data folder) {statistics.median(base):.0f} ms; {len(out):,} bytes of JSON")


def time_view(home: Path, screenshot: Path | None) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from app.gui.common.ops import TaskRunner
    from app.gui.common.theme import ThemeFollower
    from app.gui.insights.controller import InsightsWindow
    from teams import TEAMS

    app = QApplication.instance() or QApplication([])
    ThemeFollower(app)  # type: ignore[arg-type]
    db = Database(home)
    runner = TaskRunner(lambda exc: print("error:", exc))
    window = InsightsWindow(db, runner, {n: s.color for n, s in TEAMS.items()})
    window.resize(1300, 860)
    window.show()
    app.processEvents()
    stalls: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        stalls.append(max(0.0, now - last[0] - 10))
        last[0] = now

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    window.controller.load()
    while window.controller.loading:
        app.processEvents()
        time.sleep(0.002)
    for _ in range(10):
        app.processEvents()
    loaded = (time.perf_counter() - started) * 1000
    first = loaded
    if screenshot is not None:
        window.grab().save(str(screenshot))
        print(f"saved {screenshot}")
    window.view.period.setCurrentIndex(2)  # 90 days: a second load, warm
    started = time.perf_counter()
    while window.controller.loading or (time.perf_counter() - started) < 0.05:
        app.processEvents()
        time.sleep(0.002)
    for _ in range(10):
        app.processEvents()
    again = (time.perf_counter() - started) * 1000
    loaded = first
    timer.stop()
    stalls.sort()
    p99 = stalls[int(0.99 * (len(stalls) - 1))] if stalls else 0.0
    print(f"Insights view: charts drawn {loaded:.0f} ms after asking (first), {again:.0f} ms (another period); "
          f"GUI thread stall p99 {p99:.0f} ms, "
          f"longest {max(stalls, default=0):.0f} ms ({len(stalls)} ticks)")
    runner.close()
    db.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="bureau-stats-"))
    home.mkdir(parents=True, exist_ok=True)
    generate(home, args.tasks, args.days)
    time_stats(home)
    time_view(home, args.screenshot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
