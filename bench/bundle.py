"""The desktop bundle's figures: size on disk, tarball size, and cold start to a visible window.

    python bench/bundle.py [--runs 3] [--xvfb]

Builds the bundle first when its inputs changed (installer/build_bundle.py). The start time runs
from launching `bureau` (a clean temporary home, no virtualenv) to the app logging "window shown"
(the main window is up); the model loads after that, in the background, and is not counted.
With --xvfb the window is a real X11 one under Xvfb (xvfb-run); otherwise Qt's offscreen platform.
The first run after dropping nothing from the page cache is the coldest we can get without root.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "installer"))

from build_bundle import build, tarball_name  # noqa: E402


def start_seconds(bundle: Path, *, xvfb: bool) -> float:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        home = Path(tmp)
        (home / "run").mkdir()
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(home / "run"),
               "QT_QPA_PLATFORM": "xcb" if xvfb else "offscreen"}
        cmd = [str(bundle / "bureau")]
        if xvfb:
            cmd = ["xvfb-run", "--auto-servernum", "--server-args=-screen 0 1280x800x24", *cmd]
        log = home / ".local" / "share" / "Bureau" / "logs" / "bureau.log"
        started = time.perf_counter()
        app = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        try:
            while "window shown" not in (log.read_text() if log.exists() else ""):
                if app.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("the app did not show its window")
                time.sleep(0.02)
            return time.perf_counter() - started
        finally:
            os.killpg(app.pid, signal.SIGTERM)
            app.wait(timeout=30)
            time.sleep(0.5)  # xvfb-run returns before the app has finished closing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--xvfb", action="store_true", help="a real X11 window under Xvfb")
    args = parser.parse_args()
    out = ROOT / "build" / "bundle"
    bundle, built, seconds = build(out)
    if built:
        print(f"build: {seconds:.0f} s")
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    model = sum(p.stat().st_size for p in files if p.suffix == ".gguf")
    print(f"bundle: {size / 1e6:.0f} MB on disk ({model / 1e6:.0f} MB of it the embedded model), "
          f"tarball {(out / tarball_name()).stat().st_size / 1e6:.0f} MB")
    if args.xvfb and not shutil.which("xvfb-run"):
        raise SystemExit("xvfb-run is missing (installer/system-deps.sh installs it)")
    times = [start_seconds(bundle, xvfb=args.xvfb) for _ in range(args.runs)]
    print(f"start to visible window ({'Xvfb' if args.xvfb else 'offscreen'}): first {times[0]:.2f} s, "
          f"median {statistics.median(times):.2f} s over {len(times)} runs (model loading not included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
