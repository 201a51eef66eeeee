"""Logs and crash reports stay local: a rotating file in the data folder, `bureau logs`, crash files."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.logs import BACKUP_COUNT, log_file, setup_logging


def test_bureau_logs_shows_the_local_log(home: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["--home", str(home), "tasks"]) == 0
    logging.getLogger("app.store.backup").info("our own note %s", 42)
    logging.getLogger("httpx").info("a library's chatter")
    logging.getLogger("httpx").warning("a library's warning")
    capsys.readouterr()
    assert main(["--home", str(home), "logs", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["path"] == str(log_file(home))
    text = "\n".join(shown["lines"])
    assert "our own note 42" in text and "a library's warning" in text
    assert "chatter" not in text


def test_the_log_rotates(home: Path):
    path = setup_logging(home)
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "baseFilename", None) == str(path))
    handler.maxBytes = 2000  # type: ignore[attr-defined]
    for i in range(200):
        logging.getLogger("app.test").warning("line %d %s", i, "x" * 40)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files[0] == "bureau.log" and len(files) == 1 + BACKUP_COUNT
    assert all(p.stat().st_size <= 2100 for p in path.parent.iterdir())


def test_an_unexpected_error_writes_a_local_crash_report(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]):
    import app.cli.tasks

    def broken(_company, _args):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(app.cli.tasks, "cmd_tasks", broken)
    assert main(["--home", str(home), "tasks"]) == 2
    err = capsys.readouterr().err
    assert "Unexpected error (ZeroDivisionError): a bug" in err
    reports = list((home / "crashes").glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err
    body = reports[0].read_text()
    assert "Traceback" in body and "ZeroDivisionError" in body and "nothing was sent" in body
    assert main(["--home", str(home), "logs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["newest_crash"] == str(reports[0])


def test_logs_follow_prints_new_lines(home: Path):
    path = setup_logging(home)
    logging.getLogger("app.test").warning("before following")
    follower = subprocess.Popen([sys.executable, "-m", "app.cli.main", "--home", str(home), "logs", "--follow",
                                 "--lines", "1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert follower.stdout is not None
        assert "before following" in follower.stdout.readline()
        time.sleep(0.2)
        with open(path, "a", encoding="utf-8") as f:
            f.write("appended while following\n")
        deadline = time.monotonic() + 10
        line = ""
        while time.monotonic() < deadline and "appended" not in line:
            line = follower.stdout.readline()
        assert "appended while following" in line
    finally:
        follower.kill()
        follower.wait()
