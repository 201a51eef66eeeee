"""Backups and restore: consistent while an engine runs, restore refused while one does, daily copies."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli.main import main
from app.company import Company
from app.store.backup import backups, check_file, daily_backup
from app.store.restore import live_claims, restore
from app.tasks.service import NewTask
from tests.support.fixture_db import write_fixture


def _count(path: Path, table: str = "task") -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_backup_and_restore_round_trip_while_an_engine_runs(scripted_company: Company, home: Path,
                                                            tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    company = scripted_company
    engine = company.engine(lease_seconds=30)
    worker = threading.Thread(target=engine.run_forever, kwargs={"poll_seconds": 0.05}, daemon=True)
    worker.start()
    stop = threading.Event()

    def submit_forever() -> None:  # the engine and this writer change the database during the backup
        n = 0
        while not stop.is_set():
            n += 1
            company.tasks.submit(NewTask(text=f"Write a short blog post number {n}", team="content"))
            time.sleep(0.005)

    writer = threading.Thread(target=submit_forever, daemon=True)
    writer.start()
    try:
        time.sleep(0.5)
        target = tmp_path / "copy.db"
        code, out, err = _cli(capsys, "--home", str(home), "backup", str(target), "--json")
        assert code == 0, err
        made = json.loads(out)
        assert made["path"] == str(target) and made["tasks"] > 0
        assert check_file(target) == []
        conn = sqlite3.connect(target)  # consistent: nothing points at a task the copy lacks
        orphans = conn.execute("SELECT count(*) FROM step WHERE task_id NOT IN (SELECT id FROM task)").fetchone()[0]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        conn.close()
        assert orphans == 0
        assert not Path(f"{target}-wal").exists()

        code, _, err = _cli(capsys, "--home", str(home), "restore", str(target))
        assert code == 2
        assert "cannot be restored now" in err and "Close the Bureau app" in err
    finally:
        stop.set()
        writer.join()
        engine.stop()
        worker.join(timeout=10)
    tasks_now = len(company.tasks.list_tasks())
    company.close()
    assert tasks_now > made["tasks"]

    code, out, err = _cli(capsys, "--home", str(home), "restore", str(target), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["tasks"] == made["tasks"]
    kept = Path(result["previous"])
    assert kept.parent == home / "backups" and _count(kept) == tasks_now  # nothing is thrown away
    reopened = Company.open(home)
    try:
        assert len(reopened.tasks.list_tasks()) == made["tasks"]
    finally:
        reopened.close()


def test_an_engine_in_another_process_blocks_restore(company: Company, home: Path, tmp_path: Path):
    copy = tmp_path / "copy.db"
    from app.store.backup import copy_database

    copy_database(company.db.path, copy)
    company.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from app.store.restore import EnginePresence; held = EnginePresence(Path(sys.argv[1])); "
         "print('held', flush=True); time.sleep(60)", str(home)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(Exception, match="cannot be restored now"):
            restore(home, copy)
    finally:
        holder.kill()
        holder.wait()
    assert restore(home, copy).tasks == 0  # the engine is gone: the restore goes ahead


def test_live_claims_block_restore_and_dead_ones_do_not(company: Company, home: Path, tmp_path: Path):
    import socket

    from app.store.backup import copy_database

    task = company.tasks.submit(NewTask(text="Write a short blog post", team="content"))
    copy = copy_database(company.db.path, tmp_path / "copy.db").path
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        holder = f"{socket.gethostname()}:{sleeper.pid}:abc123"
        with company.db.raw_write() as conn:
            conn.execute("UPDATE task SET claimed_by = ?, lease_until = ? WHERE id = ?",
                         (holder, "2999-01-01 00:00:00.000000", task.id))
        assert live_claims(company.db.path) == [holder]
        with pytest.raises(Exception, match="cannot be restored now"):
            restore(home, copy)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert live_claims(company.db.path) == []  # its process ended: the claim is dead
    company.close()
    restore(home, copy)


def test_restore_refuses_what_is_not_a_bureau_backup(home: Path, tmp_path: Path, company: Company):
    bogus = tmp_path / "notes.db"
    conn = sqlite3.connect(bogus)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="not a Bureau database"):
        restore(home, bogus)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 500)
    with pytest.raises(Exception, match="damaged or not a database"):
        restore(home, junk)
    future = write_fixture(tmp_path / "future.db", 1)
    conn = sqlite3.connect(future)
    conn.execute("INSERT INTO schema_migrations VALUES (99999, 'future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="newer Bureau"):
        restore(home, future)
    with pytest.raises(Exception, match="There is no backup file"):
        restore(home, tmp_path / "missing.db")


def test_restore_replaces_a_damaged_database_and_keeps_its_bytes(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]):
    home = tmp_path / "home"
    home.mkdir()
    good = write_fixture(tmp_path / "good.db", 1)
    (home / "bureau.db").write_bytes(b"\x00damaged" * 4096)
    code, _, err = _cli(capsys, "--home", str(home), "tasks")
    assert code == 2 and "damaged" in err
    code, out, err = _cli(capsys, "--home", str(home), "restore", str(good), "--json")
    assert code == 0, err
    kept = Path(json.loads(out)["previous"])
    assert kept.read_bytes().startswith(b"\x00damaged")
    code, out, _ = _cli(capsys, "--home", str(home), "tasks", "--json")
    assert code == 0 and len(json.loads(out)) == _count(good)


def test_daily_backup_once_a_day_keeping_seven(company: Company, home: Path):
    first = date(2024, 1, 1)
    for day in range(10):
        made = daily_backup(home, company.db.path, today=first + timedelta(days=day))
        assert made is not None
    assert daily_backup(home, company.db.path, today=first + timedelta(days=9)) is None  # today's exists
    names = sorted(p.name for p in backups(home))
    assert names == [f"daily-{(first + timedelta(days=d)).isoformat()}.db" for d in range(3, 10)]


def test_starting_an_engine_makes_todays_backup(company: Company, home: Path):
    assert backups(home) == []
    before = date.today()
    company.engine()
    days = {before, date.today()}  # the engine may start on either side of midnight
    assert [p.name for p in backups(home)] in [[f"daily-{d.isoformat()}.db"] for d in days]


def test_backup_list_and_default_location(company: Company, home: Path, capsys: pytest.CaptureFixture[str]):
    company.close()
    code, out, _ = _cli(capsys, "--home", str(home), "backup", "--json")
    assert code == 0
    path = Path(json.loads(out)["path"])
    assert path.parent == home / "backups" and path.name.startswith("bureau-")
    code, out, _ = _cli(capsys, "--home", str(home), "backup", "--list", "--json")
    assert [Path(r["path"]) for r in json.loads(out)] == [path]
