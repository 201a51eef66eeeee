"""How responsive the desktop app stays: 10,000 tasks on the board and a task streaming tokens.

Measures, on the GUI thread, the lateness of a 10 ms timer (its p99 and longest stall) while
  - a thread streams fake model pieces into ``on_stream`` at ~100 per second for the selected
    running task (or, with --real-model, the real engine works on the real model),
  - another thread changes tasks through ``TaskService`` (events -> incremental board updates),
  - the founder types a search over all 10,000 tasks and clears it,
and the time from start (building the window) to a populated board.

    .venv/bin/python bench/gui_responsiveness.py [--tasks 10000] [--seconds 12] [--real-model]

Targets: p99 stall < 50 ms, no stall of 50 ms or more (a long task in the RAIL model), board populated
< 1 s. Exit code 1 when one is missed. Stalls while the model loads at start (once, off the GUI thread,
right after the board appears) are reported on their own line and not held to the 50 ms bar.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.gui.shell.app_controller import AppController  # noqa: E402
from app.gui.common.compat import install_guard  # noqa: E402
from app.gui.common.theme import ThemeFollower  # noqa: E402
from app.gui.shell.main import GUI_SWITCH_INTERVAL, open_company  # noqa: E402
from app.company import Company  # noqa: E402
from app.core.status import Status  # noqa: E402
from teams import TEAM_NAMES  # noqa: E402

TARGET_P99_MS, TARGET_MAX_MS, TARGET_POPULATED_S = 50.0, 50.0, 1.0
WORDS = ("blog", "deploy", "invoice", "refund", "landing", "pipeline", "desk", "launch", "bug", "proposal",
         "backup", "newsletter", "outreach", "kubernetes", "pricing", "onboarding", "release", "ticket")


def insert_tasks(db_path: Path, n: int) -> int:
    """Insert ``n`` tasks straight into SQLite; returns the id of one task left running."""
    rng = random.Random(7)
    statuses = [s.value for s in Status]
    weights = [8, 3, 4, 0, 1, 1, 3, 70, 6, 4]
    now = datetime.now(UTC)
    rows = []
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
        created = now - timedelta(minutes=rng.randint(1, 60 * 24 * 90))
        ts = created.strftime("%Y-%m-%d %H:%M:%S.%f")
        status = rng.choices(statuses, weights)[0]
        routed = status != "inbox"
        rows.append((f"Task {i}: {words}", f"{words}. Please handle task {i} with care.", status,
                     rng.choice(["low", "normal", "normal", "high", "urgent"]),
                     (now + timedelta(days=rng.randint(-10, 40))).date().isoformat() if rng.random() < 0.3 else None,
                     rng.choice(TEAM_NAMES) if routed else None, round(rng.random(), 2) if routed else None,
                     ts, ts))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany("INSERT INTO task (title, text, status, priority, due, team, confidence, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        cur = conn.execute("INSERT INTO task (title, text, status, priority, team, confidence, created_at, "
                           "updated_at) VALUES ('Write a short blog post about keeping a tidy desk', "
                           "'Write a short blog post about keeping a tidy desk', 'running', 'high', 'content', "
                           "0.81, ?, ?)", (rows[0][7], rows[0][8]))
        running_id = int(cur.lastrowid or 0)
    conn.close()
    return running_id


class StallMonitor(QObject):
    """A 10 ms timer on the GUI thread that records how late each of its ticks is."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.interval_ms = interval_ms
        self.stalls_ms: list[float] = []
        self.loading_stalls_ms: list[float] = []  # while the model loads at start (a one-off)
        self.loading_model = False
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        elapsed = self._clock.nsecsElapsed() / 1e6
        self._clock.restart()
        stall = max(0.0, elapsed - self.interval_ms)
        self.stalls_ms.append(stall)
        if self.loading_model:
            self.loading_stalls_ms.append(stall)


def fake_stream(controller: AppController, task_id: int, stop: threading.Event, rate: float) -> int:
    """Pieces at ``rate`` per second into the engine's on_stream callback (as llama.cpp would)."""
    pieces = 0
    words = "Keep one tray for papers and clear the desk every evening before you leave ".split()
    while not stop.is_set():
        controller.stream.push(task_id, "s1.r0", words[pieces % len(words)] + " ")
        pieces += 1
        stop.wait(1.0 / rate)
    return pieces


def churn(company: Company, ids: list[int], stop: threading.Event, rate: float, done: list[int]) -> None:
    """Founder-like changes from another thread: cancel and retry tasks (events -> board updates)."""
    rng = random.Random(3)
    while not stop.is_set():
        task_id = rng.choice(ids)
        company.tasks.cancel(task_id)
        company.tasks.retry(task_id)
        done.append(task_id)
        stop.wait(1.0 / rate)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--rate", type=float, default=100.0, help="streamed pieces per second")
    parser.add_argument("--real-model", action="store_true", help="let the engine run the real model as well")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bureau-bench-"))
    company = open_company(home)  # as the app opens it, before its window exists
    started = time.perf_counter()
    running_id = insert_tasks(company.db.path, args.tasks)
    print(f"inserted {args.tasks:,} tasks in {time.perf_counter() - started:.2f} s into {home}")
    with sqlite3.connect(company.db.path) as conn:
        inbox_ids = [r[0] for r in conn.execute("SELECT id FROM task WHERE status = 'inbox' LIMIT 500")]

    sys.setswitchinterval(GUI_SWITCH_INTERVAL)  # as start_app (what `bureau` runs) sets it
    app = QApplication.instance() or QApplication(sys.argv[:1])
    ThemeFollower(app)  # type: ignore[arg-type]
    install_guard(app)
    monitor = StallMonitor()
    t0 = time.perf_counter()
    controller = AppController(company)
    controller.window.resize(1400, 860)
    controller.engine.set_paused(not args.real_model)
    populated: list[float] = []
    controller.board.loaded.connect(lambda: QTimer.singleShot(0, lambda: populated.append(time.perf_counter() - t0)))
    preload = controller.status.preload

    def preload_watched() -> None:
        monitor.loading_model = True
        preload()

    controller.status.preload = preload_watched  # type: ignore[method-assign]
    controller.status.model_ready.connect(lambda _name: setattr(monitor, "loading_model", False))
    controller.start()
    monitor.start()

    stop = threading.Event()
    churned: list[int] = []
    pieces: list[int] = []
    threads = [
        threading.Thread(target=lambda: pieces.append(fake_stream(controller, running_id, stop, args.rate)),
                         daemon=True),
        threading.Thread(target=churn, args=(company, inbox_ids, stop, 5.0, churned), daemon=True),
    ]

    def after_populated() -> None:
        controller.board.select_task(running_id)
        for t in threads:
            t.start()
        QTimer.singleShot(2000, lambda: controller.window.filters.search.setText("kubernetes desk"))
        QTimer.singleShot(4000, lambda: controller.window.filters.search.clear())
        QTimer.singleShot(5000, lambda: controller.window.filters.team.setCurrentIndex(2))
        QTimer.singleShot(6000, lambda: controller.window.filters.team.setCurrentIndex(0))
        QTimer.singleShot(7000, lambda: controller.window.show_closed_action.trigger())
        QTimer.singleShot(int(args.seconds * 1000), finish)

    def finish() -> None:
        stop.set()
        monitor.stop()
        app.quit()

    def wait_populated() -> None:
        if populated:
            after_populated()
        else:
            QTimer.singleShot(20, wait_populated)

    QTimer.singleShot(0, wait_populated)
    app.exec()
    for t in threads:
        t.join(2)
    live_chars = len(controller.window.detail.live.toPlainText())
    report = controller.shutdown()

    stalls = sorted(monitor.stalls_ms)
    p99 = stalls[int(0.99 * (len(stalls) - 1))] if stalls else 0.0
    loading = sorted(monitor.loading_stalls_ms)
    steady = sorted(monitor.stalls_ms)
    for s in loading:
        steady.remove(s)
    longest = steady[-1] if steady else 0.0
    board_s = populated[0] if populated else float("inf")
    shown = sum(m.rowCount() for m in controller.board_model.columns.values())
    print(f"tasks on the board:        {controller.board_model.task_count:,} ({shown:,} shown)")
    print(f"board populated after:     {board_s * 1000:.0f} ms   (target < {TARGET_POPULATED_S * 1000:.0f} ms)")
    print(f"GUI stall p99:             {p99:.1f} ms   (target < {TARGET_P99_MS:.0f} ms)")
    print(f"GUI stall longest:         {longest:.1f} ms   (target < {TARGET_MAX_MS:.0f} ms; outside the model load)")
    print(f"  while the model loaded:  {loading[-1] if loading else 0.0:.1f} ms longest over {len(loading)} ticks "
          f"(the one-off load at start; not held to the target)")
    print(f"GUI stall median:          {statistics.median(stalls) if stalls else 0:.1f} ms over {len(stalls)} ticks")
    print(f"streamed pieces:           {sum(pieces):,} ({live_chars:,} characters in the live view)")
    print(f"tasks changed meanwhile:   {len(churned)} (x2 events)")
    print(f"shutdown:                  {report.seconds:.2f} s (engine stopped: {report.engine_stopped})")
    ok = p99 < TARGET_P99_MS and longest < TARGET_MAX_MS and board_s < TARGET_POPULATED_S
    print("result:                    " + ("all targets met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
