"""Starting the app on a damaged database: the newest backup is offered, restored only when chosen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.gui.shell.main import start_app
from app.store.backup import copy_database
from tests.support.fixture_db import write_fixture


def _damage(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 2)
        f.write(b"\xde\xad\xbe\xef" * 2048)


def _click_when_shown(text: str, seen: list[str]) -> QTimer:
    def poll() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append(w.text())
                button = next(b for b in w.buttons() if b.text().startswith(text))
                button.click()
                timer.stop()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    return timer


def _start(qtbot, home: Path, choice: str):  # noqa: ANN001, ANN202
    seen: list[str] = []
    timer = _click_when_shown(choice, seen)
    app, launcher, hooks = start_app(home)
    return app, launcher, hooks, seen, timer


def test_damaged_database_offers_the_newest_backup_and_restores_it_when_chosen(qtbot, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    db = write_fixture(home / "bureau.db", 1, tasks=300)
    copy_database(db, home / "backups" / "daily-2024-05-02.db")
    _damage(db)
    _app, launcher, hooks, seen, _timer = _start(qtbot, home, "Restore daily-2024-05-02.db")
    try:
        qtbot.waitUntil(lambda: launcher.controller is not None, timeout=20_000)
        assert "damaged" in seen[0]
        assert len(launcher.controller.company.tasks.list_tasks()) == 300
        kept = list((home / "backups").glob("pre-restore-*.db"))
        assert len(kept) == 1  # the damaged file is kept, byte for byte
    finally:
        hooks.uninstall()
        if launcher.controller is not None:
            launcher.controller.shutdown()


def test_damaged_database_is_left_alone_when_the_founder_quits(qtbot, tmp_path: Path, monkeypatch):
    exits: list[int] = []  # the app would end here; the test's QApplication must go on
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    home = tmp_path / "home"
    home.mkdir()
    db = write_fixture(home / "bureau.db", 1, tasks=300)
    copy_database(db, home / "backups" / "daily-2024-05-02.db")
    _damage(db)
    before = db.read_bytes()
    _app, launcher, hooks, seen, _timer = _start(qtbot, home, "Quit")
    try:
        qtbot.waitUntil(lambda: launcher.exit_code == 2, timeout=20_000)
        assert seen and launcher.controller is None and exits == [2]
        assert db.read_bytes() == before
        assert not list((home / "backups").glob("pre-restore-*.db"))
    finally:
        hooks.uninstall()
