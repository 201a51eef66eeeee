"""Take docs/screenshot.png of the real app on a data folder (run it under Xvfb or a desktop).

    Xvfb :99 -screen 0 1400x900x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python bench/screenshot.py --home DIR [--select blog] [--wait 20]

(`make screenshot` does this with xvfb-run and --seed.) With --seed, a data folder without tasks
is first filled with sample tasks that the real model works on (a few minutes): some are
delivered, one is accepted, some wait for the founder, and one is left for the app to work on
while the picture is taken. Then it starts the app exactly as `bureau` does
(``app.gui.shell.main.start_app``), selects the first task whose title contains --select, waits
--wait seconds (the engine works, tokens stream; with --running only until a task has been
running for a second), and saves a picture of the main window.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402

from app.gui.shell.engine_host import load_default_model  # noqa: E402
from app.gui.shell.main import start_app  # noqa: E402
from app.company import Company  # noqa: E402
from app.tasks.service import NewTask  # noqa: E402
from app.core.status import Status  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED_TASKS = (
    "Write a short blog post about keeping a tidy desk",
    "Fix the bug where the signup form accepts an empty password",
    "Reply to a customer who was charged twice for their subscription this month",
    "Write three variants of the landing page headline for our dark mode launch",
    "Write a product announcement for our new CSV export and have it fact-checked by several reviewers",
    "Write a tweet about our dark mode launch and shorten it until it is at most 280 characters",
    "Launch v2: write the release notes, deploy it to production and announce it on social media",
)
APPROVE = "fact-checked"  # the founder approves this waiting decision, so its critics judge the work
ACCEPT = "signup form"  # the founder accepts this delivery
LEFT_FOR_THE_APP = "Write a short tutorial on exporting your data to CSV"
STEP_FINISH_SECONDS = 120.0


def seed(home: Path) -> None:
    """Fill a data folder that has no tasks yet with sample work done by the real model."""
    company = Company.open(home)
    try:
        if company.tasks.counts():
            print(f"{home} has tasks already; not seeding")
            return
        print(f"seeding {home}: {len(SEED_TASKS)} tasks on the real model (a few minutes)", flush=True)
        ids = {text: company.tasks.submit(NewTask(text=text, source="desktop")).id for text in SEED_TASKS}
        print(f"model {load_default_model(company).name} loaded", flush=True)
        engine = company.engine()
        engine.run_until_idle(max_wait=60)
        for text, task_id in ids.items():
            status = company.tasks.detail(task_id).task.status
            if APPROVE in text and status == Status.NEEDS_DECISION:
                company.tasks.approve(task_id)
            if ACCEPT in text and status == Status.DELIVERED:
                company.tasks.accept(task_id)
        engine.run_until_idle(max_wait=60)
        company.tasks.submit(NewTask(text=LEFT_FOR_THE_APP, source="desktop"))
        print("seeded: " + ", ".join(f"{k} {v}" for k, v in sorted(company.tasks.counts().items())), flush=True)
    finally:
        company.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--select", default="", help="select the first task whose title contains this")
    parser.add_argument("--tab", type=int, default=0, help="detail tab to show (0 overview, 1 work, ...)")
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to let the app work before the picture")
    parser.add_argument("--size", default="1400x900")
    parser.add_argument("--running", action="store_true",
                        help="take the picture once a task has been running for a second (--wait at the latest)")
    parser.add_argument("--seed", action="store_true",
                        help="first fill a data folder without tasks with sample work by the real model")
    args = parser.parse_args()
    if args.seed:
        seed(Path(args.home))

    app, launcher, hooks = start_app(args.home)
    width, height = (int(v) for v in args.size.split("x"))
    started = time.monotonic()

    def when_loaded() -> None:
        controller = launcher.controller
        if controller is None or not controller.board_model.loaded:
            if time.monotonic() - started > 60:
                print("the board did not load within a minute", file=sys.stderr)
                app.exit(1)
                return
            QTimer.singleShot(100, when_loaded)
            return
        controller.window.resize(width, height)
        controller.window.move(0, 0)
        model = controller.board_model
        wanted = args.select.casefold()
        ids = sorted(i for s in Status for i in _ids(model, s))
        chosen = next((i for i in ids if wanted in (model.card(i).title.casefold() if model.card(i) else "")), None)
        if chosen is not None:
            controller.board.select_task(chosen)
        controller.window.detail.tabs.setCurrentIndex(args.tab)
        if args.running:
            wait_for_running(time.monotonic())
        else:
            QTimer.singleShot(int(args.wait * 1000), take)

    def wait_for_running(since: float, running_since: float | None = None) -> None:
        controller = launcher.controller
        assert controller is not None
        running = controller.board_model.total(Status.RUNNING) > 0
        running_since = (running_since or time.monotonic()) if running else None
        if time.monotonic() - since >= args.wait or (running_since and time.monotonic() - running_since >= 1.0):
            take()
        else:
            QTimer.singleShot(100, lambda: wait_for_running(since, running_since))

    def take() -> None:
        controller = launcher.controller
        assert controller is not None
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = controller.window.grab().save(str(out))
        print(f"saved {out}" if ok else f"could not save {out}")
        # Let the step in flight finish first: the app's own shutdown leaves a model call running
        # after 5 s, and tearing the process down under it can crash on exit.
        controller.engine.stop(timeout=STEP_FINISH_SECONDS)
        controller.window.close()
        app.exit(0 if ok else 1)

    def _ids(model, status: Status) -> list[int]:  # type: ignore[no-untyped-def]
        column = model.columns[status]
        return [column.card_at(r).id for r in range(column.rowCount())]

    QTimer.singleShot(0, when_loaded)
    try:
        code = app.exec()
    finally:
        hooks.uninstall()
        if launcher.controller is not None:
            launcher.controller.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
