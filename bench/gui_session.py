"""A scripted session in the real window, driven with the keyboard under Xvfb, a picture at each step.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python bench/gui_session.py --out /tmp/session

(`bash installer/system-deps.sh` installs Xvfb, xdotool and ImageMagick's `import`.) It starts
Bureau on a fresh data folder with autopilot set to manual (every decision waits for the
founder), then, as a founder at the keyboard would: adds five tasks in a row with Ctrl+N,
approves one (Ctrl+Enter), reassigns one (Ctrl+R, the CEO's runner-up is offered), cancels one
(Ctrl+Delete) and undoes it (Ctrl+Z), waits for the approved multi-team task to be worked on by the
real embedded model, and opens its Files tab. Each step saves NN-name.png in --out; look at them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TASKS = (
    "Launch v2: write the release notes, deploy it to production and announce it on social media",
    "Write a short blog post about keeping a tidy desk",
    "Reply to a customer who was charged twice for their subscription this month",
    "Fix the bug where the signup form accepts an empty password",
    "Write three social media posts announcing our new dark mode",
)


class Session:
    def __init__(self, out: Path, home: Path) -> None:
        self.out = out
        self.home = home
        self.n = 0
        self.window = ""

    def sh(self, *args: str) -> str:
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()

    def focus(self) -> None:
        subprocess.run(["xdotool", "windowfocus", "--sync", self.window], check=False)  # no window manager here

    def key(self, *keys: str, pause: float = 0.4) -> None:
        self.sh("xdotool", "key", "--clearmodifiers", *keys)
        time.sleep(pause)

    def type(self, text: str) -> None:
        self.sh("xdotool", "type", "--delay", "8", text)
        time.sleep(0.3)

    def shot(self, name: str, wait: float = 0.8) -> Path:
        time.sleep(wait)
        self.n += 1
        path = self.out / f"{self.n:02d}-{name}.png"
        self.sh("import", "-window", "root", str(path))
        print(f"picture {path}", flush=True)
        return path

    def status(self, title_part: str) -> str:
        from app.company import Company

        company = Company.open(self.home)
        try:
            return next((t.status for t in company.tasks.list_tasks() if title_part in t.text), "?")
        finally:
            company.close()

    def wait_for(self, what: str, check: object, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():  # type: ignore[operator]
                return True
            time.sleep(0.5)
        print(f"gave up waiting for {what}", flush=True)
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/bureau-session")
    parser.add_argument("--home", default="")
    parser.add_argument("--work-seconds", type=float, default=420.0, help="how long the model may work on the plan")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(args.home or tempfile.mkdtemp(prefix="bureau-session-"))
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_text(json.dumps({"autopilot": {"mode": "manual"}}))
    env = dict(os.environ, BUREAU_HOME=str(home), QT_QPA_PLATFORM="xcb")
    app = subprocess.Popen([sys.executable, "-c", "import sys; from app.gui.shell.main import run_gui; "
                            "sys.exit(run_gui())"], cwd=ROOT, env=env)
    s = Session(out, home)
    try:
        s.window = s.sh("xdotool", "search", "--sync", "--onlyvisible", "--name", "^Bureau").splitlines()[0]
        s.sh("xdotool", "windowsize", s.window, "1280", "800")
        s.sh("xdotool", "windowmove", s.window, "0", "0")
        s.sh("xdotool", "mousemove", "1270", "790")  # the pointer rests off the board
        subprocess.run(["xdotool", "windowfocus", "--sync", s.window], check=False)  # no window manager here
        s.shot("welcome", wait=4)
        for i, text in enumerate(TASKS, start=1):
            s.key("ctrl+n", pause=0.8)
            s.type(text)
            if i == 1:
                s.shot("new-task-dialog", wait=0.3)
            s.key("ctrl+Return", pause=1.0)
            s.shot(f"task-{i}-added")
        s.wait_for("triage", lambda: all(s.status(t[:30]) == "needs_decision" for t in TASKS), 30)
        s.key("ctrl+b")  # keyboard to the board (the card just added), then the first card of its column
        s.key("Home", pause=0.8)
        s.shot("board-needs-decision")
        s.key("ctrl+Return", pause=1.5)  # approve the selected card (the launch: a plan for three teams)
        s.shot("approved")
        s.key("ctrl+b")
        s.key("Left", pause=0.6)  # the approved card moved right; back to Needs decision
        s.key("ctrl+r", pause=1.0)
        s.shot("reassign-dialog")
        s.key("ctrl+Return", pause=1.5)
        s.shot("reassigned")
        s.key("ctrl+b")
        s.key("Left", pause=0.6)
        s.key("ctrl+Delete", pause=1.2)
        s.shot("cancelled-with-undo-toast", wait=0.3)
        s.key("ctrl+z", pause=1.5)
        s.shot("undone")
        launch = TASKS[0][:30]
        s.wait_for("the launch to be delivered", lambda: s.status(launch) in ("delivered", "needs_decision",
                                                                              "failed"), args.work_seconds)
        s.shot("board-after-work")
        s.key("ctrl+f")
        s.type("Launch v2")
        s.key("ctrl+b", pause=0.8)
        s.key("Return", pause=0.8)  # into the task panel
        s.shot("task-panel-overview")
        s.key("alt+4", pause=1.5)  # Files, with the preview
        s.shot("task-panel-files-preview")
        s.key("ctrl+q", pause=3)
        app.wait(timeout=30)
        return 0
    finally:
        if app.poll() is None:
            app.terminate()
            app.wait(timeout=30)
        print(f"data folder: {home}")


if __name__ == "__main__":
    sys.exit(main())
