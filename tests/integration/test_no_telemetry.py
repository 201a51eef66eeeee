"""No telemetry, proven: a full session's outgoing connections go only to the endpoints the test set up.

The session (tests/support/netaudit.py, a subprocess with an audit hook on ``socket.connect``)
adds an Ollama model on a loopback test server, runs a task end to end on the real embedded
model, lists the models and opens and closes the desktop app. Local IPC (Unix sockets, e.g.
the session bus) is not network traffic and is allowed; every internet-family connection and
every name lookup must be the test's own loopback server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.paths import embedded_model_path
from tests.support.ollama_double import OllamaDouble

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = {"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"}


def test_a_full_session_connects_only_to_configured_loopback_endpoints(tmp_path: Path) -> None:
    double = OllamaDouble(embedded_model_path(), installed=("smollm2:135m",))
    double.start()
    try:
        home = tmp_path / "home"
        home.mkdir()
        (home / "settings.json").write_text(json.dumps(
            {"model": {"step_max_tokens": 96, "review_max_tokens": 64, "n_ctx": 2048}}))
        report = tmp_path / "connections.json"
        env = {k: v for k, v in os.environ.items() if k != "BUREAU_HOME"}
        env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, str(ROOT / "tests" / "support" / "netaudit.py"), str(home),
                               str(report), double.url], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    finally:
        double.stop()
    result = json.loads(report.read_text())
    assert [code for _, code in result["steps"]] == [0] * len(result["steps"]), result["steps"]
    port = int(double.url.rsplit(":", 1)[1].strip("/"))

    records = result["records"]
    inet = [r for r in records if r["event"].startswith("socket.connect")
            and r["family"] in (socket.AF_INET, socket.AF_INET6)]
    lookups = [r for r in records if not r["event"].startswith("socket.connect")]
    other = [r for r in records if r["event"].startswith("socket.connect")
             and r["family"] not in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX)]
    assert inet, "the hook saw no connection at all: the test server should have been contacted"
    strays = [r for r in inet if r["address"][0] not in LOOPBACK or r["address"][1] != port]
    assert strays == [], strays
    assert [r for r in lookups if r["host"].strip("'\"b") not in LOOPBACK | {"None"}] == []
    assert other == []
